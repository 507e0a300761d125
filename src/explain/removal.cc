#include "explain/removal.h"

namespace whittle::explain {

Removal::Removal(const ImageFacts& facts) {
  entries_.resize(facts.layer_count());
  for (size_t l = 0; l < facts.layer_count(); ++l) entries_[l].assign(facts.scan().layers[l].entries.size(), 0);
  whole_.assign(facts.layer_count(), 0);
}

void Removal::Merge(const Removal& other) {
  for (size_t l = 0; l < entries_.size() && l < other.entries_.size(); ++l) {
    whole_[l] |= other.whole_[l];
    for (size_t e = 0; e < entries_[l].size(); ++e) entries_[l][e] |= other.entries_[l][e];
  }
}

Bytes Removal::Removed(const ImageFacts& facts) const {
  Bytes b;
  for (uint32_t l = 0; l < entries_.size(); ++l) {
    if (whole_[l]) {
      b += facts.layer_bytes(l);
      continue;
    }
    for (uint32_t e = 0; e < entries_[l].size(); ++e) {
      if (entries_[l][e]) b += facts.member({l, e});
    }
  }
  return b;
}

std::vector<size_t> Removal::Layers() const {
  std::vector<size_t> out;
  for (size_t l = 0; l < entries_.size(); ++l) {
    bool any = whole_[l] != 0;
    for (size_t e = 0; e < entries_[l].size() && !any; ++e) any = entries_[l][e] != 0;
    if (any) out.push_back(l);
  }
  return out;
}

Bytes Project(const ImageFacts& facts, const Removal& r, Bytes added) {
  Bytes removed = r.Removed(facts);
  Bytes t = facts.total();
  return {t.tar - removed.tar + added.tar, t.blob - removed.blob + added.blob};
}

}  // namespace whittle::explain
