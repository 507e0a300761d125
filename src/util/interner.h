// PathInterner: owns every path string seen in an image exactly once and
// hands out dense 32-bit ids. A layer can hold 10^5-10^6 entries; storing an
// id instead of a string per entry keeps memory proportional to the number
// of distinct paths (STYLE.md §7). Thread-safe: layers are scanned in
// parallel and intern into one shared table under a mutex.
#ifndef WHITTLE_UTIL_INTERNER_H_
#define WHITTLE_UTIL_INTERNER_H_

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
  /// The string for |id|. The view stays valid for the interner's lifetime
  /// (storage never moves).
  std::string_view Get(PathId id) const;
  size_t size() const;

 private:
  mutable std::mutex mu_;
  // Chunks of characters; a chunk is never reallocated once in use, so views
  // into it stay valid.
  std::deque<std::string> chunks_;
  BigVector<std::string_view> strings_;
  // Open addressing over ids into |strings_| (linear probing, load <= 1/2,
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
