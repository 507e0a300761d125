// The byte encoding of one image's per-layer totals in the layer cache's
// file (cache/image_result.h keeps it for totals-only scans: `history`,
// `profile -d layers`), and the per-layer section waste_codec.h shares:
//
//   "WTOT" u8 version
//   layers: varint n_layers, per layer: varint blob_size tar_size
//           content_size files end_tar_bytes end_blob_bytes, varint
//           n_warnings, per warning: u8 relative, varint n, n bytes
//   32 bytes: SHA-256 of everything before
//
// What a totals-only scan promises (scan/layer_cache.h): each layer's totals
// and warnings, no entries. Warnings are made relative to each layer's blob
// location as in layer_codec.h, so two copies of one image (an archive and
// its unpacked layout) name their own files. Decoding treats the bytes as
// untrusted: checksum, then every count and length bounded by what is left,
// and the layer count must be the image's.
#ifndef WHITTLE_CACHE_TOTALS_CODEC_H_
#define WHITTLE_CACHE_TOTALS_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cache/byte_codec.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle {

/// Version byte of the encoding; a value with another is refused.
inline constexpr uint8_t kTotalsCodecVersion = 1;

/// One layer's six totals, the fields both the layer value (layer_codec.h)
/// and the per-image totals start with: blob_size tar_size content_size
/// files end_tar_bytes end_blob_bytes, each a varint.
void PutScanTotals(const LayerScan& scan, std::string* out);
/// Reads what PutScanTotals wrote into those fields of |*scan|; a short
/// input fails |c|.
void ReadScanTotals(ByteCursor& c, LayerScan* scan);

/// Appends the layers section for |scan|, whose layer i's blob is at
/// |locations[i]| (LayerRef::blob.location; warnings may start with it).
void AppendLayerTotals(const ImageScan& scan, const std::vector<std::string>& locations, std::string* out);

/// Reads a layers section into |out| (totals and warnings only), failing
/// |c| on any bounds failure or a layer count other than locations.size().
void ReadLayerTotals(ByteCursor& c, const std::vector<std::string>& locations, std::vector<LayerScan>* out);

/// The whole value: magic, version, the layers section, checksum.
std::string EncodeImageTotals(const ImageScan& scan, const std::vector<std::string>& locations);

/// Decodes what EncodeImageTotals wrote, for an image whose layer i's blob
/// is at |locations[i]|. Errors: kCorrupt "cached image totals: offset N:
/// what"; |out| is then untouched.
Status DecodeImageTotals(std::string_view bytes, const std::vector<std::string>& locations,
                         std::vector<LayerScan>* out);

}  // namespace whittle

#endif  // WHITTLE_CACHE_TOTALS_CODEC_H_
