// WasteCache: `waste`'s analysis of a whole image kept in the layer cache's
// file, so that a second `waste` of the same layers reads no layer and
// classifies no entry (issue 16: a warm run answers in at most 50 ms).
//
//   key   = SHA-256(whittle build, "waste" + encoding version, every layer's
//           LayerCacheKey in image order)       (LayerCache::ResultRowKey)
//   value = waste_codec.h: each layer's totals and warnings, dive's metrics,
//           whittle's summary
//
//   ScanImageForWaste ─ key ─> TryLoadResult ─ hit, every blob's size as
//        │                                      stored ──> totals-only scan
//        │ miss (or no key: --verify, a layer       + the analysis
//        v         without a blob digest, no cache)
//   ScanImage through the layer cache ─> AnalyzeScanWaste ─> StoreResult
//
// What the result depends on, and so what the key holds: the layers' scans
// (their LayerCacheKeys: blob digest, diff_id, compression, --hash, capture
// rules) in order, the analysis code (the whittle build) and the encoding.
// What it does not hold: the reference, the config's history (layer labels)
// and the options that only shape the text (-n, --format). Those are applied
// to the result on every run (waste_report.h MakeWasteReport), so one row
// answers every format and -n.
//
// --verify never uses it (as it never uses the layer cache): a verified run
// must read every blob. ci always verifies, so it always analyses afresh.
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
