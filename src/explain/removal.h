// Removal: what an edit takes out of the image — tar members of some layers,
// and (for a base swap) whole layers — and the image it leaves. Projections
// are computed from these measured sets, never from percentages; the union
// of several findings counts a member once however many findings remove it
// (docs/explain.md).
#ifndef WHITTLE_EXPLAIN_REMOVAL_H_
#define WHITTLE_EXPLAIN_REMOVAL_H_

#include <cstdint>
#include <vector>

#include "explain/image_facts.h"

namespace whittle::explain {

class Removal {
 public:
  Removal() = default;
  explicit Removal(const ImageFacts& facts);

  void AddEntry(EntryRef r) { entries_[r.layer][r.entry] = 1; }
  /// The whole layer goes (headers, padding and end region too).
  void AddLayer(size_t layer) { whole_[layer] = 1; }
  bool HasEntry(EntryRef r) const { return whole_[r.layer] != 0 || entries_[r.layer][r.entry] != 0; }
  bool HasLayer(size_t layer) const { return whole_[layer] != 0; }
  /// Adds everything |other| removes.
  void Merge(const Removal& other);
  /// The bytes removed: whole layers, plus the members of the other layers.
  Bytes Removed(const ImageFacts& facts) const;
  /// The layers it touches, in order.
  std::vector<size_t> Layers() const;

 private:
  std::vector<std::vector<uint8_t>> entries_;
  std::vector<uint8_t> whole_;
};

/// The image after removing |r| and adding |added| (a candidate base's
/// layers): total - removed + added.
Bytes Project(const ImageFacts& facts, const Removal& r, Bytes added = {});

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_REMOVAL_H_
