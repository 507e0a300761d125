// ComponentTrie: a trie over path components ("/a/b" -> "a", "b") with dense
// uint32 node ids. It is the "what do upper layers cover" structure of
// entry_fate.cc and the per-layer and stacked file trees of dive_metrics.cc;
// both walk it in O(path depth) per lookup.
//
// Memory is what makes `waste` fit the same budget as `profile` (64 MiB +
// 150 B per entry): a node costs its parent id, its name view and two to
// four 8-byte slots of an open-addressing table (linear probing, load <= 1/2),
// about 36-52 bytes, with no allocation per node.
//
// Names are string_views that the caller keeps alive (views into the
// ImageScan's PathInterner, whose storage never moves).
#ifndef WHITTLE_WASTE_COMPONENT_TRIE_H_
#define WHITTLE_WASTE_COMPONENT_TRIE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "util/big_array.h"
#include "util/tagged_slots.h"

namespace whittle {

/// Splits an absolute normalised path into its non-empty components
/// ("/" -> none, "/a/b" -> {"a", "b"}). Views point into |path|.
void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out);

/// The last component of |next| when |next| and |last| have the same
/// parent directory (spelled alike: "/a/b/x" and "/a/b/y"), else an empty
/// view. For prefetching only: a walker that knows the node of |last|'s
/// parent knows the parent of |next|.
std::string_view SiblingLeaf(std::string_view last, std::string_view next);

class ComponentTrie {
 public:
  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kNone = 0xffffffffu;

  ComponentTrie() : parents_{kNone}, names_{std::string_view()} {}
  ComponentTrie(const ComponentTrie&) = default;
  ComponentTrie& operator=(const ComponentTrie&) = default;
  ComponentTrie(ComponentTrie&&) = default;
  ComponentTrie& operator=(ComponentTrie&&) = default;

  /// The child of |parent| named |name|, or kNone.
  uint32_t Find(uint32_t parent, std::string_view name) const;
  /// Finds or creates the child; |*created| (optional) tells which.
  uint32_t FindOrAdd(uint32_t parent, std::string_view name, bool* created = nullptr);
  /// Starts loading the slot where the child of |parent| named |name| is
  /// (or would go) into the cache: a walk over a million members misses the
  /// cache on nearly every probe, and a caller that knows its next keys a
  /// few members ahead hides that latency behind the work in between.
  void Prefetch(uint32_t parent, std::string_view name) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[static_cast<size_t>(Hash(parent, name)) & (slots_.size() - 1)]);
  }
  /// How many members ahead of the one they walk the walkers prefetch
  /// (8 measured the same as 4 on a million-entry layer).
  static constexpr size_t kPrefetchAhead = 4;
  /// True when the table is big enough for a miss per probe: 2^19 slots
  /// (4 MiB, 128k-256k nodes) or more. Below that it stays in the caches and
  /// a prefetch only costs its hash (30% more time for the fates and dive's
  /// tree of a 40,000-entry image, 8-20% more at 100k entries).
  bool PrefetchPays() const { return slots_.size() >= (size_t{1} << 19); }
  /// Prefetch for |next| when it is a sibling of |last| (SiblingLeaf),
  /// |walked| being the nodes of |last|'s components, root first, as the
  /// walkers keep them.
  void PrefetchSibling(const std::vector<uint32_t>& walked, std::string_view last, std::string_view next) const {
    const std::string_view leaf = SiblingLeaf(last, next);
    if (walked.empty() || leaf.empty()) return;
    Prefetch(walked.size() >= 2 ? walked[walked.size() - 2] : kRoot, leaf);
  }
  /// Unlinks the child so Find no longer returns it (its id stays valid and
  /// is never reused).
  void Unlink(uint32_t parent, std::string_view name);
  uint32_t parent(uint32_t node) const { return parents_[node]; }
  std::string_view name(uint32_t node) const { return names_[node]; }
  size_t size() const { return parents_.size(); }
  /// Makes room for |n| nodes without regrowing (a hint: more still fit).
  void Reserve(size_t n);

 private:
  // Tagged slots (util/tagged_slots.h): a probe passes other keys' slots
  // without reading their parent and name, and a rehash places every node
  // from its slot alone. Unlinked nodes leave a tombstone.
  static constexpr uint64_t kEmptySlot = kEmptyTaggedSlot;
  static constexpr uint64_t kTombstone = kEmptyTaggedSlot - 1;
  static uint64_t Hash(uint32_t parent, std::string_view name);
  static bool IsNode(uint64_t slot) { return slot != kEmptySlot && slot != kTombstone; }
  // The slot holding (parent, name), or the first free one on its probe
  // path (kEmptySlot there) when absent. |slots_| must not be empty.
  size_t Probe(uint32_t parent, std::string_view name, uint64_t hash) const;
  void Rehash(size_t n);
  void Grow();

  // Big arrays: on huge pages (util/big_array.h).
  BigVector<uint32_t> parents_;
  BigVector<std::string_view> names_;
  BigVector<uint64_t> slots_;  // TaggedSlot(node), kEmptySlot or kTombstone; size a power of two
  size_t used_ = 0;              // slots not empty (nodes + tombstones)
};

}  // namespace whittle

#endif  // WHITTLE_WASTE_COMPONENT_TRIE_H_
