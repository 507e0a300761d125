#include "report/raw_map.h"

#include "scan/history_labels.h"
#include "util/strings.h"

namespace whittle {

namespace {

__extension__ typedef unsigned __int128 Uint128;

// The same proportional split as model/profile.cc, so the raw map shows
// exactly the ranges the rollup sums.
void Split(uint64_t blob, uint64_t header, uint64_t data, uint64_t padding, uint64_t out[3]) {
  uint64_t tar = header + data + padding;
  if (tar == 0) {
    out[0] = blob;
    out[1] = out[2] = 0;
    return;
  }
  out[0] = static_cast<uint64_t>(static_cast<Uint128>(blob) * header / tar);
  out[2] = static_cast<uint64_t>(static_cast<Uint128>(blob) * padding / tar);
  out[1] = blob - out[0] - out[2];
  if (data == 0) {
    out[0] += out[1];
    out[1] = 0;
  }
}

void Row(std::string* s, uint64_t tar0, uint64_t tar1, uint64_t blob0, uint64_t blob1, const char* part,
         std::string_view path) {
  *s += StrFormat("%14llu %12llu %12llu %12llu  %-8s %.*s\n", static_cast<unsigned long long>(tar0),
                  static_cast<unsigned long long>(tar1), static_cast<unsigned long long>(blob0),
                  static_cast<unsigned long long>(blob1), part, static_cast<int>(path.size()), path.data());
}

}  // namespace

std::string FormatRawMap(const Image& image, const ImageScan& scan) {
  std::vector<std::string> labels = LayerLabels(image);
  std::string s;
  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    s += StrFormat("layer %s: tar %llu, blob %llu\n", li < labels.size() ? labels[li].c_str() : "?",
                   static_cast<unsigned long long>(layer.tar_size),
                   static_cast<unsigned long long>(layer.blob_size));
    s += "     TAR_START      TAR_END   BLOB_START     BLOB_END  PART     PATH\n";
    // BLOB offsets here are cumulative attributions, not positions in the
    // compressed stream: the end region's BLOB bytes (compression header
    // and trailer) are listed last, so the column runs 0..blob size.
    uint64_t tar = 0, blob = 0;
    for (const LayerEntry& e : layer.entries) {
      uint64_t parts[3];
      Split(e.blob_bytes, e.header_bytes, e.stored_size, e.padding, parts);
      std::string_view path = scan.paths->Get(e.path);
      const uint64_t sizes[3] = {e.header_bytes, e.stored_size, e.padding};
      const char* names[3] = {"header", "data", "padding"};
      for (int k = 0; k < 3; ++k) {
        if (sizes[k] == 0 && parts[k] == 0) continue;
        Row(&s, tar, tar + sizes[k], blob, blob + parts[k], names[k], path);
        tar += sizes[k];
        blob += parts[k];
      }
    }
    Row(&s, tar, tar + layer.end_tar_bytes, blob, blob + layer.end_blob_bytes, "end", "[end of archive]");
  }
  return s;
}

}  // namespace whittle
