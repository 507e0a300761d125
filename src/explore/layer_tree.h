// LayerTree: the filesystem of an image as of any one layer, for `whittle
// explore`. Built once from the single scan (ImageScan) and the per-member
// fates (waste/entry_fate.h): one node per distinct path the image ever
// stores, each with the list of members ("versions") that stored it, in
// layer and tar order. Selecting a layer recomputes, in one O(nodes) pass,
// which version is visible there, the added/modified/removed mark against
// the layer below, and the subtree totals; nothing is re-stacked.
//
//   version (layer L, member i) is visible at layer N  <=>
//       L <= N  and not (fate dead and killer_layer <= N)
//
// (a member killed at layer K stays dead above K; a later re-add is another
// version). A directory with no visible version of its own is visible when
// a descendant is (tars need not list parent directories).
//
// What it is not: a view. Sorting, filtering, expansion and the flattened
// rows live in explore/tree_view.h; drawing in explore/explore_ui.h.
#ifndef WHITTLE_EXPLORE_LAYER_TREE_H_
#define WHITTLE_EXPLORE_LAYER_TREE_H_

#include <cstdint>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scan/layer_scan.h"
#include "util/big_array.h"
#include "waste/entry_fate.h"

namespace whittle {

using NodeId = uint32_t;
inline constexpr NodeId kRootNode = 0;

/// A node's change at the selected layer, against the layer below.
enum class Mark : uint8_t {
  kNone,      // unchanged (or a directory only its descendants changed)
  kAdded,     // visible here, not below
  kModified,  // visible here and below; this layer stores a new version
  kRemoved,   // visible below, not here (deleted, hidden, or replaced by a parent's change)
};

/// One member that stored a path: scan.layers[layer].entries[index].
struct EntryRef {
  uint32_t layer = 0;
  uint32_t index = 0;
};

class LayerTree {
 public:
  /// Builds the node table from every member of |scan| except whiteout and
  /// opaque markers (their effect is in |fates|, shaped like
  /// ClassifyEntries). Both must outlive the tree. Selects the top layer.
  LayerTree(const ImageScan& scan, const ImageFates& fates);
  /// As above, but selects no layer, so |fates| is not read until the first
  /// SelectLayer, which the caller must make before any other call: the
  /// fates may still be being computed (on another thread) meanwhile.
  struct NodesOnly {};
  LayerTree(const ImageScan& scan, const ImageFates& fates, NodesOnly);
  LayerTree(const LayerTree&) = delete;
  LayerTree& operator=(const LayerTree&) = delete;

  const ImageScan& scan() const { return scan_; }
  size_t node_count() const { return nodes_.size(); }
  size_t layer_count() const { return scan_.layers.size(); }

  /// Makes |layer| (0-based, < layer_count()) the one every per-layer
  /// accessor below answers for. O(nodes + versions).
  void SelectLayer(size_t layer);
  size_t layer() const { return layer_; }

  NodeId parent(NodeId n) const { return nodes_[n].parent; }
  /// Children in first-stored order, whether visible at this layer or not.
  std::span<const NodeId> children(NodeId n) const {
    return {child_ids_.data() + child_begin_[n], child_ids_.data() + child_begin_[n + 1]};
  }
  /// The last path component ("" for the root).
  std::string_view name(NodeId n) const;
  /// The absolute path ("/" for the root).
  std::string_view path(NodeId n) const;
  std::span<const EntryRef> versions(NodeId n) const {
    return {version_refs_.data() + version_begin_[n], version_refs_.data() + version_begin_[n + 1]};
  }

  // At the selected layer:
  /// Visible (own version or a visible descendant).
  bool visible(NodeId n) const { return (state_[n].flags & kVisible) != 0; }
  Mark mark(NodeId n) const { return state_[n].mark; }
  /// The node or a descendant has a mark.
  bool changed(NodeId n) const { return (state_[n].flags & kChanged) != 0; }
  /// The version to describe: the visible one, or for a removed node the one
  /// visible at the layer below. Null when there is none (an implicit
  /// directory, or a node absent here and below).
  const EntryRef* entry(NodeId n) const;
  /// The member |entry(n)| names, or null.
  const LayerEntry* member(NodeId n) const;
  /// A directory: its member is one, or it has no member but children.
  bool is_dir(NodeId n) const;
  /// Content bytes of the node's own version (0 for directories and links).
  uint64_t own_bytes(NodeId n) const;
  /// Visible node: own bytes plus every visible descendant's. Removed node:
  /// the same over the removed subtree as it was at the layer below.
  uint64_t total_bytes(NodeId n) const { return state_[n].total; }
  /// Bytes visible here (in this subtree) that a later layer deletes or
  /// overwrites: the "only waste" view.
  uint64_t waste_bytes(NodeId n) const { return state_[n].waste; }
  /// The fate of the node's described version, or null.
  const EntryFate* fate(NodeId n) const;

 private:
  struct Node {
    PathId src = kNoPath;  // a path of which this node's path is a prefix
    uint32_t len = 0;      // length of the node's path within src
    uint32_t name_off = 0; // start of the last component within src
    NodeId parent = kRootNode;
  };
  static constexpr uint8_t kVisible = 1, kVisiblePrev = 2, kChanged = 4;
  struct State {
    int32_t version = -1;  // index into versions of entry(); -1 none
    uint64_t total = 0;
    uint64_t waste = 0;
    Mark mark = Mark::kNone;
    uint8_t flags = 0;
  };

  static constexpr NodeId kNoNode = 0xffffffffu;
  NodeId AddPath(PathId id);
  /// The node of |path|, or kNoNode. A path's node is recorded in
  /// node_of_path_ when the path is interned, else in implicit_.
  NodeId Lookup(std::string_view path) const;
  /// Records |n| as the node of |path| (interned as |id|, or kNoPath: look
  /// it up).
  void Record(std::string_view path, PathId id, NodeId n);
  /// Index into versions of the version visible at |layer|, or -1.
  int32_t VisibleVersion(NodeId n, int64_t layer) const;

  const ImageScan& scan_;
  const ImageFates& fates_;
  SlabVector<Node> nodes_;  // parents before children (ids ascend down the tree)
  // Children and versions, flat (no allocation per node: a fresh process
  // pays for every page it touches): node n's children are
  // child_ids_[child_begin_[n] .. child_begin_[n + 1]), in ascending id
  // (creation) order; its versions likewise, in layer, then tar order.
  SlabVector<uint32_t> child_begin_;
  SlabVector<NodeId> child_ids_;
  SlabVector<uint32_t> version_begin_;
  SlabVector<EntryRef> version_refs_;
  // The node of each interned path (kNoNode: none yet): members find their
  // node with one array read, not a string hash.
  SlabVector<NodeId> node_of_path_;
  // Nodes of directories no member and no link target names (implied by
  // their contents); views into the interner.
  std::unordered_map<std::string_view, NodeId> implicit_;
  SlabVector<State> state_;
  size_t layer_ = 0;
};

}  // namespace whittle

#endif  // WHITTLE_EXPLORE_LAYER_TREE_H_
