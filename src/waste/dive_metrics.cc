#include "waste/dive_metrics.h"

#include <algorithm>
#include <unordered_map>

#include "util/big_array.h"
#include "util/strings.h"
#include "waste/path_nodes.h"

namespace whittle {

namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaquePrefix = ".wh..wh..";

// dive's FileInfo, the part its efficiency reads. A default one is what dive
// attaches to implied parent directories: not a directory, size 0.
struct Payload {
  bool is_dir = false;
  int64_t size = 0;
};

constexpr uint32_t kNoKey = 0xffffffffu;

// A dive FileTree over the image's path nodes (waste/path_nodes.h): a node
// of the path set is in the tree while it is alive; children are in a list
// (first child, next sibling) per node. One 24-byte record per node in an
// array by node (one cache line holds all a step reads of it), no
// allocation per node and no table of its own: the interner already knows
// every member's path, and PathNodes its parent.
//
// A removed node stays in its parent's list, dead, and comes back to life
// in place when a path adds it again (as a new node with an empty payload,
// as dive's would); sorting a list drops its dead members.
class DiveTree {
 public:
  // Empty until Clear() or an assignment: a tree that is never filled (the
  // stack of a one-layer image) takes no memory.
  explicit DiveTree(PathNodes* nodes) : nodes_(nodes) {}

  // Alive: in the tree (the root always is).
  bool Alive(uint32_t n) const { return n == nodes_->root() || (n < at_.size() && (at_[n].flags & kAlive) != 0); }

  // dive's FileTree.AddPath for the path of |leaf| (not the root), whose
  // name is |name|: creates the missing directories above it with an empty
  // payload, stops (adding nothing more) at a missing one whose name starts
  // with ".wh..wh..", and sets |payload| and |key| on |leaf|.
  void AddPath(uint32_t leaf, std::string_view name, const Payload& payload, uint32_t key) {
    if (!Alive(leaf)) {
      chain_.clear();
      uint32_t n = leaf;
      for (; !Alive(n); n = nodes_->Parent(n)) chain_.push_back(n);
      Fit();  // the walk up may have added directories no path spells
      for (size_t i = chain_.size(); i-- > 0;) {
        const uint32_t c = chain_[i];
        const std::string_view own = i == 0 ? name : nodes_->Name(c);
        if (StartsWith(own, kOpaquePrefix)) return;
        Create(n, c, StartsWith(own, kWhiteoutPrefix));
        n = c;
      }
    }
    Node& node = at_[leaf];
    node.size = payload.size;
    node.flags = static_cast<uint8_t>((node.flags & ~kDir) | (payload.is_dir ? kDir : 0));
    node.key = key;
  }

  // The tree's node for dive's GetNode of |parent|'s path plus |name| (a
  // whiteout's target; an empty name is |parent| itself), or kNone.
  uint32_t Find(uint32_t parent, std::string_view name) const {
    const uint32_t n = name.empty() ? parent : nodes_->Child(parent, name);
    return n != PathNodes::kNone && Alive(n) ? n : PathNodes::kNone;
  }

  // dive's FileNode.Remove (the root cannot be removed).
  void Remove(uint32_t node) {
    if (node == nodes_->root()) return;
    std::vector<uint32_t>& todo = scratch_;
    todo.assign(1, node);
    while (!todo.empty()) {
      const uint32_t n = todo.back();
      todo.pop_back();
      if (!Alive(n)) continue;
      at_[n].flags &= static_cast<uint8_t>(~kAlive);
      for (uint32_t c = at_[n].first_child; c != kNil; c = at_[c].next_sibling) {
        if (Alive(c)) todo.push_back(c);
      }
    }
  }

  // The sizes of |node| and of every node below it (dive's sizer over
  // VisitDepthChildFirst).
  int64_t SubtreeSize(uint32_t node) const {
    int64_t total = 0;
    std::vector<uint32_t> todo{node};
    while (!todo.empty()) {
      const uint32_t n = todo.back();
      todo.pop_back();
      total += at_[n].size;
      for (uint32_t c = at_[n].first_child; c != kNil; c = at_[c].next_sibling) {
        if (Alive(c)) todo.push_back(c);
      }
    }
    return total;
  }

  bool HasLiveChildren(uint32_t node) const {
    for (uint32_t c = at_[node].first_child; c != kNil; c = at_[c].next_sibling) {
      if (Alive(c)) return true;
    }
    return false;
  }

