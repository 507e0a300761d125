#include "waste/dive_metrics.h"

#include <algorithm>
#include <unordered_map>

#include "util/big_array.h"
#include "util/strings.h"
#include "waste/component_trie.h"

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

// A dive FileTree: nodes by id, children found through the trie, removal by
// unlinking (ids are never reused). Per node: the trie's entry, a sibling
// list (first child, next sibling), the payload and the key of the path a
// leaf is charged to; about 50 bytes and no allocation per node.
class DiveTree {
 public:
  DiveTree() : first_child_(1, kNil), next_sibling_(1, kNil), sizes_(1, 0), dirs_(1, false), alive_(1, true),
               keys_(1, kNoKey) {}

  // dive's FileTree.AddPath: walks the components, creating missing ones with
  // an empty payload, stops (adding nothing more) at a missing component that
  // starts with ".wh..wh..", and sets |payload| on the last component, whose
  // key becomes |key|.
  //
  // A tar lists a directory's members together, so a path usually shares its
  // leading components with the one added before: their nodes are taken from
  // that walk (nothing unlinks between two AddPath calls; Remove forgets the
  // walk) and only the rest is probed, once per component.
  void AddPath(const std::vector<std::string_view>& names, const Payload& payload, uint32_t key = kNoKey) {
    size_t common = 0;
    while (common < names.size() && common < walk_.size() && names[common] == trie_.name(walk_[common])) ++common;
    walk_.resize(common);
    AddBelow(common == 0 ? ComponentTrie::kRoot : walk_.back(), names, common, payload, key, &walk_);
  }

  // Prefetches the trie slot of |next| (a member a few ahead) when it is a
  // sibling of |last|, the path added last (see CoverTrie in entry_fate.cc).
  bool PrefetchPays() const { return trie_.PrefetchPays(); }
  void PrefetchSibling(std::string_view last, std::string_view next) const { trie_.PrefetchSibling(walk_, last, next); }

  // Room for |n| nodes without regrowing.
  void Reserve(size_t n) {
    trie_.Reserve(n);
    first_child_.reserve(n);
    next_sibling_.reserve(n);
    sizes_.reserve(n);
    dirs_.reserve(n);
    alive_.reserve(n);
    keys_.reserve(n);
  }

  // dive's FileTree.GetNode: empty components are skipped.
  uint32_t GetNode(const std::vector<std::string_view>& names) const {
    uint32_t node = ComponentTrie::kRoot;
    for (std::string_view n : names) {
      if (n.empty()) continue;
      node = trie_.Find(node, n);
      if (node == ComponentTrie::kNone) return node;
    }
    return node;
  }

  // dive's FileNode.Remove (the root cannot be removed).
  void Remove(uint32_t node) {
    if (node == ComponentTrie::kRoot) return;
    walk_.clear();
    trie_.Unlink(trie_.parent(node), trie_.name(node));
    std::vector<uint32_t>& todo = scratch_;
    todo.assign(1, node);
    while (!todo.empty()) {
      uint32_t n = todo.back();
      todo.pop_back();
      if (!alive_[n]) continue;
      alive_[n] = false;
      for (uint32_t c = first_child_[n]; c != kNil; c = next_sibling_[c]) {
        if (alive_[c]) {
          trie_.Unlink(n, trie_.name(c));
          todo.push_back(c);
        }
      }
    }
  }

  // The sizes of |node| and of every node below it (dive's sizer over
  // VisitDepthChildFirst).
  int64_t SubtreeSize(uint32_t node) const {
    int64_t total = 0;
    std::vector<uint32_t> todo{node};
    while (!todo.empty()) {
      uint32_t n = todo.back();
      todo.pop_back();
      total += sizes_[n];
      for (uint32_t c = first_child_[n]; c != kNil; c = next_sibling_[c]) {
        if (alive_[c]) todo.push_back(c);
      }
    }
    return total;
  }

  bool HasLiveChildren(uint32_t node) const {
    for (uint32_t c = first_child_[node]; c != kNil; c = next_sibling_[c]) {
      if (alive_[c]) return true;
    }
    return false;
  }

