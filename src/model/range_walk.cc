#include "model/range_walk.h"

namespace whittle {

const char* RangePartName(RangePart part) {
  switch (part) {
    case RangePart::kHeader: return "header";
    case RangePart::kData: return "data";
    case RangePart::kPadding: return "padding";
    case RangePart::kEnd: return "end";
  }
  return "?";
}

namespace {
__extension__ typedef unsigned __int128 Uint128;
}  // namespace

BlobSplit SplitBlob(uint64_t blob, uint64_t header, uint64_t data, uint64_t padding) {
  uint64_t tar = header + data + padding;
  if (tar == 0) return {blob, 0, 0};
  auto share = [&](uint64_t part) {
    return static_cast<uint64_t>(static_cast<Uint128>(blob) * part / tar);
  };
  BlobSplit s;
  s.header = share(header);
  s.padding = share(padding);
  s.data = blob - s.header - s.padding;
  if (data == 0) {  // nothing to carry the remainder: give it to the headers
    s.header += s.data;
    s.data = 0;
  }
  return s;
}

}  // namespace whittle
