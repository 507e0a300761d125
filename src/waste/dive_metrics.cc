#include "waste/dive_metrics.h"

#include <algorithm>
#include <unordered_map>

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

// A dive FileTree: nodes by id, children found through the trie, removal by
// unlinking (ids are never reused).
class DiveTree {
 public:
  DiveTree() : names_(1), children_(1), payloads_(1), alive_(1, true) {}
  DiveTree(const DiveTree&) = default;
  DiveTree& operator=(const DiveTree&) = default;

  // dive's FileTree.AddPath: walks the components, creating missing ones with
  // an empty payload, stops (adding nothing more) at a missing component that
  // starts with ".wh..wh..", and sets |payload| on the last component.
  void AddPath(const std::vector<std::string_view>& names, const Payload& payload) {
    uint32_t node = ComponentTrie::kRoot;
    for (size_t i = 0; i < names.size(); ++i) {
      uint32_t child = trie_.Find(node, names[i]);
      if (child == ComponentTrie::kNone) {
        if (StartsWith(names[i], kOpaquePrefix)) return;
        child = trie_.FindOrAdd(node, names[i]);
        names_.push_back(names[i]);
        children_.emplace_back();
        payloads_.emplace_back();
        alive_.push_back(true);
        children_[node].push_back(child);
      }
      node = child;
      if (i + 1 == names.size()) payloads_[node] = payload;
    }
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
    trie_.Unlink(trie_.parent(node), names_[node]);
    std::vector<uint32_t> todo{node};
    while (!todo.empty()) {
      uint32_t n = todo.back();
      todo.pop_back();
      if (!alive_[n]) continue;
      alive_[n] = false;
      for (uint32_t c : children_[n]) {
        if (alive_[c]) {
          trie_.Unlink(n, names_[c]);
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
      total += payloads_[n].size;
      for (uint32_t c : children_[n]) {
        if (alive_[c]) todo.push_back(c);
      }
    }
    return total;
  }

  bool HasLiveChildren(uint32_t node) const {
    for (uint32_t c : children_[node]) {
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
    std::vector<std::pair<uint32_t, size_t>> stack;
    std::vector<std::string_view> names;
    SortChildren(ComponentTrie::kRoot);
    stack.emplace_back(ComponentTrie::kRoot, 0);
    while (!stack.empty()) {
      uint32_t n = stack.back().first;
      size_t i = stack.back().second;
      if (i < children_[n].size()) {
        ++stack.back().second;
        uint32_t c = children_[n][i];
        if (!alive_[c]) continue;
        SortChildren(c);
        names.push_back(names_[c]);
        stack.emplace_back(c, 0);
        continue;
      }
      stack.pop_back();
      if (n == ComponentTrie::kRoot) break;
      if (!fn(n, names)) return;
      names.pop_back();
    }
  }

  const Payload& payload(uint32_t node) const { return payloads_[node]; }
  std::string_view name(uint32_t node) const { return names_[node]; }

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
      uint32_t node = parent;
      for (size_t i = keep; i < names.size(); ++i) {
        uint32_t child = trie_.Find(node, names[i]);
        if (child == ComponentTrie::kNone) {
          if (StartsWith(names[i], kOpaquePrefix)) return true;
          child = trie_.FindOrAdd(node, names[i]);
          names_.push_back(names[i]);
          children_.emplace_back();
          payloads_.emplace_back();
          alive_.push_back(true);
          children_[node].push_back(child);
        }
        node = child;
        prefix.push_back(node);
        if (i + 1 == names.size()) payloads_[node] = upper.payload(n);
      }
      return true;
    });
  }

 private:
  void SortChildren(uint32_t node) {
    std::vector<uint32_t>& ch = children_[node];
    if (ch.size() < 2) return;
    std::sort(ch.begin(), ch.end(), [this](uint32_t a, uint32_t b) { return names_[a] < names_[b]; });
  }

  ComponentTrie trie_;
  std::vector<std::string_view> names_;
  std::vector<std::vector<uint32_t>> children_;
  std::vector<Payload> payloads_;
  std::vector<bool> alive_;
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

struct PathData {
  int64_t cumulative = 0;
  int64_t min_size = -1;
  uint32_t count = 0;
  uint64_t reached_two = 0;  // order in which the path became inefficient
};

}  // namespace

DiveMetrics ComputeDiveMetrics(const ImageScan& scan) {
  DiveMetrics m;
  const PathInterner& interner = *scan.paths;
  std::unordered_map<std::string, PathData> data;
  std::vector<std::unordered_map<std::string, PathData>::iterator> inefficient;
  DiveTree stacked;  // the lower layers, stacked (dive's StackTreeRange)
  std::vector<std::string_view> names;
  std::vector<std::string_view> trimmed;

  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    DiveTree tree;
    uint64_t layer_size = 0;
    for (const LayerEntry& e : layer.entries) {
      if (e.path == kNoPath) continue;
      std::string_view path = interner.Get(e.path);
      SplitPathComponents(path, &names);
      if (names.empty()) continue;  // dive skips "." (the root itself)
      layer_size += e.size;
      tree.AddPath(names, Payload{e.kind == EntryKind::kDir, static_cast<int64_t>(e.size)});
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
      auto it = data.try_emplace(DivePath(path_names, whiteout)).first;
      PathData& d = it->second;
      d.cumulative += size;
      if (d.min_size < 0 || size < d.min_size) d.min_size = size;
      if (++d.count == 2) {
        d.reached_two = inefficient.size();
        inefficient.push_back(it);
      }
      return true;
    });

    if (li == 0) stacked = tree;
    stacked.Stack(tree);
  }

  int64_t minimum = 0, discovered = 0;
  for (const auto& [path, d] : data) {
    minimum += d.min_size;
    discovered += d.cumulative;
  }
  m.efficiency = discovered == 0 ? 1.0 : static_cast<double>(minimum) / static_cast<double>(discovered);

  // dive sorts ascending by cumulative size (sort.Sort: insertion sort, so
  // stable, for up to 12 items) and lists from the end.
  std::stable_sort(inefficient.begin(), inefficient.end(),
                   [](const auto& a, const auto& b) { return a->second.cumulative < b->second.cumulative; });
  for (size_t i = inefficient.size(); i-- > 0;) {
    const auto& [path, d] = *inefficient[i];
    m.inefficient_files.push_back(InefficientFile{path, d.count, static_cast<uint64_t>(d.cumulative)});
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
