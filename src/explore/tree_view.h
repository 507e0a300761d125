// TreeView: what the file tree pane of `whittle explore` lists, over a
// LayerTree: which directories are expanded, the sort order, the modes that
// hide rows (only the layer's changes, only waste, a path regex), the
// flattened rows and the cursor. Pure: no terminal, so it is unit-tested
// directly (tree_view_test.cc).
//
// Cost model: the rows are rebuilt only when what they depend on changes
// (layer, sort, a mode, the filter): a walk of the expanded directories,
// sorting each one's children once per rebuild. Expanding or collapsing
// splices one directory's rows in or out; moving the cursor is O(1). A
// directory of 100,000 entries therefore costs one sort when it is opened
// or re-sorted, and nothing per cursor move.
#ifndef WHITTLE_EXPLORE_TREE_VIEW_H_
#define WHITTLE_EXPLORE_TREE_VIEW_H_

#include <regex.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "explore/layer_tree.h"
#include "util/status.h"

namespace whittle {

enum class SortBy : uint8_t {
  kSize,  // the shown bytes, largest first, then by name
  kName,  // byte order of names
};

struct TreeRow {
  NodeId node = kRootNode;
  uint32_t depth = 0;  // 0 = a child of the root
};

class TreeView {
 public:
  /// |tree| must outlive the view. The root's children are the first rows.
  explicit TreeView(LayerTree* tree);
  ~TreeView();
  TreeView(const TreeView&) = delete;
  TreeView& operator=(const TreeView&) = delete;

  const LayerTree& tree() const { return *tree_; }

  /// Selects |layer| in the tree and rebuilds; the cursor stays on the same
  /// node when it is still listed.
  void SelectLayer(size_t layer);
  /// Only the nodes the selected layer changed (and their directories).
  void set_changes_only(bool on);
  bool changes_only() const { return changes_only_; }
  /// Only visible bytes a later layer deletes or overwrites; sizes then
  /// show those bytes.
  void set_waste_only(bool on);
  bool waste_only() const { return waste_only_; }
  void set_sort(SortBy sort);
  SortBy sort() const { return sort_; }
  /// Keeps the nodes whose path matches |pattern| (POSIX extended regex,
  /// unanchored) and their directories, and expands those directories.
  /// "" clears the filter. A bad pattern fails with kUsage and leaves the
  /// view as it was.
  Status SetFilter(const std::string& pattern);
  const std::string& filter() const { return filter_; }

  const std::vector<TreeRow>& rows() const { return rows_; }
  /// Index of the selected row (0 when there are no rows).
  size_t cursor() const { return cursor_; }
  /// Moves the cursor by |delta| rows, clamped to the list.
  void MoveCursor(long delta);
  void MoveCursorTo(size_t row);
  /// The selected node, or the root when there are no rows.
  NodeId selected() const { return rows_.empty() ? kRootNode : rows_[cursor_].node; }

  bool expanded(NodeId n) const { return expanded_[n]; }
  /// Expands the selected directory (its rows are spliced in below it).
  void Expand();
  /// Collapses the selected directory; on a file or a collapsed directory,
  /// moves to and collapses the parent.
  void Collapse();
  /// Expand or collapse the selected directory.
  void Toggle();

  /// The bytes shown for |n|: total_bytes, or waste_bytes in waste-only mode.
  uint64_t shown_bytes(NodeId n) const;
  /// Whether |n| is listed under the current modes and filter.
  bool Listed(NodeId n) const;

 private:
  void Rebuild();
  /// Appends the listed children of |n| (sorted), recursing into expanded ones.
  void AppendChildren(NodeId n, uint32_t depth, std::vector<TreeRow>* out);

  LayerTree* tree_;
  std::vector<bool> expanded_;
  std::vector<bool> matches_;  // subtree has a filter match; empty: no filter
  std::string filter_;
  bool changes_only_ = false;
  bool waste_only_ = false;
  SortBy sort_ = SortBy::kSize;
  std::vector<TreeRow> rows_;
  size_t cursor_ = 0;
};

}  // namespace whittle

#endif  // WHITTLE_EXPLORE_TREE_VIEW_H_