  // Visits every node but the root depth-first, children before their
  // parent, siblings in byte order of their names (dive's
  // VisitDepthChildFirst). |fn(node, names)| gets the component names from
  // the root to |node|; returning false stops the walk.
  template <typename Fn>
  void VisitChildFirst(Fn fn) {
    std::vector<std::pair<uint32_t, uint32_t>> stack;  // (node, next child to visit)
    std::vector<std::string_view> names;
    SortChildren(ComponentTrie::kRoot);
    stack.emplace_back(ComponentTrie::kRoot, first_child_[ComponentTrie::kRoot]);
    while (!stack.empty()) {
      uint32_t n = stack.back().first;
      uint32_t c = stack.back().second;
      if (c != kNil) {
        stack.back().second = next_sibling_[c];
        if (!alive_[c]) continue;
        SortChildren(c);
        names.push_back(trie_.name(c));
        stack.emplace_back(c, first_child_[c]);
        continue;
      }
      stack.pop_back();
      if (n == ComponentTrie::kRoot) break;
      if (!fn(n, names)) return;
      names.pop_back();
    }
  }

  Payload payload(uint32_t node) const { return Payload{dirs_[node], sizes_[node]}; }
  std::string_view name(uint32_t node) const { return trie_.name(node); }
  uint32_t key(uint32_t node) const { return keys_[node]; }

  // dive's FileTree.Stack: applies |upper| (visited child-first, in order) on
  // this tree: a whiteout removes its path, anything else is AddPath'ed with
  // its payload (implied directories included, with their empty payload).
  //
  // Linear in the size of |upper|: in child-first order each visited path
  // shares all but its last component with the one before, so the nodes of
  // that common prefix in this tree are remembered (|prefix|) instead of
  // walking down from the root again. Walking from the root made a
  // 100,000-level-deep path cost 10^10 steps (issue 14's bad-input suite).
  void Stack(DiveTree& upper) {
    // prefix[i]: this tree's node for names[0..i] of the last path visited
    // (fewer than names.size() when AddPath stopped early or Remove ran).
    std::vector<uint32_t> prefix;
    size_t last_len = 0;
    upper.VisitChildFirst([&](uint32_t n, const std::vector<std::string_view>& names) {
      size_t keep = std::min({last_len == 0 ? 0 : last_len - 1, names.size() - 1, prefix.size()});
      prefix.resize(keep);
      last_len = names.size();
      std::string_view own = upper.name(n);
      uint32_t parent = prefix.empty() ? ComponentTrie::kRoot : prefix.back();
      if (StartsWith(own, kWhiteoutPrefix)) {
        // GetNode(names with the last one trimmed): the parent is known
        // when the prefix covers it (empty components are skipped there).
        uint32_t target = ComponentTrie::kNone;
        std::string_view last = own.substr(kWhiteoutPrefix.size());
        if (keep + 1 == names.size()) {
          target = last.empty() ? parent : trie_.Find(parent, last);
        } else {
          std::vector<std::string_view> trimmed(names.begin(), names.end());
          trimmed.back() = last;
          target = GetNode(trimmed);
        }
        if (target != ComponentTrie::kNone) {
          Remove(target);
          prefix.clear();  // its nodes may be gone
        }
        return true;
      }
      // AddPath(names, payload) from the remembered prefix on.
      AddBelow(parent, names, keep, upper.payload(n), kNoKey, &prefix);
      return true;
    });
  }

 private:
  static constexpr uint32_t kNil = 0xffffffffu;

  // The rest of AddPath: names[from..] below |node| (the node of
  // names[0, from)), each node passed appended to |walked|. Stops, adding
  // nothing more, at a missing component that starts with ".wh..wh..";
  // else sets |payload| and |key| on the last component's node.
  void AddBelow(uint32_t node, const std::vector<std::string_view>& names, size_t from, const Payload& payload,
                uint32_t key, std::vector<uint32_t>* walked) {
    for (size_t i = from; i < names.size(); ++i) {
      uint32_t child;
      if (StartsWith(names[i], kOpaquePrefix)) {
        child = trie_.Find(node, names[i]);
        if (child == ComponentTrie::kNone) return;
      } else {
        bool created = false;
        child = trie_.FindOrAdd(node, names[i], &created);
        if (created) AddNode(node, child);
      }
      node = child;
      walked->push_back(node);
    }
    if (!names.empty()) {
      sizes_[node] = payload.size;
      dirs_[node] = payload.is_dir;
      keys_[node] = key;
    }
  }

  // The per-node data of |child|, just created in the trie under |parent|:
  // an empty payload, first in its parent's child list.
  void AddNode(uint32_t parent, uint32_t child) {
    first_child_.push_back(kNil);
    next_sibling_.push_back(first_child_[parent]);
    first_child_[parent] = child;
    sizes_.push_back(0);
    dirs_.push_back(false);
    alive_.push_back(true);
    keys_.push_back(kNoKey);
  }

