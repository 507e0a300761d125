// ImageAnalysis: one image of a fleet scan, from its opened Image and its
// ImageScan to the ImageRow the store keeps: sizes, the waste module's
// reclaimable bytes, and explain's top measured findings (from the history:
// a fleet has no Dockerfiles), with one LayerRow per layer.
//
//   OpenImage(docker://...)  -> the manifest digest (the scan loop skips a
//                               digest the store has before reading a layer)
//   ScanImage(+ layer cache) -> each layer read once, whoever shares it
//   AnalyzeWaste             -> reclaimable = WasteSummary::reclaimable_bytes
//   explain::Explain         -> findings (measured ones only), bytes descending
#ifndef WHITTLE_FLEET_IMAGE_ANALYSIS_H_
#define WHITTLE_FLEET_IMAGE_ANALYSIS_H_

#include <cstddef>
#include <string>

#include "fleet/fleet_store.h"
#include "image/image.h"
#include "scan/layer_cache.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle::fleet {

/// Findings kept per image.
inline constexpr size_t kTopFindings = 5;

/// The captures explain needs (package databases), for ScanOptions::capture.
const CaptureRules& FleetCaptureRules();

/// The TAG of "HOST/REPO:TAG"; "" for "HOST/REPO@DIGEST".
std::string TagOfReference(const std::string& reference);

/// Scans |image| through |cache| (may be null) with one thread, as a fleet
/// worker does (the parallelism is across images).
Result<ImageScan> ScanForFleet(Image& image, LayerScanCache* cache);

/// The row of |item|'s image, scanned as |scan|. |item|'s tag (if any)
/// becomes the row's tag.
Result<ImageRow> AnalyzeImage(const WorkItem& item, const Image& image, const ImageScan& scan);

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_IMAGE_ANALYSIS_H_
