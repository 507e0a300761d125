// The byte encoding of one image's waste analysis in the layer cache's file
// (a per-image result, cache/image_result.h, kept by waste_cache.h): what
// `waste` shows that follows from the layers' scans (waste/waste_report.h WasteAnalysis), and what a run needs
// of each layer besides (its totals, for -v, and its warnings, printed
// again), so that a warm run reads no layer's entries at all.
//
//   "WWST" u8 version
//   layers: totals_codec.h's layers section (each layer's totals, warnings)
//   dive:  f64 efficiency, varint size_bytes user_size_bytes wasted_bytes,
//          f64 user_wasted_percent, varint n, per inefficient file: varint n,
//          n bytes (path), varint count size_bytes; varint n, n x varint
//          layer size
//   waste: varint total_bytes reclaimable_bytes, f64 reclaimable_fraction,
//          varint n, per layer: 7 varints (LayerWaste in field order);
//          varint n, per group: varint n, n bytes (path), varint layer+1
//          killer+1 (0: kNoLayer), u8 reason, varint files bytes;
//          u8 has_duplicates [varint duplicate_bytes]
//   32 bytes: SHA-256 of everything before
//
// Doubles are their IEEE-754 bits (little-endian), so a warm report prints
// the very digits a cold one does.
//
// Decoding treats the bytes as untrusted: the checksum first, then every
// count and length bounded by what is left, every layer index and reason
// checked, and the layer count must be the image's.
#ifndef WHITTLE_CACHE_WASTE_CODEC_H_
#define WHITTLE_CACHE_WASTE_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scan/layer_scan.h"
#include "util/status.h"
#include "waste/waste_report.h"

namespace whittle {

/// Version byte of the encoding; a value with another is refused.
inline constexpr uint8_t kWasteCodecVersion = 1;

/// What a cached waste analysis gives back.
struct CachedWaste {
  /// One per layer, totals (blob_size ... end_blob_bytes) and warnings
  /// only: no entries; index and digests are the caller's to set.
  std::vector<LayerScan> layers;
  WasteAnalysis analysis;
};

/// Encodes |analysis| of |scan|, whose layer i's blob is at |locations[i]|
/// (LayerRef::blob.location; warnings may start with it).
std::string EncodeWasteResult(const ImageScan& scan, const WasteAnalysis& analysis,
                              const std::vector<std::string>& locations);

/// Decodes |bytes| for an image whose layer i's blob is at |locations[i]|.
/// Errors: kCorrupt with "offset N: what" for any checksum, bounds or
/// consistency failure (including a layer count other than the image's);
/// |out| is then untouched.
Status DecodeWasteResult(std::string_view bytes, const std::vector<std::string>& locations, CachedWaste* out);

}  // namespace whittle

#endif  // WHITTLE_CACHE_WASTE_CODEC_H_
