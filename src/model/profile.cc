#include "model/profile.h"

#include <algorithm>
#include <unordered_map>

#include "util/strings.h"

namespace whittle {

std::string_view PathPrefix(std::string_view path, int depth) {
  if (depth <= 0) return path;
  int seen = 0;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '/' && i > 0) {
      if (++seen == depth) return path.substr(0, i);
    }
  }
  return path;
}

namespace {

// The sums one layer contributes, in the order the profile has always added
// them: every member's data as it comes, then the layer's headers, padding
// and end region, each as one row (they carry no path, so one Add each).
struct LayerSums {
  uint64_t header_tar = 0, header_blob = 0, pad_tar = 0, pad_blob = 0, end_tar = 0, end_blob = 0;
};

}  // namespace

Result<Profile> BuildProfile(const ImageScan& scan, const ProfileOptions& options) {
  const std::vector<LabelSource*>& sources = options.sources;
  Profile profile;
  Rollup& rollup = profile.rollup;
  std::vector<std::string_view> labels(sources.size());
  // Filter results per distinct label: labels are views into storage that
  // outlives this function (the sources own them).
  std::unordered_map<std::string_view, bool> keep_cache;
  auto add = [&](uint64_t blob, uint64_t tar) {
    if (options.source_filter != nullptr && !labels.empty()) {
      std::string_view last = labels.back();
      auto it = keep_cache.find(last);
      if (it == keep_cache.end()) {
        bool keep = std::regex_search(last.begin(), last.end(), *options.source_filter);
        it = keep_cache.emplace(last, keep).first;
      }
      if (!it->second) {
        profile.omitted_blob += blob;
        profile.omitted_tar += tar;
        return;
      }
    }
    rollup.Add(labels, blob, tar);
  };
  auto add_structural = [&](size_t li, const char* fallback, uint64_t blob, uint64_t tar) {
    if (blob == 0 && tar == 0) return;
    for (size_t k = 0; k < sources.size(); ++k) labels[k] = sources[k]->StructuralLabel(li, fallback);
    add(blob, tar);
  };

  // Sources that label a whole layer alike (`layers`) make one row per
  // layer whatever its members: add the layer's totals at once. The rollup
  // is the same as the walk below would build (it adds every non-empty
  // range of the layer under the same labels), and the scan's entries are
  // not read, so a totals-only scan (ScanOptions::totals_only) will do.
  const bool per_layer =
      std::all_of(sources.begin(), sources.end(), [](const LabelSource* s) { return s->per_layer(); });

  uint64_t want_blob = 0, want_tar = 0;
  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    want_blob += layer.blob_size;
    want_tar += layer.tar_size;
    if (per_layer) {
      add_structural(li, "", layer.blob_size, layer.tar_size);
      continue;
    }
    LayerSums sums;
    ForEachLayerRange(layer, li, [&](const ByteRange& r) {
      switch (r.part) {
        case RangePart::kHeader:
          sums.header_tar += r.tar_size;
          sums.header_blob += r.blob_size;
          break;
        case RangePart::kPadding:
          sums.pad_tar += r.tar_size;
          sums.pad_blob += r.blob_size;
          break;
        case RangePart::kEnd:
          sums.end_tar += r.tar_size;
          sums.end_blob += r.blob_size;
          break;
        case RangePart::kData:
          for (size_t k = 0; k < sources.size(); ++k) labels[k] = sources[k]->EntryLabel(li, r.entry);
          add(r.blob_size, r.tar_size);
          break;
      }
    });
    add_structural(li, kLabelTarHeaders, sums.header_blob, sums.header_tar);
    add_structural(li, kLabelPadding, sums.pad_blob, sums.pad_tar);
    add_structural(li, kLabelEndOfArchive, sums.end_blob, sums.end_tar);
  }
  if (rollup.blob() + profile.omitted_blob != want_blob || rollup.tar() + profile.omitted_tar != want_tar) {
    return Error(Errc::kInternal,
                 StrFormat("%s: accounting invariant broken: rollup has blob %llu / tar %llu bytes, "
                           "layers hold %llu / %llu",
                           options.image_name.c_str(), static_cast<unsigned long long>(rollup.blob()),
                           static_cast<unsigned long long>(rollup.tar()),
                           static_cast<unsigned long long>(want_blob),
                           static_cast<unsigned long long>(want_tar)));
  }
  return profile;
}

}  // namespace whittle
