// ComponentTrie: a trie over path components ("/a/b" -> "a", "b") with dense
// uint32 node ids and one hash map from (parent, name) to child. It is the
// "what do upper layers cover" structure of entry_fate.cc and the stacked
// file tree of dive_metrics.cc; both walk it in O(path depth) per lookup.
//
// Names are string_views that the caller keeps alive (views into the
// ImageScan's PathInterner, whose storage never moves).
#ifndef WHITTLE_WASTE_COMPONENT_TRIE_H_
#define WHITTLE_WASTE_COMPONENT_TRIE_H_

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace whittle {

/// Splits an absolute normalised path into its non-empty components
/// ("/" -> none, "/a/b" -> {"a", "b"}). Views point into |path|.
void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out);

class ComponentTrie {
 public:
  static constexpr uint32_t kRoot = 0;
  static constexpr uint32_t kNone = 0xffffffffu;

  ComponentTrie() { parents_.push_back(kNone); }
  ComponentTrie(const ComponentTrie&) = default;
  ComponentTrie& operator=(const ComponentTrie&) = default;

  /// The child of |parent| named |name|, or kNone.
  uint32_t Find(uint32_t parent, std::string_view name) const {
    auto it = children_.find(Key{parent, name});
    return it == children_.end() ? kNone : it->second;
  }
  /// Finds or creates the child; |*created| (optional) tells which.
  uint32_t FindOrAdd(uint32_t parent, std::string_view name, bool* created = nullptr);
  /// Unlinks the child so Find no longer returns it (its id stays valid and
  /// is never reused).
  void Unlink(uint32_t parent, std::string_view name) { children_.erase(Key{parent, name}); }
  uint32_t parent(uint32_t node) const { return parents_[node]; }
  size_t size() const { return parents_.size(); }
  void Reserve(size_t n) {
    parents_.reserve(n);
    children_.reserve(n);
  }

 private:
  struct Key {
    uint32_t parent;
    std::string_view name;
    bool operator==(const Key& o) const { return parent == o.parent && name == o.name; }
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string_view>()(k.name) ^ (static_cast<size_t>(k.parent) * 0x9e3779b97f4a7c15ull);
    }
  };
  std::vector<uint32_t> parents_;
  std::unordered_map<Key, uint32_t, KeyHash> children_;
};

}  // namespace whittle

#endif  // WHITTLE_WASTE_COMPONENT_TRIE_H_
