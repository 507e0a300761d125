#include "util/big_array.h"

#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <new>

namespace whittle {

namespace {

constexpr size_t kSmallPage = 4096;

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

// A slab is one 2 MiB-aligned huge page: this header, then medium buffers
// one after another. |refs| counts its live buffers, plus one while it is
// some thread's current slab; the last release unmaps it. A buffer finds
// its slab by rounding its address down to 2 MiB (no buffer starts there:
// the header does).
struct SlabHeader {
  std::atomic<size_t> refs{1};
};
constexpr size_t kSlabHeaderBytes = 64;
static_assert(sizeof(SlabHeader) <= kSlabHeaderBytes);

std::atomic<size_t> g_live_slabs{0};

void Release(SlabHeader* slab) noexcept {
  if (slab->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    slab->~SlabHeader();
    FreeBigBuffer(slab, kHugePageBytes);
    g_live_slabs.fetch_sub(1, std::memory_order_relaxed);
  }
}

// The calling thread's slab and how much of it is handed out; given back
// when the thread ends.
struct CurrentSlab {
  SlabHeader* slab = nullptr;
  size_t used = 0;
  ~CurrentSlab() {
    if (slab != nullptr) Release(slab);
  }
};
thread_local CurrentSlab t_current;

}  // namespace

bool BigBuffersMapped() {
#if defined(__SANITIZE_ADDRESS__)
  return false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  return false;
#else
  return true;
#endif
#else
  return true;
#endif
}

size_t BigMappingLength(size_t bytes) {
  const size_t full = bytes / kHugePageBytes * kHugePageBytes;
  const size_t tail = bytes - full;
  if (tail >= kHugePageBytes / 2) return full + kHugePageBytes;
  return full + RoundUp(tail, kSmallPage);
}

void* AllocateBigBuffer(size_t bytes) {
  if (bytes == 0 || bytes > SIZE_MAX - 2 * kHugePageBytes) throw std::bad_alloc();
  const size_t length = BigMappingLength(bytes);
  // Map a huge page more than needed, then give back the head and the tail
  // around the first 2 MiB boundary: huge pages back only aligned 2 MiB
  // extents that lie wholly inside the mapping.
  const size_t reserve = length + kHugePageBytes;
  void* raw = mmap(nullptr, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  const uintptr_t aligned = RoundUp(start, kHugePageBytes);
  if (aligned > start) munmap(raw, aligned - start);
  const uintptr_t end = start + reserve;
  if (end > aligned + length) munmap(reinterpret_cast<void*>(aligned + length), end - (aligned + length));
  void* p = reinterpret_cast<void*>(aligned);
  // Advice only: a kernel without transparent huge pages says EINVAL, and
  // the buffer is then ordinary memory.
  (void)madvise(p, length, MADV_HUGEPAGE);
  return p;
}

void FreeBigBuffer(void* p, size_t bytes) noexcept {
  if (p != nullptr) munmap(p, BigMappingLength(bytes));
}

void* AllocateMediumBuffer(size_t bytes) {
  bytes = RoundUp(bytes == 0 ? 1 : bytes, kSlabHeaderBytes);
  if (bytes > kHugePageBytes - kSlabHeaderBytes) throw std::bad_alloc();
  CurrentSlab& c = t_current;
  if (c.slab == nullptr || c.used + bytes > kHugePageBytes) {
    SlabHeader* fresh = new (AllocateBigBuffer(kHugePageBytes)) SlabHeader;
    g_live_slabs.fetch_add(1, std::memory_order_relaxed);
    if (c.slab != nullptr) Release(c.slab);
    c.slab = fresh;
    c.used = kSlabHeaderBytes;
  }
  void* p = reinterpret_cast<char*>(c.slab) + c.used;
  c.used += bytes;
  c.slab->refs.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void FreeMediumBuffer(void* p) noexcept {
  if (p == nullptr) return;
  Release(reinterpret_cast<SlabHeader*>(reinterpret_cast<uintptr_t>(p) & ~(uintptr_t{kHugePageBytes} - 1)));
}

size_t LiveSlabsForTest() { return g_live_slabs.load(); }

namespace {
thread_local bool t_medium_on_slabs = false;
}  // namespace

ScopedMediumBuffersOnSlabs::ScopedMediumBuffersOnSlabs() : saved_(t_medium_on_slabs) { t_medium_on_slabs = true; }
ScopedMediumBuffersOnSlabs::~ScopedMediumBuffersOnSlabs() { t_medium_on_slabs = saved_; }
bool MediumBuffersOnSlabsHere() noexcept { return t_medium_on_slabs; }

}  // namespace whittle
