#include "util/interner.h"

#include <functional>

#include "util/tagged_slots.h"

namespace whittle {

namespace {
constexpr size_t kChunkSize = 1 << 20;
constexpr uint64_t kEmptySlot = kEmptyTaggedSlot;

uint64_t HashOf(std::string_view s) { return std::hash<std::string_view>()(s); }
}  // namespace

size_t PathInterner::Probe(std::string_view s, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const uint64_t slot = slots_[i];
    if (slot == kEmptySlot || (TaggedSlotMatches(slot, hash) && Get(TaggedSlotId(slot)) == s)) return i;
  }
}

void PathInterner::Grow() {
  RehashTaggedSlots(slots_, slots_.empty() ? 64 : slots_.size() * 2,
                    [](uint64_t slot) { return slot != kEmptySlot; });
}

PathId PathInterner::Intern(std::string_view s) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t n = count_.load(std::memory_order_relaxed);
  if ((n + 1) * 2 > slots_.size()) Grow();
  const uint64_t hash = HashOf(s);
  const size_t slot = Probe(s, hash);
  if (slots_[slot] != kEmptySlot) return TaggedSlotId(slots_[slot]);
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < s.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(s.size() > kChunkSize ? s.size() : kChunkSize);
  }
  std::string& chunk = chunks_.back();
  size_t at = chunk.size();
  chunk.append(s);  // within reserved capacity: no reallocation
  std::string_view stored(chunk.data() + at, s.size());
  const PathId id = static_cast<PathId>(n);
  const Where w = Locate(id);
  if (w.offset == 0) {  // the first id of a new segment
    owned_.emplace_back();
    owned_.back().reserve(size_t{1} << (kFirstSegmentShift + w.segment));
    segments_[w.segment].store(owned_.back().data(), std::memory_order_release);
  }
  owned_.back().push_back(stored);  // within its reservation: never moves
  slots_[slot] = TaggedSlot(id, hash);
  count_.store(n + 1, std::memory_order_release);
  return id;
}

PathId PathInterner::Find(std::string_view s) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (slots_.empty()) return kNoPath;
  const uint64_t slot = slots_[Probe(s, HashOf(s))];
  return slot == kEmptySlot ? kNoPath : TaggedSlotId(slot);
}

}  // namespace whittle
