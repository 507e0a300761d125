// PathInterner: owns every path string seen in an image exactly once and
// hands out dense 32-bit ids. A layer can hold 10^5-10^6 entries; storing an
// id instead of a string per entry keeps memory proportional to the number
// of distinct paths (STYLE.md §7). Thread-safe: layers are scanned in
// parallel and intern into one shared table under a mutex.
//
// Get() and size() take no lock. Every report reads a path per member
// (several per member in `waste`), often from two threads at once (explore's
// fates beside its tree): a lock per read cost two atomic operations, and
// the mutex's cache line went back and forth between the cores. The views
// live in segments that never move (segment s holds 1024 * 2^s of them),
// published through atomic pointers, so a reader needs only the id: an id
// is handed out after its view is stored, and whoever passes the id on
// orders the two.
#ifndef WHITTLE_UTIL_INTERNER_H_
#define WHITTLE_UTIL_INTERNER_H_

#include <array>
#include <atomic>
#include <bit>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "util/big_array.h"

namespace whittle {

using PathId = uint32_t;
inline constexpr PathId kNoPath = 0xffffffffu;

class PathInterner {
 public:
  PathInterner() = default;
  PathInterner(const PathInterner&) = delete;
  PathInterner& operator=(const PathInterner&) = delete;

  /// Returns the id of |s|, adding it if new. Ids are dense from 0.
  PathId Intern(std::string_view s);
  /// Returns the id of |s| or kNoPath.
  PathId Find(std::string_view s) const;
  /// The string for |id| (an id this interner returned). The view stays
  /// valid for the interner's lifetime (storage never moves). No lock.
  std::string_view Get(PathId id) const {
    const Where w = Locate(id);
    return segments_[w.segment].load(std::memory_order_acquire)[w.offset];
  }
  /// How many paths are interned. No lock.
  size_t size() const { return count_.load(std::memory_order_acquire); }

 private:
  // Segment s holds the views of ids [1024 * (2^s - 1), 1024 * (2^(s+1) - 1)).
  static constexpr unsigned kFirstSegmentShift = 10;
  static constexpr size_t kSegments = 33 - kFirstSegmentShift;  // enough for 2^32 ids
  struct Where {
    unsigned segment;
    size_t offset;
  };
  static Where Locate(PathId id) {
    const uint64_t v = (uint64_t{id} >> kFirstSegmentShift) + 1;
    const unsigned s = static_cast<unsigned>(std::bit_width(v)) - 1;
    return Where{s, static_cast<size_t>(id - (((uint64_t{1} << s) - 1) << kFirstSegmentShift))};
  }

  mutable std::mutex mu_;
  // Chunks of characters; a chunk is never reallocated once in use, so views
  // into it stay valid.
  std::deque<std::string> chunks_;
  // The segments' buffers (each reserved whole once, so it never moves),
  // and their data as readers find them.
  std::vector<BigVector<std::string_view>> owned_;
  std::array<std::atomic<const std::string_view*>, kSegments> segments_{};
  std::atomic<size_t> count_{0};
  // Open addressing over ids (linear probing, load <= 1/2,
  // size a power of two): 16-32 bytes per path where a node-based map costs
  // ~56. Tagged slots (util/tagged_slots.h): a probe compares only strings
  // whose hash agrees, and a growth re-places ids without the strings.
  BigVector<uint64_t> slots_;
  // The slot holding |s|, or the empty one where it would go.
  size_t Probe(std::string_view s, uint64_t hash) const;
  void Grow();
};

}  // namespace whittle

#endif  // WHITTLE_UTIL_INTERNER_H_