  // Visits every node but the root depth-first, children before their
  // parent, siblings in byte order of their names (dive's
  // VisitDepthChildFirst). |fn(node)| returning false stops the walk.
  template <typename Fn>
  void VisitChildFirst(Fn fn) {
    std::vector<std::pair<uint32_t, uint32_t>> stack;  // (node, next child to visit)
    const uint32_t root = nodes_->root();
    SortChildren(root);
    stack.emplace_back(root, at_[root].first_child);
    while (!stack.empty()) {
      const uint32_t n = stack.back().first;
      const uint32_t c = stack.back().second;
      if (c != kNil) {
        stack.back().second = at_[c].next_sibling;
        if (!Alive(c)) continue;
        SortChildren(c);
        stack.emplace_back(c, at_[c].first_child);
        continue;
      }
      stack.pop_back();
      if (n == root) break;
      if (!fn(n)) return;
    }
  }

  Payload payload(uint32_t node) const { return Payload{(at_[node].flags & kDir) != 0, at_[node].size}; }
  uint32_t key(uint32_t node) const { return at_[node].key; }
  // True when the node's name starts with ".wh." (a whiteout, as dive tells).
  bool WhiteoutName(uint32_t node) const { return (at_[node].flags & kWhiteout) != 0; }

  // Empties the tree for the next layer, in time proportional to what it
  // held (a table of every path is not cleared per layer).
  void Clear() {
    Fit();
    for (uint32_t n : touched_) at_[n] = Node{};
    touched_.clear();
    at_[nodes_->root()] = Node{};
  }

  // dive's FileTree.Stack: applies |upper| (visited child-first, in order) on
  // this tree: a whiteout removes its path, anything else is AddPath'ed with
  // its payload (implied directories included, with their empty payload).
  // Linear in the size of |upper|: a path's directories are found by node,
  // not walked from the root (issue 14's 100,000-level-deep path).
  void Stack(DiveTree& upper) {
    upper.VisitChildFirst([&](uint32_t n) {
      const std::string_view own = nodes_->Name(n);
      if (upper.WhiteoutName(n)) {
        const uint32_t target = Find(nodes_->Parent(n), own.substr(kWhiteoutPrefix.size()));
        if (target != PathNodes::kNone) Remove(target);
        return true;
      }
      AddPath(n, own, upper.payload(n), kNoKey);
      return true;
    });
  }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;
  // kListed: in its parent's list; kWhiteout: the name starts with ".wh.".
  static constexpr uint8_t kAlive = 1, kDir = 2, kListed = 4, kWhiteout = 8;

  struct Node {
    int64_t size = 0;
    uint32_t first_child = kNil;
    uint32_t next_sibling = kNil;
    uint32_t key = kNoKey;
    uint8_t flags = 0;
  };
  static_assert(sizeof(Node) == 24, "a dive tree node grew");

  // Sizes the array to the nodes PathNodes has (they grow as directories no
  // path spells are met).
  void Fit() {
    if (at_.size() < nodes_->size()) at_.resize(nodes_->size());
  }

  // |child| joins the tree under |parent| with an empty payload: first in
  // its parent's list, or where it already was if it was removed before.
  void Create(uint32_t parent, uint32_t child, bool whiteout_name) {
    Node& c = at_[child];
    const uint8_t was = c.flags;
    if (was == 0) touched_.push_back(child);
    c.size = 0;
    c.key = kNoKey;
    c.flags = static_cast<uint8_t>(kAlive | (was & kListed) | (whiteout_name ? kWhiteout : 0));
    if ((was & kListed) == 0) {
      c.next_sibling = at_[parent].first_child;
      at_[parent].first_child = child;
      c.flags |= kListed;
    }
  }

  // Puts the live children of |node| in byte order of their names (dead ones
  // are dropped from the list).
  void SortChildren(uint32_t node) {
    std::vector<uint32_t>& ch = scratch_;
    ch.clear();
    for (uint32_t c = at_[node].first_child; c != kNil; c = at_[c].next_sibling) {
      if (Alive(c)) {
        ch.push_back(c);
      } else {
        at_[c].flags &= static_cast<uint8_t>(~kListed);
      }
    }
    // Children are listed newest first, and a tar usually lists a directory
    // in name order: then the list only needs reversing (a million-entry
    // layer sorted its lists in ~10% of `waste`'s time). Siblings' paths
    // differ in their names only: comparing the paths orders the names.
    auto by_name = [this](uint32_t a, uint32_t b) { return nodes_->Path(a) < nodes_->Path(b); };
    if (std::is_sorted(ch.rbegin(), ch.rend(), by_name)) {
      std::reverse(ch.begin(), ch.end());
    } else if (!std::is_sorted(ch.begin(), ch.end(), by_name)) {
      std::sort(ch.begin(), ch.end(), by_name);
    }
    uint32_t next = kNil;
    for (size_t i = ch.size(); i-- > 0;) {
      at_[ch[i]].next_sibling = next;
      next = ch[i];
    }
    at_[node].first_child = next;
  }

