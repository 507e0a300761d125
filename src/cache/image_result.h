// Per-image results in the layer cache's file: one row for a whole image,
// computed from its layers' scans, so that a warm run reads no layer record
// (issue 16: a second `profile`, `waste` or `history` answers in at most
// 50 ms). Two kinds:
//
//   "totals"  each layer's totals and warnings (totals_codec.h): what a
//             totals-only scan (`history --scan`, `profile -d layers`) needs
//   "waste"   the same, plus `waste`'s analysis (waste_cache.h)
//
//   key = SHA-256(whittle build, kind + encoding version, every layer's
//         LayerCacheKey in image order)       (LayerCache::ResultRowKey)
//
//   TryLoadImageResult ─ hit, every blob's size as recorded ─> the scan a
//        │                                  plain scan reports (totals only)
//        │ miss (or no key: --verify, a layer without a blob digest)
//        v
//   ScanImage through the layer records ─> the result offered to the cache
//
// The key holds what the result depends on: the layers' scans (their keys:
// blob digest, diff_id, compression, --hash, capture rules) in order, the
// code that made it (the whittle build) and its encoding. Not the reference,
// the config's history (layer labels) nor the options that only shape the
// text (-n, --format, -d within per-layer sources): those are applied on
// every run. --verify never uses it, as it never uses the layer records.
// Rows share the file's LRU bound with the layer records; a hit marks the
// layers' records used too, so they age together, but needs none of them.
#ifndef WHITTLE_CACHE_IMAGE_RESULT_H_
#define WHITTLE_CACHE_IMAGE_RESULT_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "cache/layer_cache.h"
#include "image/image.h"
#include "scan/layer_scan.h"
#include "scan/open_and_scan.h"
#include "util/status.h"

namespace whittle {

/// The result kind of TotalsScan.
inline constexpr const char kTotalsResultKind[] = "totals";

/// The row key of result |kind| (encoded at |version|) of |image| under
/// |options|, with the layers' keys in |layer_keys|; "" when it cannot be
/// cached (options.verify, no layer, or a layer without a blob digest).
std::string ImageResultKey(std::string_view kind, unsigned version, const Image& image, const ScanOptions& options,
                           std::vector<LayerCacheKey>* layer_keys);

/// Each layer's blob location (LayerRef::blob.location), in order: what the
/// codecs make warnings relative to.
std::vector<std::string> LayerLocations(const Image& image);

/// "KIND <config digest>": the row's digest column, for people reading the
/// file with sqlite3.
std::string ImageResultLabel(std::string_view kind, const Image& image);

/// The hit path of every kind: |decode| is given the value under |row| and
/// must fill |*layers| (totals and warnings, one per image layer) and return
/// Ok, or kCorrupt for damage. A hit also needs every layer's blob to have
/// the size recorded (else the digests name other bytes now: a miss). On a
/// hit |*layers| get the index and digests a plain scan sets, and
/// options.progress is told of each; returns false on a miss.
bool TryLoadImageResult(LayerCache& cache, const std::string& row, const std::vector<LayerCacheKey>& keys,
                        Image& image, const ScanOptions& options,
                        const std::function<Status(std::string_view value)>& decode, std::vector<LayerScan>* layers);

/// ScanImage (scan/layer_cache.h) through |cache| (may be null; not owned)
/// for a totals-only scan (options.totals_only): the image's "totals" row
/// when an earlier run stored it, else the layer records and the blobs,
/// then the row is offered to |cache|. Any other scan is ScanImage's.
Result<ImageScan> ScanImageTotals(Image& image, const ScanOptions& options, LayerCache* cache);

/// OpenAndScanImage (scan/open_and_scan.h) with ScanImageTotals for an
/// image read at random; a stream is read whole anyway, so it only fills
/// the cache.
Result<ScannedImage> OpenAndScanTotals(const std::string& reference, const OpenOptions& open,
                                       const ScanOptions& options, LayerCache* cache);

}  // namespace whittle

#endif  // WHITTLE_CACHE_IMAGE_RESULT_H_
