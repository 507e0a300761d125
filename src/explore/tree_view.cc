#include "explore/tree_view.h"

#include <algorithm>

namespace whittle {

TreeView::TreeView(LayerTree* tree) : tree_(tree), expanded_(tree->node_count(), false) {
  expanded_[kRootNode] = true;
  Rebuild();
}

TreeView::~TreeView() = default;

uint64_t TreeView::shown_bytes(NodeId n) const {
  return waste_only_ ? tree_->waste_bytes(n) : tree_->total_bytes(n);
}

bool TreeView::Listed(NodeId n) const {
  const LayerTree& t = *tree_;
  if (!t.visible(n) && t.mark(n) != Mark::kRemoved) return false;
  if (changes_only_ && !t.changed(n)) return false;
  if (waste_only_ && (t.waste_bytes(n) == 0 || !t.visible(n))) return false;
  if (!matches_.empty() && !matches_[n]) return false;
  return true;
}

void TreeView::AppendChildren(NodeId n, uint32_t depth, std::vector<TreeRow>* out) {
  std::vector<NodeId> kids;
  for (NodeId c : tree_->children(n)) {
    if (Listed(c)) kids.push_back(c);
  }
  const LayerTree& t = *tree_;
  if (sort_ == SortBy::kSize) {
    std::sort(kids.begin(), kids.end(), [&](NodeId a, NodeId b) {
      uint64_t sa = shown_bytes(a), sb = shown_bytes(b);
      if (sa != sb) return sa > sb;
      return t.name(a) < t.name(b);
    });
  } else {
    std::sort(kids.begin(), kids.end(), [&](NodeId a, NodeId b) { return t.name(a) < t.name(b); });
  }
  for (NodeId c : kids) {
    out->push_back({c, depth});
    if (expanded_[c]) AppendChildren(c, depth + 1, out);
  }
}

void TreeView::Rebuild() {
  NodeId keep = selected();
  rows_.clear();
  AppendChildren(kRootNode, 0, &rows_);
  cursor_ = 0;
  if (keep == kRootNode) return;
  // Stay on the same node, or on its nearest listed ancestor.
  for (NodeId n = keep; n != kRootNode; n = tree_->parent(n)) {
    for (size_t i = 0; i < rows_.size(); ++i) {
      if (rows_[i].node == n) {
        cursor_ = i;
        return;
      }
    }
  }
}

void TreeView::SelectLayer(size_t layer) {
  tree_->SelectLayer(layer);
  Rebuild();
}

void TreeView::set_changes_only(bool on) {
  changes_only_ = on;
  Rebuild();
}

void TreeView::set_waste_only(bool on) {
  waste_only_ = on;
  Rebuild();
}

void TreeView::set_sort(SortBy sort) {
  sort_ = sort;
  Rebuild();
}

Status TreeView::SetFilter(const std::string& pattern) {
  if (pattern.empty()) {
    filter_.clear();
    matches_.clear();
    Rebuild();
    return Status::Ok();
  }
  regex_t re;
  int rc = regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB);
  if (rc != 0) {
    char buf[256];
    regerror(rc, &re, buf, sizeof buf);
    return Error(Errc::kUsage, "filter /" + pattern + "/: " + buf);
  }
  const LayerTree& t = *tree_;
  std::vector<bool> matches(t.node_count(), false);
  std::string path;
  // Children have larger ids than parents: mark matches bottom-up.
  for (NodeId n = static_cast<NodeId>(t.node_count()); n-- > 1;) {
    if (!matches[n]) {
      path.assign(t.path(n));
      matches[n] = regexec(&re, path.c_str(), 0, nullptr, 0) == 0;
    }
    if (matches[n]) matches[t.parent(n)] = true;  // list the directories on the way
  }
  matches[kRootNode] = true;
  // Open every directory on the way to a match, so the matches show.
  for (NodeId n = static_cast<NodeId>(t.node_count()); n-- > 1;) {
    if (!matches[n]) continue;
    for (NodeId p = t.parent(n); p != kRootNode && !expanded_[p]; p = t.parent(p)) expanded_[p] = true;
  }
  regfree(&re);
  filter_ = pattern;
  matches_ = std::move(matches);
  Rebuild();
  return Status::Ok();
}

void TreeView::MoveCursor(long delta) {
  if (rows_.empty()) return;
  long target = static_cast<long>(cursor_) + delta;
  target = std::clamp<long>(target, 0, static_cast<long>(rows_.size()) - 1);
  cursor_ = static_cast<size_t>(target);
}

void TreeView::MoveCursorTo(size_t row) {
  if (rows_.empty()) return;
  cursor_ = std::min(row, rows_.size() - 1);
}

void TreeView::Expand() {
  if (rows_.empty()) return;
  NodeId n = rows_[cursor_].node;
  if (expanded_[n] || !tree_->is_dir(n)) return;
  expanded_[n] = true;
  std::vector<TreeRow> added;
  AppendChildren(n, rows_[cursor_].depth + 1, &added);
  rows_.insert(rows_.begin() + static_cast<long>(cursor_) + 1, added.begin(), added.end());
}

void TreeView::Collapse() {
  if (rows_.empty()) return;
  NodeId n = rows_[cursor_].node;
  if (!expanded_[n] || !tree_->is_dir(n)) {
    // Go to the parent row and collapse it.
    uint32_t depth = rows_[cursor_].depth;
    if (depth == 0) return;
    size_t i = cursor_;
    while (i > 0 && rows_[i].depth >= depth) --i;
    cursor_ = i;
    n = rows_[cursor_].node;
  }
  expanded_[n] = false;
  uint32_t depth = rows_[cursor_].depth;
  size_t end = cursor_ + 1;
  while (end < rows_.size() && rows_[end].depth > depth) ++end;
  rows_.erase(rows_.begin() + static_cast<long>(cursor_) + 1, rows_.begin() + static_cast<long>(end));
}

void TreeView::Toggle() {
  if (rows_.empty()) return;
  if (expanded_[rows_[cursor_].node]) {
    Collapse();
  } else {
    Expand();
  }
}

}  // namespace whittle