  PathNodes* nodes_;
  BigVector<Node> at_;  // by node; on huge pages (util/big_array.h)
  std::vector<uint32_t> touched_;  // nodes created since the last Clear
  std::vector<uint32_t> chain_;
  std::vector<uint32_t> scratch_;
};

// The non-empty components of |path| ("/a//b" -> "a", "b").
void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const size_t start = i;
    while (i < path.size() && path[i] != '/') ++i;
    if (i > start) out->push_back(path.substr(start, i - start));
  }
}

// dive's FileNode.Path(): "/" + names joined, the node's own ".wh." prefix
// dropped, "//" collapsed.
std::string DivePath(const std::vector<std::string_view>& names, bool whiteout) {
  std::string p = "/";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) p += '/';
    std::string_view n = names[i];
    if (i + 1 == names.size() && whiteout) n.remove_prefix(kWhiteoutPrefix.size());
    p.append(n.data(), n.size());
  }
  size_t at = 0;
  while ((at = p.find("//", at)) != std::string::npos) p.erase(at, 1);
  return p;
}

// dive's per-path tallies, keyed by the path a visit is charged to (see
// ComputeDiveMetrics). Most paths are visited once, so a visit costs 12 bytes
// per key; a second visit moves the key to a full record.
class PathTallies {
 public:
  explicit PathTallies(size_t keys) : state_(keys, 0), first_(keys, 0) {}

  // A key for a path that is not interned (DivePath text).
  uint32_t ExtraKey(std::string path) {
    auto [it, inserted] = extra_.try_emplace(std::move(path), static_cast<uint32_t>(state_.size()));
    if (inserted) {
      state_.push_back(0);
      first_.push_back(0);
      extra_names_.push_back(&it->first);
    }
    return it->second;
  }

  void Visit(uint32_t key, int64_t size) {
    discovered_ += size;
    uint32_t& st = state_[key];
    if (st == 0) {
      st = 1;
      first_[key] = size;
      return;
    }
    if (st == 1) {  // second visit: the path becomes inefficient
      st = static_cast<uint32_t>(multi_.size()) + 2;
      multi_.push_back(Multi{key, first_[key] + size, std::min(first_[key], size), 2});
      return;
    }
    Multi& m = multi_[st - 2];
    m.cumulative += size;
    m.min_size = std::min(m.min_size, size);
    ++m.count;
  }

  int64_t discovered() const { return discovered_; }
  int64_t Minimum() const {
    int64_t total = 0;
    for (size_t k = 0; k < state_.size(); ++k) {
      if (state_[k] == 1) total += first_[k];
    }
    for (const Multi& m : multi_) total += m.min_size;
    return total;
  }

  struct Multi {
    uint32_t key;
    int64_t cumulative;
    int64_t min_size;
    uint32_t count;
  };
  // Paths visited at least twice, in the order they reached two visits.
  const std::vector<Multi>& multi() const { return multi_; }
  std::string PathOf(uint32_t key, const PathInterner& interner, size_t interned) const {
    return key < interned ? std::string(interner.Get(key)) : *extra_names_[key - interned];
  }

 private:
  // One of each per path: big arrays, on huge pages (util/big_array.h); on
  // 4 KiB pages they took ~3,000 page faults at a million paths.
  BigVector<uint32_t> state_;  // 0 unvisited, 1 once (size in first_), else multi_ index + 2
  BigVector<int64_t> first_;
  std::vector<Multi> multi_;
  std::unordered_map<std::string, uint32_t> extra_;
  std::vector<const std::string*> extra_names_;
  int64_t discovered_ = 0;
};

}  // namespace

DiveMetrics ComputeDiveMetrics(const ImageScan& scan) {
  PathNodes nodes(*scan.paths);
  return ComputeDiveMetrics(scan, nodes);
}

