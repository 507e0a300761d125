// WasteCache: `waste`'s analysis of a whole image as a per-image result
// (cache/image_result.h, kind "waste"), so that a second `waste` of the
// same layers reads no layer record and classifies no entry.
//
//   value = waste_codec.h: each layer's totals and warnings, dive's metrics,
//           whittle's summary
//
// What the analysis depends on is what every per-image key holds (the
// layers' keys in order, the whittle build, the encoding); the reference,
// the layer labels (the config's history) and -n / --format are applied on
// every run (waste/waste_report.h MakeWasteReport), so one row answers every
// format. --verify never uses it; ci always verifies, so it always analyses
// afresh.
#ifndef WHITTLE_CACHE_WASTE_CACHE_H_
#define WHITTLE_CACHE_WASTE_CACHE_H_

#include <string>
#include <vector>

#include "cache/layer_cache.h"
#include "image/image.h"
#include "scan/layer_scan.h"
#include "scan/open_and_scan.h"
#include "util/status.h"
#include "waste/waste_report.h"

namespace whittle {

/// The result kind in LayerCache::ResultRowKey.
inline constexpr const char kWasteResultKind[] = "waste";

struct WasteScan {
  /// The image's scan; on a hit, each layer's totals and warnings only (no
  /// entries), index and digests as a plain scan sets them.
  ImageScan scan;
  WasteAnalysis analysis;
  bool from_cache = false;  // the analysis was the cache's
};

/// The row key of |image|'s waste analysis under |options|, with the layers'
/// keys in |layer_keys|; "" when it cannot be cached (options.verify, or a
/// layer without a blob digest).
std::string WasteResultKey(const Image& image, const ScanOptions& options, std::vector<LayerCacheKey>* layer_keys);

/// ScanImage (scan/layer_cache.h) and AnalyzeScanWaste in one, through
/// |cache| (may be null; not owned): the analysis an earlier run stored for
/// the same layers is used when every layer's blob still has the size it
/// had; otherwise the image is scanned through the layer cache, analysed,
/// and the analysis offered to |cache| (written at its Flush()).
/// options.progress is told of every layer on a hit too. Errors as
/// ScanImage.
Result<WasteScan> ScanImageForWaste(Image& image, const ScanOptions& options, LayerCache* cache);

/// OpenAndScanImage (scan/open_and_scan.h) with the waste analysis in
/// |*analysis|: ScanImageForWaste for an image read at random; a stream is
/// read whole anyway, so it is scanned, analysed and only fills the cache.
/// Errors as OpenAndScanImage.
Result<ScannedImage> OpenAndScanForWaste(const std::string& reference, const OpenOptions& open,
                                         const ScanOptions& options, LayerCache* cache, WasteAnalysis* analysis);

/// AnalyzeScanWaste of |scan|, made elsewhere (a stream read once), and
/// offered to |cache| (may be null) for later runs on the same layers.
WasteAnalysis AnalyzeAndStoreWaste(const Image& image, const ScanOptions& options, const ImageScan& scan,
                                   LayerCache* cache);

}  // namespace whittle

#endif  // WHITTLE_CACHE_WASTE_CACHE_H_
