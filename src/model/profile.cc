#include "model/profile.h"

#include <unordered_map>

#include "scan/history_labels.h"
#include "util/strings.h"

namespace whittle {

const std::vector<DataSourceInfo>& DataSources() {
  static const std::vector<DataSourceInfo> kSources = {
      {DataSource::kLayers, "layers", "the layer, labelled '#N INSTRUCTION' from the config history"},
      {DataSource::kPaths, "paths", "the file's directory, cut to --depth components (default 3)"},
      {DataSource::kFiles, "files", "the file's full path"},
      {DataSource::kWaste, "waste",
       "what became of the bytes in the final filesystem: live, overwritten, deleted, "
       "hidden-by-opaque"},
  };
  return kSources;
}

Result<std::vector<DataSource>> ParseDataSources(std::string_view spec) {
  std::vector<DataSource> out;
  for (std::string_view name : Split(spec, ',')) {
    name = TrimWhitespace(name);
    bool found = false;
    for (const auto& info : DataSources()) {
      if (name == info.name) {
        out.push_back(info.source);
        found = true;
      }
    }
    if (!found) {
      std::string valid;
      for (const auto& info : DataSources()) valid += std::string(valid.empty() ? "" : ", ") + info.name;
      return Error(Errc::kUsage, StrFormat("unknown data source '%s' (valid: %s)",
                                           std::string(name).c_str(), valid.c_str()));
    }
  }
  if (out.empty()) return Error(Errc::kUsage, "-d needs at least one data source");
  return out;
}

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

Result<Profile> BuildProfile(const Image& image, const ImageScan& scan, const ProfileOptions& options) {
  for (DataSource s : options.sources) {
    if (s == DataSource::kWaste && options.fates == nullptr) {
      return Error(Errc::kInternal, "the waste data source needs entry fates");
    }
  }
  std::vector<std::string> layer_labels = LayerLabels(image);
  Profile profile;
  Rollup& rollup = profile.rollup;
  std::vector<std::string_view> labels(options.sources.size());
  // Filter results per distinct label: labels are views into storage that
  // outlives this function (interned paths, layer labels, static strings).
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
  uint64_t want_blob = 0, want_tar = 0;

  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    want_blob += layer.blob_size;
    want_tar += layer.tar_size;
    std::string_view layer_label = li < layer_labels.size() ? std::string_view(layer_labels[li]) : "";
    auto fill_synthetic = [&](const char* label) {
      for (size_t k = 0; k < options.sources.size(); ++k) {
        labels[k] = options.sources[k] == DataSource::kLayers ? layer_label : std::string_view(label);
      }
    };
    uint64_t header_tar = 0, header_blob = 0, pad_tar = 0, pad_blob = 0;
    for (size_t ei = 0; ei < layer.entries.size(); ++ei) {
      const LayerEntry& e = layer.entries[ei];
      BlobSplit split = SplitBlob(e.blob_bytes, e.header_bytes, e.stored_size, e.padding);
      header_tar += e.header_bytes;
      header_blob += split.header;
      pad_tar += e.padding;
      pad_blob += split.padding;
      if (e.stored_size == 0 && split.data == 0) continue;
      std::string_view path = scan.paths->Get(e.path);
      for (size_t k = 0; k < options.sources.size(); ++k) {
        switch (options.sources[k]) {
          case DataSource::kLayers: labels[k] = layer_label; break;
          case DataSource::kPaths: labels[k] = PathPrefix(path, options.depth); break;
          case DataSource::kFiles: labels[k] = path; break;
          case DataSource::kWaste: labels[k] = (*options.fates)[li][ei]; break;
        }
      }
      add(split.data, e.stored_size);
    }
    if (header_tar || header_blob) {
      fill_synthetic(kLabelTarHeaders);
      add(header_blob, header_tar);
    }
    if (pad_tar || pad_blob) {
      fill_synthetic(kLabelPadding);
      add(pad_blob, pad_tar);
    }
    if (layer.end_tar_bytes || layer.end_blob_bytes) {
      fill_synthetic(kLabelEndOfArchive);
      add(layer.end_blob_bytes, layer.end_tar_bytes);
    }
  }
  if (rollup.blob() + profile.omitted_blob != want_blob || rollup.tar() + profile.omitted_tar != want_tar) {
    return Error(Errc::kInternal,
                 StrFormat("%s: accounting invariant broken: rollup has blob %llu / tar %llu bytes, "
                           "layers hold %llu / %llu",
                           image.reference.c_str(), static_cast<unsigned long long>(rollup.blob()),
                           static_cast<unsigned long long>(rollup.tar()),
                           static_cast<unsigned long long>(want_blob),
                           static_cast<unsigned long long>(want_tar)));
  }
  return profile;
}

}  // namespace whittle
