// Tagged slots: the open-addressing table of the path interner
// (util/interner.h) holds an id in the low 32 bits of a 64-bit slot and the
// low 32 bits of its key's hash above them. A probe then reads only the keys whose hash agrees
// (not every key on its path: a cache miss each at a million keys), and a
// growth re-places every id from its slot alone, without the keys.
//
// The table uses linear probing over a power-of-two size; ids stay below
// 2^32 - 2, so the all-ones patterns are free for markers.
#ifndef WHITTLE_UTIL_TAGGED_SLOTS_H_
#define WHITTLE_UTIL_TAGGED_SLOTS_H_

#include <cstddef>
#include <cstdint>

#include "util/big_array.h"

namespace whittle {

inline constexpr uint64_t kEmptyTaggedSlot = ~uint64_t{0};

inline constexpr uint64_t TaggedSlot(uint32_t id, uint64_t hash) { return hash << 32 | id; }
inline constexpr uint32_t TaggedSlotId(uint64_t slot) { return static_cast<uint32_t>(slot); }
/// True when |slot| may hold the key of |hash| (its tag agrees).
inline constexpr bool TaggedSlotMatches(uint64_t slot, uint64_t hash) { return slot >> 32 == (hash & 0xffffffffu); }

/// Replaces |slots| with |n| (a power of two) empty slots and places in them
/// every old slot for which keep(slot) holds, where its tag says, probing
/// linearly. Returns how many it placed.
template <class Keep>
size_t RehashTaggedSlots(BigVector<uint64_t>& slots, size_t n, Keep keep) {
  BigVector<uint64_t> old;
  old.swap(slots);
  slots.assign(n, kEmptyTaggedSlot);
  const size_t mask = n - 1;
  size_t placed = 0;
  for (uint64_t slot : old) {
    if (!keep(slot)) continue;
    size_t i = static_cast<size_t>(slot >> 32) & mask;  // the hash's low bits
    while (slots[i] != kEmptyTaggedSlot) i = (i + 1) & mask;
    slots[i] = slot;
    ++placed;
  }
  return placed;
}

}  // namespace whittle

#endif  // WHITTLE_UTIL_TAGGED_SLOTS_H_
