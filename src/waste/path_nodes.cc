#include "waste/path_nodes.h"

namespace whittle {

PathNodes::PathNodes(const PathInterner& paths)
    : paths_(paths), n_paths_(static_cast<uint32_t>(paths.size())), root_(n_paths_) {
  parents_.assign(size_t{n_paths_} + 1, kUnknown);
  parents_[root_] = root_;
  root_id_ = paths.Find("/");
  if (root_id_ != kNoPath && root_id_ < n_paths_) parents_[root_id_] = root_;
}

std::string_view PathNodes::Path(uint32_t node) const {
  if (node < n_paths_) return node == root_id_ ? std::string_view("/") : paths_.Get(node);
  return node == root_ ? std::string_view("/") : extra_paths_[node - root_ - 1];
}

std::string_view PathNodes::Name(uint32_t node) const {
  if (node == root_ || node == root_id_) return std::string_view();
  const std::string_view path = Path(node);
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

uint32_t PathNodes::FindParent(uint32_t node) {
  const std::string_view path = Path(node);
  const size_t slash = path.rfind('/');
  uint32_t parent = root_;
  if (slash != std::string_view::npos && slash != 0) {
    const std::string_view dir = path.substr(0, slash);
    // Members of one directory come together: most share the last one's.
    if (dir == last_dir_ && last_dir_node_ != kNone) {
      parent = last_dir_node_;
    } else {
      parent = DirNode(dir);
      last_dir_ = dir;
      last_dir_node_ = parent;
    }
  }
  parents_[node] = parent;
  return parent;
}

bool PathNodes::LongLengthInterned(size_t len) {
  if (!long_lengths_known_) {
    long_lengths_known_ = true;
    for (PathId id = 0; id < n_paths_; ++id) {
      const size_t n = paths_.Get(id).size();
      if (n > kShortPath) long_lengths_.insert(n);
    }
  }
  return long_lengths_.count(len) != 0;
}

PathId PathNodes::Interned(std::string_view s) {
  if (s.size() > kShortPath && !LongLengthInterned(s.size())) return kNoPath;
  const PathId id = paths_.Find(s);
  return id < n_paths_ ? id : kNoPath;
}

uint32_t PathNodes::DirNode(std::string_view dir) {
  // Up: |dir| and the directories above it until one is interned (or the
  // root); the ones passed are spelled by no path.
  pending_.clear();
  uint32_t node = root_;
  for (std::string_view d = dir;;) {
    const PathId id = Interned(d);
    if (id != kNoPath) {
      node = Node(id);
      break;
    }
    pending_.push_back(d);
    const size_t slash = d.rfind('/');
    if (slash == std::string_view::npos || slash == 0) break;
    d = d.substr(0, slash);
  }
  // Down: each of those found or added under its parent.
  for (size_t i = pending_.size(); i-- > 0;) {
    const std::string_view d = pending_[i];
    const size_t slash = d.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? d : d.substr(slash + 1);
    auto [it, added] = extra_.try_emplace(ExtraKey{node, name}, static_cast<uint32_t>(parents_.size()));
    if (added) {
      extra_paths_.push_back(d);
      parents_.push_back(node);
    }
    node = it->second;
  }
  return node;
}

uint32_t PathNodes::Child(uint32_t parent, std::string_view name) {
  if (name.empty()) return kNone;
  scratch_.assign(parent == root_ ? std::string_view() : Path(parent));
  scratch_ += '/';
  scratch_.append(name);
  const PathId id = Interned(scratch_);
  if (id != kNoPath) return Node(id);
  auto it = extra_.find(ExtraKey{parent, name});
  return it == extra_.end() ? kNone : it->second;
}

}  // namespace whittle