  // Puts the live children of |node| in byte order of their names (dead ones
  // are dropped from the list: a removed node is never revived).
  void SortChildren(uint32_t node) {
    std::vector<uint32_t>& ch = scratch_;
    ch.clear();
    for (uint32_t c = first_child_[node]; c != kNil; c = next_sibling_[c]) {
      if (alive_[c]) ch.push_back(c);
    }
    // Children are listed newest first, and a tar usually lists a directory
    // in name order: then the list only needs reversing (a million-entry
    // layer sorted its lists in ~10% of `waste`'s time).
    auto by_name = [this](uint32_t a, uint32_t b) { return trie_.name(a) < trie_.name(b); };
    if (std::is_sorted(ch.rbegin(), ch.rend(), by_name)) {
      std::reverse(ch.begin(), ch.end());
    } else if (!std::is_sorted(ch.begin(), ch.end(), by_name)) {
      std::sort(ch.begin(), ch.end(), by_name);
    }
    uint32_t next = kNil;
    for (size_t i = ch.size(); i-- > 0;) {
      next_sibling_[ch[i]] = next;
      next = ch[i];
    }
    first_child_[node] = next;
  }

  ComponentTrie trie_;
  // Big arrays: on huge pages (util/big_array.h).
  BigVector<uint32_t> first_child_;
  BigVector<uint32_t> next_sibling_;
  BigVector<int64_t> sizes_;
  std::vector<bool> dirs_;
  std::vector<bool> alive_;
  BigVector<uint32_t> keys_;
  std::vector<uint32_t> scratch_;
  // The last AddPath's walk: the node of each component (their names are
  // the trie's).
  std::vector<uint32_t> walk_;
};

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
  DiveMetrics m;
  const PathInterner& interner = *scan.paths;
  // A visit is charged to dive's FileNode.Path() of the leaf. For a member
  // that is no whiteout that is its own normalised path, already interned;
  // for a whiteout ".wh.NAME" the deleted path, interned by the scanner as
  // the entry's target. Only paths neither covers (".wh..", aufs metadata)
  // are spelled out and keyed apart.
  const size_t interned = interner.size();
  PathTallies tallies(interned);
  DiveTree stacked;  // the lower layers, stacked (dive's StackTreeRange)
  std::vector<std::string_view> names;
  std::vector<std::string_view> trimmed;

  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    DiveTree tree;
    tree.Reserve(layer.entries.size() + 1);
    const bool prefetch = tree.PrefetchPays();
    constexpr size_t kAhead = ComponentTrie::kPrefetchAhead;
    uint64_t layer_size = 0;
    bool any_whiteout = false;
    for (size_t k = 0; k < layer.entries.size(); ++k) {
      const LayerEntry& e = layer.entries[k];
      if (e.path == kNoPath) continue;
      std::string_view path = interner.Get(e.path);
      SplitPathComponents(path, &names);
      if (names.empty()) continue;  // dive skips "." (the root itself)
      layer_size += e.size;
      uint32_t key = e.path;
      if (StartsWith(names.back(), kWhiteoutPrefix)) {
        any_whiteout = true;
        key = e.kind == EntryKind::kWhiteout && e.target != kNoPath ? e.target : kNoKey;
      }
      tree.AddPath(names, Payload{e.kind == EntryKind::kDir, static_cast<int64_t>(e.size)}, key);
      if (prefetch && k + kAhead < layer.entries.size() && layer.entries[k + kAhead].path != kNoPath) {
        tree.PrefetchSibling(path, interner.Get(layer.entries[k + kAhead].path));
      }
    }
    m.layer_sizes.push_back(layer_size);

    // dive compares a whiteout with StackTreeRange(trees, 0, i-1); for the
    // first layer that is a copy of the layer's own tree.
    const DiveTree& lower = li == 0 ? tree : stacked;
    tree.VisitChildFirst([&](uint32_t n, const std::vector<std::string_view>& path_names) {
      if (tree.HasLiveChildren(n)) return true;  // leaves only
      std::string_view own = tree.name(n);
      bool whiteout = StartsWith(own, kWhiteoutPrefix);
      int64_t size = 0;
      if (whiteout) {
        trimmed.assign(path_names.begin(), path_names.end());
        trimmed.back() = own.substr(kWhiteoutPrefix.size());
        uint32_t prev = lower.GetNode(trimmed);
        if (prev == ComponentTrie::kNone) return false;  // dive aborts this layer
        if (lower.payload(prev).is_dir) size = lower.SubtreeSize(prev);
      } else {
        size = tree.payload(n).size;
      }
      uint32_t key = tree.key(n);
      if (key == kNoKey) key = tallies.ExtraKey(DivePath(path_names, whiteout));
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
