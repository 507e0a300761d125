#include "explore/layer_tree.h"

namespace whittle {

LayerTree::LayerTree(const ImageScan& scan, const ImageFates& fates)
    : LayerTree(scan, fates, NodesOnly{}) {
  if (!scan.layers.empty()) SelectLayer(scan.layers.size() - 1);
}

LayerTree::LayerTree(const ImageScan& scan, const ImageFates& fates, NodesOnly)
    : scan_(scan), fates_(fates), node_of_path_(scan.paths->size(), kNoNode) {
  size_t members = 0;
  for (const LayerScan& l : scan.layers) members += l.entries.size();
  nodes_.reserve(members + 1);  // a guess: most images store each path once
  nodes_.emplace_back();  // the root
  // Pass 1: the nodes, and the node of each member (kNoNode: a whiteout or
  // an opaque marker, which is no version of anything).
  SlabVector<NodeId> member_node;
  member_node.reserve(members);
  for (const LayerScan& l : scan.layers) {
    for (const LayerEntry& e : l.entries) {
      const bool marker = e.kind == EntryKind::kWhiteout || e.kind == EntryKind::kOpaque;
      member_node.push_back(marker ? kNoNode : AddPath(e.path));
    }
  }
  const size_t n_nodes = nodes_.size();
  // Pass 2: counts, then offsets, then the flat lists, in the order the
  // nodes and members were met (so children ascend, versions follow layer
  // and tar order).
  child_begin_.assign(n_nodes + 1, 0);
  version_begin_.assign(n_nodes + 1, 0);
  for (size_t n = 1; n < n_nodes; ++n) ++child_begin_[nodes_[n].parent + 1];
  for (NodeId n : member_node) {
    if (n != kNoNode) ++version_begin_[n + 1];
  }
  for (size_t n = 0; n < n_nodes; ++n) {
    child_begin_[n + 1] += child_begin_[n];
    version_begin_[n + 1] += version_begin_[n];
  }
  child_ids_.resize(child_begin_[n_nodes]);
  version_refs_.resize(version_begin_[n_nodes]);
  {
    SlabVector<uint32_t> fill(child_begin_.begin(), child_begin_.end() - 1);
    for (size_t n = 1; n < n_nodes; ++n) child_ids_[fill[nodes_[n].parent]++] = static_cast<NodeId>(n);
    fill.assign(version_begin_.begin(), version_begin_.end() - 1);
    size_t m = 0;
    for (size_t li = 0; li < scan.layers.size(); ++li) {
      for (size_t k = 0; k < scan.layers[li].entries.size(); ++k, ++m) {
        NodeId n = member_node[m];
        if (n != kNoNode) version_refs_[fill[n]++] = {static_cast<uint32_t>(li), static_cast<uint32_t>(k)};
      }
    }
  }
  state_.resize(n_nodes);
}

NodeId LayerTree::Lookup(std::string_view path) const {
  PathId id = scan_.paths->Find(path);
  if (id != kNoPath && id < node_of_path_.size()) return node_of_path_[id];
  auto it = implicit_.find(path);
  return it == implicit_.end() ? kNoNode : it->second;
}

void LayerTree::Record(std::string_view path, PathId id, NodeId n) {
  if (id == kNoPath) id = scan_.paths->Find(path);
  if (id != kNoPath && id < node_of_path_.size()) {
    node_of_path_[id] = n;
  } else {
    implicit_.emplace(path, n);
  }
}

NodeId LayerTree::AddPath(PathId id) {
  // Members stored before (the common case) cost one array read.
  if (id < node_of_path_.size() && node_of_path_[id] != kNoNode) return node_of_path_[id];
  std::string_view full = scan_.paths->Get(id);
  if (full.empty() || full == "/") return kRootNode;
  // Find the longest prefix that already has a node, then add the rest
  // top-down so that parents get smaller ids than their children.
  size_t known = 0;  // length of the deepest known prefix (0 = root)
  NodeId parent = kRootNode;
  for (size_t end = full.rfind('/'); end != 0 && end != std::string_view::npos; end = full.rfind('/', end - 1)) {
    NodeId p = Lookup(full.substr(0, end));
    if (p != kNoNode) {
      known = end;
      parent = p;
      break;
    }
  }
  NodeId n = parent;
  size_t start = known + 1;  // first character of the next component
  while (start <= full.size()) {
    size_t end = full.find('/', start);
    if (end == std::string_view::npos) end = full.size();
    Node node;
    node.src = id;
    node.len = static_cast<uint32_t>(end);
    node.name_off = static_cast<uint32_t>(start);
    node.parent = n;
    NodeId child = static_cast<NodeId>(nodes_.size());
    nodes_.push_back(node);
    Record(full.substr(0, end), end == full.size() ? id : kNoPath, child);
    n = child;
    start = end + 1;
  }
  return n;
}

std::string_view LayerTree::name(NodeId n) const {
  if (n == kRootNode) return "";
  const Node& node = nodes_[n];
  return scan_.paths->Get(node.src).substr(node.name_off, node.len - node.name_off);
}

std::string_view LayerTree::path(NodeId n) const {
  if (n == kRootNode) return "/";
  const Node& node = nodes_[n];
  return scan_.paths->Get(node.src).substr(0, node.len);
}

int32_t LayerTree::VisibleVersion(NodeId n, int64_t layer) const {
  std::span<const EntryRef> v = versions(n);
  for (size_t i = v.size(); i-- > 0;) {
    if (static_cast<int64_t>(v[i].layer) > layer) continue;
    const EntryFate& f = fates_[v[i].layer][v[i].index];
    if (f.dead() && static_cast<int64_t>(f.killer_layer) <= layer) continue;
    return static_cast<int32_t>(i);
  }
  return -1;
}

void LayerTree::SelectLayer(size_t layer) {
  layer_ = layer;
  const int64_t now = static_cast<int64_t>(layer);
  for (State& s : state_) s = State();
  // Children have larger ids than their parents: one descending pass
  // finishes every child before its parent reads it.
  for (NodeId n = static_cast<NodeId>(nodes_.size()); n-- > 0;) {
    State& s = state_[n];
    int32_t cur = VisibleVersion(n, now);
    int32_t prev = VisibleVersion(n, now - 1);
    if (cur >= 0) s.flags |= kVisible;
    if (prev >= 0) s.flags |= kVisiblePrev;
    // Children first: implicit visibility and totals.
    for (NodeId c : children(n)) {
      const State& cs = state_[c];
      if (cs.flags & kVisible) s.flags |= kVisible;
      if (cs.flags & kVisiblePrev) s.flags |= kVisiblePrev;
      if (cs.flags & kChanged) s.flags |= kChanged;
    }
    const bool vis = (s.flags & kVisible) != 0, was = (s.flags & kVisiblePrev) != 0;
    s.version = cur >= 0 ? cur : (!vis && was ? prev : -1);
    if (vis && !was) {
      s.mark = Mark::kAdded;
    } else if (!vis && was) {
      s.mark = Mark::kRemoved;
    } else if (vis && cur >= 0 && versions(n)[static_cast<size_t>(cur)].layer == layer) {
      s.mark = Mark::kModified;
    }
    if (n == kRootNode) s.mark = Mark::kNone;
    if (s.mark != Mark::kNone) s.flags |= kChanged;
    s.total = own_bytes(n);
    if (vis && cur >= 0) {
      const EntryRef& r = versions(n)[static_cast<size_t>(cur)];
      if (fates_[r.layer][r.index].dead()) s.waste = s.total;
    }
    for (NodeId c : children(n)) {
      const State& cs = state_[c];
      if (vis ? (cs.flags & kVisible) != 0 : cs.mark == Mark::kRemoved) s.total += cs.total;
      if (vis && (cs.flags & kVisible)) s.waste += cs.waste;
    }
  }
}

const EntryRef* LayerTree::entry(NodeId n) const {
  int32_t v = state_[n].version;
  return v < 0 ? nullptr : &versions(n)[static_cast<size_t>(v)];
}

const LayerEntry* LayerTree::member(NodeId n) const {
  const EntryRef* r = entry(n);
  return r == nullptr ? nullptr : &scan_.layers[r->layer].entries[r->index];
}

const EntryFate* LayerTree::fate(NodeId n) const {
  const EntryRef* r = entry(n);
  return r == nullptr ? nullptr : &fates_[r->layer][r->index];
}

bool LayerTree::is_dir(NodeId n) const {
  if (n == kRootNode) return true;
  const LayerEntry* e = member(n);
  if (e != nullptr) return e->kind == EntryKind::kDir;
  return child_begin_[n + 1] != child_begin_[n];
}

uint64_t LayerTree::own_bytes(NodeId n) const {
  const LayerEntry* e = member(n);
  return e == nullptr || e->kind != EntryKind::kFile ? 0 : e->size;
}

}  // namespace whittle