DiveMetrics ComputeDiveMetrics(const ImageScan& scan, PathNodes& nodes) {
  DiveMetrics m;
  const PathInterner& interner = *scan.paths;
  // A visit is charged to dive's FileNode.Path() of the leaf. For a member
  // that is no whiteout that is its own normalised path, already interned;
  // for a whiteout ".wh.NAME" the deleted path, interned by the scanner as
  // the entry's target. Only paths neither covers (".wh..", aufs metadata)
  // are spelled out and keyed apart.
  const size_t interned = interner.size();
  PathTallies tallies(interned);
  DiveTree stacked(&nodes);  // the lower layers, stacked (dive's StackTreeRange)
  DiveTree tree(&nodes);     // each layer's own, emptied between layers
  std::vector<std::string_view> names;

  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    tree.Clear();
    uint64_t layer_size = 0;
    bool any_whiteout = false;
    for (const LayerEntry& e : layer.entries) {
      if (e.path == kNoPath) continue;
      const uint32_t node = nodes.Node(e.path);
      const std::string_view own = nodes.Name(node);
      if (own.empty()) continue;  // dive skips "." (the root itself)
      layer_size += e.size;
      uint32_t key = e.path;
      if (StartsWith(own, kWhiteoutPrefix)) {
        any_whiteout = true;
        key = e.kind == EntryKind::kWhiteout && e.target != kNoPath ? e.target : kNoKey;
      }
      tree.AddPath(node, own, Payload{e.kind == EntryKind::kDir, static_cast<int64_t>(e.size)}, key);
    }
    m.layer_sizes.push_back(layer_size);

    // dive compares a whiteout with StackTreeRange(trees, 0, i-1); for the
    // first layer that is a copy of the layer's own tree.
    const DiveTree& lower = li == 0 ? tree : stacked;
    tree.VisitChildFirst([&](uint32_t n) {
      if (tree.HasLiveChildren(n)) return true;  // leaves only
      const bool whiteout = tree.WhiteoutName(n);
      int64_t size = 0;
      if (whiteout) {
        const uint32_t prev = lower.Find(nodes.Parent(n), nodes.Name(n).substr(kWhiteoutPrefix.size()));
        if (prev == PathNodes::kNone) return false;  // dive aborts this layer
        if (lower.payload(prev).is_dir) size = lower.SubtreeSize(prev);
      } else {
        size = tree.payload(n).size;
      }
      uint32_t key = tree.key(n);
      if (key == kNoKey) {
        SplitPathComponents(nodes.Path(n), &names);
        key = tallies.ExtraKey(DivePath(names, whiteout));
      }
      tallies.Visit(key, size);
      return true;
    });

    // The stack serves the layers above; none is above the top one.
    if (li + 1 == scan.layers.size()) break;
    if (li == 0 && !any_whiteout) {
      // Stacking a tree without whiteouts on a copy of itself changes
      // nothing: the copy is the stack.
      stacked = std::move(tree);
      continue;
    }
    if (li == 0) stacked = tree;
    stacked.Stack(tree);
  }

  const int64_t minimum = tallies.Minimum(), discovered = tallies.discovered();
  m.efficiency = discovered == 0 ? 1.0 : static_cast<double>(minimum) / static_cast<double>(discovered);

  // dive sorts ascending by cumulative size (sort.Sort: insertion sort, so
  // stable, for up to 12 items) and lists from the end.
  std::vector<const PathTallies::Multi*> inefficient;
  for (const PathTallies::Multi& t : tallies.multi()) inefficient.push_back(&t);
  std::stable_sort(inefficient.begin(), inefficient.end(),
                   [](const auto* a, const auto* b) { return a->cumulative < b->cumulative; });
  for (size_t i = inefficient.size(); i-- > 0;) {
    const PathTallies::Multi& d = *inefficient[i];
    m.inefficient_files.push_back(
        InefficientFile{tallies.PathOf(d.key, interner, interned), d.count, static_cast<uint64_t>(d.cumulative)});
    m.wasted_bytes += static_cast<uint64_t>(d.cumulative);
  }

  for (size_t i = 0; i < m.layer_sizes.size(); ++i) {
    m.size_bytes += m.layer_sizes[i];
    if (i != 0) m.user_size_bytes += m.layer_sizes[i];
  }
  // dive divides unconditionally (NaN for 0/0, +Inf for x/0): whittle says 0.
  m.user_wasted_percent = m.user_size_bytes == 0
                              ? 0.0
                              : static_cast<double>(m.wasted_bytes) / static_cast<double>(m.user_size_bytes);
  return m;
}

}  // namespace whittle
