// The range walker: every byte of every layer, in tar order, as contiguous
// ranges in both domains. It is the one place that decides how a member's
// bytes split into header, data and padding and how its BLOB bytes are
// shared among them (SplitBlob); the profile (via the data sources), the
// raw map, diff and explain all walk the same ranges, the way bloaty's
// RangeMap serves both of its views.
//
//   layer 0: [hdr e0][data e0][pad e0][hdr e1][data e1]...[end of archive]
//   TAR      0 ......................................... tar_size
//   BLOB     0 ......................................... blob_size
//
// Ranges with no bytes in either domain are not visited. BLOB offsets are
// cumulative attributions, not positions in the compressed stream: the end
// region's BLOB bytes (compression header and trailer) come last.
#ifndef WHITTLE_MODEL_RANGE_WALK_H_
#define WHITTLE_MODEL_RANGE_WALK_H_

#include <cstddef>
#include <cstdint>

#include "scan/layer_scan.h"

namespace whittle {

enum class RangePart : uint8_t { kHeader, kData, kPadding, kEnd };

/// "header", "data", "padding", "end".
const char* RangePartName(RangePart part);

/// A member's BLOB bytes split over its headers, data and padding in
/// proportion to their TAR sizes; the integer remainder goes to the data
/// (to the headers when there is no data), so the three add up exactly.
struct BlobSplit {
  uint64_t header = 0, data = 0, padding = 0;
};
BlobSplit SplitBlob(uint64_t blob, uint64_t header, uint64_t data, uint64_t padding);

struct ByteRange {
  size_t layer = 0;
  /// Index into the layer's entries; kNoEntry for the end region.
  size_t entry = 0;
  RangePart part = RangePart::kData;
  uint64_t tar_start = 0, tar_size = 0;
  uint64_t blob_start = 0, blob_size = 0;
};
inline constexpr size_t kNoEntry = static_cast<size_t>(-1);

/// Calls |fn(const ByteRange&)| for every non-empty range of |layer|, in
/// order. The ranges of one layer tile [0, tar_size) and [0, blob_size).
template <typename Fn>
void ForEachLayerRange(const LayerScan& layer, size_t layer_index, Fn&& fn) {
  ByteRange r;
  r.layer = layer_index;
  uint64_t tar = 0, blob = 0;
  for (size_t ei = 0; ei < layer.entries.size(); ++ei) {
    const LayerEntry& e = layer.entries[ei];
    const BlobSplit split = SplitBlob(e.blob_bytes, e.header_bytes, e.stored_size, e.padding);
    const uint64_t tars[3] = {e.header_bytes, e.stored_size, e.padding};
    const uint64_t blobs[3] = {split.header, split.data, split.padding};
    for (int k = 0; k < 3; ++k) {
      if (tars[k] == 0 && blobs[k] == 0) continue;
      r.entry = ei;
      r.part = static_cast<RangePart>(k);
      r.tar_start = tar;
      r.tar_size = tars[k];
      r.blob_start = blob;
      r.blob_size = blobs[k];
      fn(static_cast<const ByteRange&>(r));
      tar += tars[k];
      blob += blobs[k];
    }
  }
  if (layer.end_tar_bytes != 0 || layer.end_blob_bytes != 0) {
    r.entry = kNoEntry;
    r.part = RangePart::kEnd;
    r.tar_start = tar;
    r.tar_size = layer.end_tar_bytes;
    r.blob_start = blob;
    r.blob_size = layer.end_blob_bytes;
    fn(static_cast<const ByteRange&>(r));
  }
}

/// Every layer of |scan|, in manifest order.
template <typename Fn>
void ForEachRange(const ImageScan& scan, Fn&& fn) {
  for (size_t li = 0; li < scan.layers.size(); ++li) ForEachLayerRange(scan.layers[li], li, fn);
}

}  // namespace whittle

#endif  // WHITTLE_MODEL_RANGE_WALK_H_
