#include "report/raw_map.h"

#include "model/label_source.h"
#include "model/range_walk.h"
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
    uint64_t tar = 0, blob = 0;
    bool end_seen = false;
    ForEachLayerRange(layer, li, [&](const ByteRange& r) {
      std::string_view name = r.part == RangePart::kEnd ? std::string_view(kLabelEndOfArchive)
                                                        : scan.paths->Get(layer.entries[r.entry].path);
      Row(&s, r.tar_start, r.tar_start + r.tar_size, r.blob_start, r.blob_start + r.blob_size,
          RangePartName(r.part), name);
      tar = r.tar_start + r.tar_size;
      blob = r.blob_start + r.blob_size;
      end_seen = r.part == RangePart::kEnd;
    });
    // Every layer lists its end region, even an empty one (a tar that
    // stopped at a member boundary).
    if (!end_seen) Row(&s, tar, tar, blob, blob, RangePartName(RangePart::kEnd), kLabelEndOfArchive);
  }
  return s;
}

}  // namespace whittle
