// PathNodes: the directory tree of an image's paths, on the ids the scanner
// already gave them. Node |id| is the interned path |id|; the root ("/")
// and the parent directories no member names (a tar may list /a/b/c
// without /a/b) get nodes after the ids. A node's parent is found once, by
// its directory's text in the interner, and remembered.
//
// It is the path structure of both walkers of `waste`: the fates' covers
// (entry_fate.cc) and dive's file trees (dive_metrics.cc) keep their data
// in arrays by node. Before, each built a trie over path components: ~40
// bytes of fresh memory a node and a probe of a table far bigger than the
// caches per member, which was most of their time at a million entries.
//
// Paths are the scanner's normalised ones ("/a/b", "/"). Not thread-safe:
// one walker owns one; the interner must not change meanwhile.
//
// Cost: a member's parent is one lookup of its directory's text, and the
// members of one directory, listed together, share the last one's. A
// directory no member names is found or added under its parent by its last
// component alone, so a hostile path 100,000 directories deep costs its
// length once, not its length per level: the interner is asked for such a
// directory's text only when some interned path is as long
// (LongLengthInterned).
#ifndef WHITTLE_WASTE_PATH_NODES_H_
#define WHITTLE_WASTE_PATH_NODES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "util/big_array.h"
#include "util/interner.h"

namespace whittle {

class PathNodes {
 public:
  static constexpr uint32_t kNone = 0xffffffffu;

  explicit PathNodes(const PathInterner& paths);
  PathNodes(const PathNodes&) = delete;
  PathNodes& operator=(const PathNodes&) = delete;

  uint32_t root() const { return root_; }
  /// Nodes so far: the ids, the root and the directories added since.
  size_t size() const { return parents_.size(); }
  /// The node of interned path |id| ("/" is the root).
  uint32_t Node(PathId id) const { return id == root_id_ ? root_ : id; }
  /// The parent directory's node; the root's parent is the root.
  uint32_t Parent(uint32_t node) {
    const uint32_t p = parents_[node];
    return p != kUnknown ? p : FindParent(node);
  }
  /// The node's normalised path ("/" for the root).
  std::string_view Path(uint32_t node) const;
  /// The node's last component ("" for the root).
  std::string_view Name(uint32_t node) const;
  /// The node of Path(|parent|) + "/" + |name|, when some member path or
  /// parent directory is spelled so (interned or added here), else kNone.
  /// Builds the text: for the rare lookups by name (whiteouts).
  uint32_t Child(uint32_t parent, std::string_view name);

 private:
  static constexpr uint32_t kUnknown = 0xfffffffeu;
  // Paths up to this long are looked up in the interner without asking
  // LongLengthInterned first.
  static constexpr size_t kShortPath = 256;
  uint32_t FindParent(uint32_t node);
  // The node of directory |dir| (a view into the interner's storage), with
  // the directories above it that no path spells added on the way.
  uint32_t DirNode(std::string_view dir);
  // The id of |s| when interned (before this was made), else kNoPath.
  PathId Interned(std::string_view s);
  // True when some interned path is |len| (> kShortPath) bytes long.
  bool LongLengthInterned(size_t len);

  struct ExtraKey {
    uint32_t parent;
    std::string_view name;
    bool operator==(const ExtraKey&) const = default;
  };
  struct ExtraHash {
    size_t operator()(const ExtraKey& k) const {
      return std::hash<std::string_view>()(k.name) ^ (uint64_t{k.parent} * 0x9e3779b97f4a7c15ull);
    }
  };

  const PathInterner& paths_;
  const uint32_t n_paths_;
  const uint32_t root_;  // == n_paths_
  PathId root_id_ = kNoPath;
  BigVector<uint32_t> parents_;  // by node; kUnknown until asked
  // Directories no path spells: (parent node, last component) -> node, and
  // their paths, from node n_paths_ + 1 on (views into the interner).
  std::unordered_map<ExtraKey, uint32_t, ExtraHash> extra_;
  std::vector<std::string_view> extra_paths_;
  std::string_view last_dir_;
  uint32_t last_dir_node_ = kNone;
  std::vector<std::string_view> pending_;
  std::string scratch_;
  bool long_lengths_known_ = false;
  std::unordered_set<size_t> long_lengths_;
};

}  // namespace whittle

#endif  // WHITTLE_WASTE_PATH_NODES_H_
