#include "htmlreport/fs_tree.h"

#include <algorithm>
#include <utility>

namespace whittle::htmlreport {

namespace {

// Paths deeper than this keep their tail as one component: a pax path can
// be megabytes of "a/a/a/...", and the walks below recurse per level.
constexpr size_t kMaxDepth = 128;

uint32_t ArgMax(const std::vector<uint64_t>& v) {
  uint32_t best = 0;
  for (uint32_t i = 1; i < v.size(); ++i) {
    if (v[i] > v[best]) best = i;
  }
  return best;
}

}  // namespace

struct FsTreeBuilder::Agg {
  std::vector<uint64_t> kind_bytes;
  std::vector<uint64_t> layer_bytes;
  void Add(const Agg& o) {
    for (size_t i = 0; i < kind_bytes.size(); ++i) kind_bytes[i] += o.kind_bytes[i];
    for (size_t i = 0; i < layer_bytes.size(); ++i) layer_bytes[i] += o.layer_bytes[i];
  }
};

FsTreeBuilder::FsTreeBuilder(size_t kinds, size_t layers)
    : kinds_(std::max<size_t>(kinds, 1)), layers_(std::max<size_t>(layers, 1)) {
  nodes_.emplace_back();
}

void FsTreeBuilder::AddFile(std::string_view path, uint64_t bytes, uint32_t kind, uint32_t layer) {
  if (bytes == 0) return;
  uint32_t id = 0;
  size_t depth = 0;
  size_t pos = 0;
  while (pos < path.size()) {
    if (path[pos] == '/') {
      ++pos;
      continue;
    }
    size_t end = ++depth >= kMaxDepth ? path.size() : path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view name = path.substr(pos, end - pos);
    pos = end;
    Node& parent = nodes_[id];
    parent.bytes += bytes;
    parent.files += 1;
    auto it = parent.children.find(name);
    if (it == parent.children.end()) {
      uint32_t child = static_cast<uint32_t>(nodes_.size());
      nodes_[id].children.emplace(std::string(name), child);
      nodes_.emplace_back();
      id = child;
    } else {
      id = it->second;
    }
  }
  if (id == 0) return;  // "/" itself is not a file
  Node& leaf = nodes_[id];
  leaf.bytes += bytes;
  leaf.files += 1;
  leaf.own_bytes += bytes;
  leaf.kind = std::min<uint32_t>(kind, static_cast<uint32_t>(kinds_ - 1));
  leaf.layer = std::min<uint32_t>(layer, static_cast<uint32_t>(layers_ - 1));
}

// Nodes FsTree would hold at threshold |t| (see Emit): the root, each kept
// child of an expanded directory, and one node per directory for its small
// children (the fold, or the one small child itself).
size_t FsTreeBuilder::CountAt(uint64_t t) const {
  size_t count = 1;
  std::vector<uint32_t> stack = {0};
  while (!stack.empty()) {
    const Node& n = nodes_[stack.back()];
    stack.pop_back();
    bool small = false;
    for (const auto& [name, child] : n.children) {
      if (nodes_[child].bytes >= t) {
        ++count;
        stack.push_back(child);
      } else {
        small = true;
      }
    }
    if (small) ++count;
  }
  return count;
}

FsTreeBuilder::Agg FsTreeBuilder::Emit(uint32_t id, const std::string& name, uint64_t t, bool expand,
                                       TreeNode* out, FsTree* tree) const {
  const Node& n = nodes_[id];
  Agg agg{std::vector<uint64_t>(kinds_), std::vector<uint64_t>(layers_)};
  agg.kind_bytes[n.kind] += n.own_bytes;
  agg.layer_bytes[n.layer] += n.own_bytes;
  // Children: largest first, then by name (the map is in name order and
  // the sort is stable).
  std::vector<std::pair<const std::string*, uint32_t>> order;
  order.reserve(n.children.size());
  for (const auto& [child_name, child] : n.children) order.push_back({&child_name, child});
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto& a, const auto& b) { return nodes_[a.second].bytes > nodes_[b.second].bytes; });
  size_t first_small = order.size();
  for (size_t i = 0; i < order.size(); ++i) {
    if (nodes_[order[i].second].bytes < t) {
      first_small = i;
      break;
    }
  }
  if (out != nullptr) {
    out->name = name;
    out->bytes = n.bytes;
    out->files = n.files;
    out->dir = n.own_bytes == 0 || !n.children.empty();
    ++tree->nodes;
  }
  Agg small{std::vector<uint64_t>(kinds_), std::vector<uint64_t>(layers_)};
  for (size_t i = 0; i < order.size(); ++i) {
    const auto& [child_name, child] = order[i];
    TreeNode* child_out = nullptr;
    if (out != nullptr && expand && (i < first_small || order.size() - first_small == 1)) {
      out->children.emplace_back();
      child_out = &out->children.back();
    }
    // A kept child is expanded; a lone small child is drawn without its subtree.
    Agg child_agg = Emit(child, *child_name, t, i < first_small, child_out, tree);
    if (i >= first_small) small.Add(child_agg);
    agg.Add(child_agg);
  }
  if (out != nullptr && expand && first_small < order.size()) {
    uint64_t folded_files = 0;
    for (size_t i = first_small; i < order.size(); ++i) folded_files += nodes_[order[i].second].files;
    if (order.size() - first_small == 1) {
      // Drawn as itself: a file is not folded; a directory's files are.
      if (!out->children.back().dir) folded_files = 0;
    } else {
      TreeNode fold;
      for (size_t i = first_small; i < order.size(); ++i) fold.bytes += nodes_[order[i].second].bytes;
      fold.files = folded_files;
      fold.name = "[" + std::to_string(folded_files) + " smaller file" + (folded_files == 1 ? "" : "s") + "]";
      fold.fold = true;
      fold.kind = ArgMax(small.kind_bytes);
      fold.layer = ArgMax(small.layer_bytes);
      out->children.push_back(std::move(fold));
      ++tree->nodes;
    }
    tree->folded_files += folded_files;
  }
  if (out != nullptr) {
    out->kind = ArgMax(agg.kind_bytes);
    out->layer = ArgMax(agg.layer_bytes);
  }
  return agg;
}

FsTree FsTreeBuilder::Finish(size_t max_nodes) const {
  max_nodes = std::max<size_t>(max_nodes, 2);
  FsTree tree;
  tree.all_nodes = nodes_.size();
  uint64_t t = 0;
  if (nodes_.size() > max_nodes) {
    std::vector<uint64_t> sizes;
    sizes.reserve(nodes_.size());
    for (size_t i = 1; i < nodes_.size(); ++i) sizes.push_back(nodes_[i].bytes);
    std::sort(sizes.begin(), sizes.end());
    sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
    sizes.push_back(sizes.back() + 1);  // nothing kept: the root and one fold
    // The smallest threshold that fits; the last candidate always does.
    size_t lo = 0, hi = sizes.size() - 1;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (CountAt(sizes[mid]) <= max_nodes) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    t = sizes[hi];
  }
  tree.threshold = t;
  Emit(0, "/", t, true, &tree.root, &tree);
  tree.root.dir = true;
  return tree;
}

}  // namespace whittle::htmlreport
