#include "explain/image_facts.h"

#include "model/range_walk.h"
#include "pkg/kinds.h"

namespace whittle::explain {

ImageFacts::ImageFacts(const Image& image, const ImageScan& scan, SourceInputs& inputs)
    : image_(image), scan_(scan), packages_(inputs.packages()), fates_(inputs.fates()) {
  const pkg::KindTable& kinds = pkg::KindTable::BuiltIn();
  kinds_.resize(scan.layers.size());
  for (uint32_t l = 0; l < scan.layers.size(); ++l) {
    const LayerScan& layer = scan.layers[l];
    total_.tar += layer.tar_size;
    total_.blob += layer.blob_size;
    kinds_[l].assign(layer.entries.size(), pkg::kRuntimeKind);
    for (uint32_t e = 0; e < layer.entries.size(); ++e) {
      const LayerEntry& le = layer.entries[e];
      EntryRef r{l, e};
      if (le.stored_size > 0) kinds_[l][e] = kinds.Classify(scan.paths->Get(le.path), owner(r));
      const bool linkish = le.kind == EntryKind::kFile || le.kind == EntryKind::kSymlink ||
                           le.kind == EntryKind::kHardLink;
      if (linkish && live(r)) live_[le.path] = r;  // a later layer's live entry replaces it
    }
  }
}

Bytes ImageFacts::layer_bytes(size_t layer) const {
  return {scan_.layers[layer].tar_size, scan_.layers[layer].blob_size};
}

Bytes ImageFacts::data(EntryRef r) const {
  const LayerEntry& e = entry(r);
  BlobSplit s = SplitBlob(e.blob_bytes, e.header_bytes, e.stored_size, e.padding);
  return {e.stored_size, s.data};
}

Bytes ImageFacts::member(EntryRef r) const {
  const LayerEntry& e = entry(r);
  return {e.tar_bytes(), e.blob_bytes};
}

std::optional<EntryRef> ImageFacts::LiveAt(std::string_view path) const {
  PathId id = scan_.paths->Find(path);
  if (id == kNoPath) return std::nullopt;
  auto it = live_.find(id);
  if (it == live_.end()) return std::nullopt;
  return it->second;
}

}  // namespace whittle::explain
