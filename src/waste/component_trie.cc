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

size_t ComponentTrie::Hash(uint32_t parent, std::string_view name) {
  size_t h = std::hash<std::string_view>()(name) ^ (static_cast<size_t>(parent) * 0x9e3779b97f4a7c15ull);
  return h ^ (h >> 29);
}

size_t ComponentTrie::Probe(uint32_t parent, std::string_view name, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  size_t first_free = SIZE_MAX;
  for (;;) {
    uint32_t id = slots_[i];
    if (id == kEmptySlot) return first_free != SIZE_MAX ? first_free : i;
    if (id == kTombstone) {
      if (first_free == SIZE_MAX) first_free = i;
    } else if (parents_[id] == parent && names_[id] == name) {
      return i;
    }
    i = (i + 1) & mask;
  }
}

uint32_t ComponentTrie::Find(uint32_t parent, std::string_view name) const {
  if (slots_.empty()) return kNone;
  uint32_t id = slots_[Probe(parent, name, Hash(parent, name))];
  return id == kEmptySlot || id == kTombstone ? kNone : id;
}

void ComponentTrie::Reserve(size_t n) {
  parents_.reserve(n);
  names_.reserve(n);
  size_t slots = 16;
  while (slots < 2 * n + 2) slots *= 2;
  if (slots <= slots_.size()) return;
  BigVector<uint32_t> old;
  old.swap(slots_);
  slots_.assign(slots, kEmptySlot);
  const size_t mask = slots - 1;
  size_t live = 0;
  for (uint32_t id : old) {
    if (id == kEmptySlot || id == kTombstone) continue;
    size_t i = Hash(parents_[id], names_[id]) & mask;
    while (slots_[i] != kEmptySlot) i = (i + 1) & mask;
    slots_[i] = id;
    ++live;
  }
  used_ = live;
}

void ComponentTrie::Grow() {
  // Live nodes only: tombstones are dropped. Doubles when more than a
  // quarter of the new table would be live, so load stays <= 1/2.
  size_t live = 0;
  for (uint32_t id : slots_) live += id != kEmptySlot && id != kTombstone;
  size_t n = slots_.empty() ? 16 : slots_.size();
  while ((live + 1) * 4 > n) n *= 2;
  BigVector<uint32_t> old;
  old.swap(slots_);
  slots_.assign(n, kEmptySlot);
  const size_t mask = n - 1;
  for (uint32_t id : old) {
    if (id == kEmptySlot || id == kTombstone) continue;
    size_t i = Hash(parents_[id], names_[id]) & mask;
    while (slots_[i] != kEmptySlot) i = (i + 1) & mask;
    slots_[i] = id;
  }
  used_ = live;
}

uint32_t ComponentTrie::FindOrAdd(uint32_t parent, std::string_view name, bool* created) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  const size_t hash = Hash(parent, name);
  size_t slot = Probe(parent, name, hash);
  uint32_t id = slots_[slot];
  if (id != kEmptySlot && id != kTombstone) {
    if (created != nullptr) *created = false;
    return id;
  }
  if (id == kEmptySlot) ++used_;
  id = static_cast<uint32_t>(parents_.size());
  parents_.push_back(parent);
  names_.push_back(name);
  slots_[slot] = id;
  if (created != nullptr) *created = true;
  return id;
}

void ComponentTrie::Unlink(uint32_t parent, std::string_view name) {
  if (slots_.empty()) return;
  size_t slot = Probe(parent, name, Hash(parent, name));
  uint32_t id = slots_[slot];
  if (id != kEmptySlot && id != kTombstone) slots_[slot] = kTombstone;
}

}  // namespace whittle
