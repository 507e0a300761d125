#include "util/interner.h"

#include <functional>

namespace whittle {

namespace {
constexpr size_t kChunkSize = 1 << 20;
constexpr PathId kEmptySlot = kNoPath;

size_t HashOf(std::string_view s) { return std::hash<std::string_view>()(s); }
}  // namespace

size_t PathInterner::Probe(std::string_view s, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    PathId id = slots_[i];
    if (id == kEmptySlot || strings_[id] == s) return i;
  }
}

void PathInterner::Grow() {
  size_t n = slots_.empty() ? 64 : slots_.size() * 2;
  slots_.assign(n, kEmptySlot);
  const size_t mask = n - 1;
  for (PathId id = 0; id < strings_.size(); ++id) {
    size_t i = HashOf(strings_[id]) & mask;
    while (slots_[i] != kEmptySlot) i = (i + 1) & mask;
    slots_[i] = id;
  }
}

PathId PathInterner::Intern(std::string_view s) {
  std::lock_guard<std::mutex> lock(mu_);
  if ((strings_.size() + 1) * 2 > slots_.size()) Grow();
  const size_t slot = Probe(s, HashOf(s));
  if (slots_[slot] != kEmptySlot) return slots_[slot];
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < s.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(s.size() > kChunkSize ? s.size() : kChunkSize);
  }
  std::string& chunk = chunks_.back();
  size_t at = chunk.size();
  chunk.append(s);  // within reserved capacity: no reallocation
  std::string_view stored(chunk.data() + at, s.size());
  PathId id = static_cast<PathId>(strings_.size());
  strings_.push_back(stored);
  slots_[slot] = id;
  return id;
}

PathId PathInterner::Find(std::string_view s) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (slots_.empty()) return kNoPath;
  return slots_[Probe(s, HashOf(s))];
}

std::string_view PathInterner::Get(PathId id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return strings_[id];
}

size_t PathInterner::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return strings_.size();
}

}  // namespace whittle
