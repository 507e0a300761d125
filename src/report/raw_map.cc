#include "report/raw_map.h"

#include "model/profile.h"
#include "scan/history_labels.h"
#include "util/strings.h"

namespace whittle {

namespace {

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
      BlobSplit split = SplitBlob(e.blob_bytes, e.header_bytes, e.stored_size, e.padding);
      const uint64_t parts[3] = {split.header, split.data, split.padding};
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
