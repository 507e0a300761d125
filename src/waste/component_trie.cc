#include "waste/component_trie.h"

#include <cstdint>
#include <functional>

namespace whittle {

void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t start = i;
    while (i < path.size() && path[i] != '/') ++i;
    if (i > start) out->push_back(path.substr(start, i - start));
  }
}

std::string_view SiblingLeaf(std::string_view last, std::string_view next) {
  const size_t slash = next.rfind('/');
  if (slash == std::string_view::npos) return last.find('/') == std::string_view::npos ? next : std::string_view();
  if (last.size() <= slash || last[slash] != '/' || last.compare(0, slash, next, 0, slash) != 0 ||
      last.find('/', slash + 1) != std::string_view::npos) {
    return std::string_view();
  }
  return next.substr(slash + 1);
}

uint64_t ComponentTrie::Hash(uint32_t parent, std::string_view name) {
  uint64_t h = std::hash<std::string_view>()(name) ^ (static_cast<uint64_t>(parent) * 0x9e3779b97f4a7c15ull);
  return h ^ (h >> 29);
}

size_t ComponentTrie::Probe(uint32_t parent, std::string_view name, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  size_t first_free = SIZE_MAX;
  for (;;) {
    const uint64_t slot = slots_[i];
    if (slot == kEmptySlot) return first_free != SIZE_MAX ? first_free : i;
    if (slot == kTombstone) {
      if (first_free == SIZE_MAX) first_free = i;
    } else if (TaggedSlotMatches(slot, hash)) {
      const uint32_t id = TaggedSlotId(slot);
      if (parents_[id] == parent && names_[id] == name) return i;
    }
    i = (i + 1) & mask;
  }
}

uint32_t ComponentTrie::Find(uint32_t parent, std::string_view name) const {
  if (slots_.empty()) return kNone;
  const uint64_t slot = slots_[Probe(parent, name, Hash(parent, name))];
  return IsNode(slot) ? TaggedSlotId(slot) : kNone;
}

// Re-inserts the live nodes into |n| empty slots (tombstones are dropped).
void ComponentTrie::Rehash(size_t n) { used_ = RehashTaggedSlots(slots_, n, IsNode); }

void ComponentTrie::Reserve(size_t n) {
  parents_.reserve(n);
  names_.reserve(n);
  size_t slots = 16;
  while (slots < 2 * n + 2) slots *= 2;
  if (slots <= slots_.size()) return;
  Rehash(slots);
}

void ComponentTrie::Grow() {
  // Doubles when more than a quarter of the new table would be live, so
  // load stays <= 1/2.
  size_t live = 0;
  for (uint64_t slot : slots_) live += IsNode(slot);
  size_t n = slots_.empty() ? 16 : slots_.size();
  while ((live + 1) * 4 > n) n *= 2;
  Rehash(n);
}

uint32_t ComponentTrie::FindOrAdd(uint32_t parent, std::string_view name, bool* created) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  const uint64_t hash = Hash(parent, name);
  const size_t at = Probe(parent, name, hash);
  const uint64_t slot = slots_[at];
  if (IsNode(slot)) {
    if (created != nullptr) *created = false;
    return TaggedSlotId(slot);
  }
  if (slot == kEmptySlot) ++used_;
  const uint32_t id = static_cast<uint32_t>(parents_.size());
  parents_.push_back(parent);
  names_.push_back(name);
  slots_[at] = TaggedSlot(id, hash);
  if (created != nullptr) *created = true;
  return id;
}

void ComponentTrie::Unlink(uint32_t parent, std::string_view name) {
  if (slots_.empty()) return;
  const size_t at = Probe(parent, name, Hash(parent, name));
  if (IsNode(slots_[at])) slots_[at] = kTombstone;
}

}  // namespace whittle
