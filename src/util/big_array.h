// BigVector: a std::vector whose buffers sit on transparent huge pages.
//
// whittle's own tables (the path interner's slots, the arrays by path of
// `waste`, explore's tree) are filled once, in fresh memory, and each 4 KiB
// page of it is faulted in on first touch. Where a fault is dear (a virtual
// machine: 12-45 us a page here) that was most of their cost: explore's tree
// of a 40,000-file image took 615 faults, ~11 ms. On 2 MiB pages a table
// takes a fault per 2 MiB: 8 MiB touched took 0.6-2.2 ms instead of 25-31 ms.
//
//   < kBigArrayMediumBytes        operator new
//   < kBigArrayMinBytes (medium)  BigVector: operator new.
//                                 SlabVector: carved from the calling
//                                 thread's current 2 MiB slab (one huge
//                                 page, bump allocation; a slab is unmapped
//                                 when its last buffer is freed and it is no
//                                 thread's current one)
//   >= kBigArrayMinBytes (big)    a mapping of its own, 2 MiB-aligned
//
// Slabs cost RSS (2 MiB each once touched, and growth leaves garbage in
// them): on all tables they took `waste` of a 1.1 GB image from 16 to
// 24-26 MiB peak, so only work a screen waits on uses them: explore's tree
// (SlabVector), and the BigVectors made while a ScopedMediumBuffersOnSlabs
// lives on their thread (explore's fates: 515 faults, most of their 11 ms,
// on that image). The choice is kept in the vector's allocator, so a buffer
// goes back where it came from whichever thread frees it.
//
// Slabs and big mappings are marked MADV_HUGEPAGE, which asks the kernel for
// huge pages for these buffers only, whatever glibc's malloc does (it asks
// only when GLIBC_TUNABLES=glibc.malloc.hugetlb=1 is set at start-up, and
// then into a heap whose 2 MiB extents are mostly part-used already). With
// "[never]" in /sys/kernel/mm/transparent_hugepage/enabled the advice is
// ignored and the buffers are ordinary pages.
//
// Memory: a slab costs 2 MiB once touched, and a buffer freed inside one is
// not reused until the whole slab is free (the tables are built once and
// freed together). A big buffer's mapping is rounded up to a whole huge page
// when the part past its last full one is at least half a huge page, else
// to 4 KiB (that tail is backed by small pages): at most 1 MiB over.
//
// Under AddressSanitizer every buffer comes from operator new, so the
// sanitizer keeps its red zones around them.
#ifndef WHITTLE_UTIL_BIG_ARRAY_H_
#define WHITTLE_UTIL_BIG_ARRAY_H_

#include <cstddef>
#include <new>
#include <type_traits>
#include <vector>

namespace whittle {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;
inline constexpr size_t kBigArrayMinBytes = size_t{1} << 20;
inline constexpr size_t kBigArrayMediumBytes = size_t{16} << 10;

/// The length mapped for a buffer of |bytes| (see above).
size_t BigMappingLength(size_t bytes);

/// Maps |bytes| (>= 1) on a 2 MiB boundary, advised for huge pages. Throws
/// std::bad_alloc when the kernel refuses, as operator new does.
void* AllocateBigBuffer(size_t bytes);
/// Unmaps a buffer AllocateBigBuffer(|bytes|) returned.
void FreeBigBuffer(void* p, size_t bytes) noexcept;

/// A medium buffer of |bytes| (< kBigArrayMinBytes) from the calling
/// thread's slab, 64-byte aligned. Throws std::bad_alloc.
void* AllocateMediumBuffer(size_t bytes);
/// Frees a buffer AllocateMediumBuffer returned, from any thread.
void FreeMediumBuffer(void* p) noexcept;

/// True when buffers of kBigArrayMediumBytes or more take the paths above
/// (not under AddressSanitizer).
bool BigBuffersMapped();

/// Every slab mapped and not unmapped yet, for tests.
size_t LiveSlabsForTest();

/// While one lives, BigVectors constructed on the calling thread take their
/// medium buffers from slabs too, for all their life. Nests.
class ScopedMediumBuffersOnSlabs {
 public:
  ScopedMediumBuffersOnSlabs();
  ~ScopedMediumBuffersOnSlabs();
  ScopedMediumBuffersOnSlabs(const ScopedMediumBuffersOnSlabs&) = delete;
  ScopedMediumBuffersOnSlabs& operator=(const ScopedMediumBuffersOnSlabs&) = delete;

 private:
  bool saved_;
};
/// True inside a ScopedMediumBuffersOnSlabs on this thread.
bool MediumBuffersOnSlabsHere() noexcept;

/// |kSlabs|: medium buffers from the thread's slab (SlabVector); without it
/// they come from operator new (BigVector) unless the allocator was made
/// inside a ScopedMediumBuffersOnSlabs, and only big ones are mapped.
template <class T, bool kSlabs = false>
class BigArrayAllocator {
 public:
  using value_type = T;
  template <class U>
  struct rebind {
    using other = BigArrayAllocator<U, kSlabs>;
  };
  // The slab choice moves with the buffers it made.
  using propagate_on_container_move_assignment = std::true_type;
  using propagate_on_container_swap = std::true_type;
  using is_always_equal = std::false_type;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__, "operator new(size_t) must align T");
  BigArrayAllocator() noexcept : slabs_(kSlabs || MediumBuffersOnSlabsHere()) {}
  template <class U>
  BigArrayAllocator(const BigArrayAllocator<U, kSlabs>& other) noexcept  // NOLINT: rebinding
      : slabs_(other.slabs()) {}
  bool slabs() const noexcept { return slabs_; }

  T* allocate(size_t n) {
    if (n > static_cast<size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const size_t bytes = n * sizeof(T);
    if (BigBuffersMapped()) {
      if (bytes >= kBigArrayMinBytes) return static_cast<T*>(AllocateBigBuffer(bytes));
      if (slabs_ && bytes >= kBigArrayMediumBytes) return static_cast<T*>(AllocateMediumBuffer(bytes));
    }
    return static_cast<T*>(::operator new(bytes));
  }
  void deallocate(T* p, size_t n) noexcept {
    const size_t bytes = n * sizeof(T);
    if (BigBuffersMapped()) {
      if (bytes >= kBigArrayMinBytes) {
        FreeBigBuffer(p, bytes);
        return;
      }
      if (slabs_ && bytes >= kBigArrayMediumBytes) {
        FreeMediumBuffer(p);
        return;
      }
    }
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const BigArrayAllocator<U, kSlabs>& other) const noexcept {
    return slabs_ == other.slabs();
  }

 private:
  bool slabs_;
};

/// Big buffers (1 MiB and more) on huge pages; the rest from operator new.
template <class T>
using BigVector = std::vector<T, BigArrayAllocator<T>>;
/// Medium buffers (16 KiB and more) too, from the thread's slab: no page
/// fault per 4 KiB for a table of 100 KiB, at the price of 2 MiB of RSS per
/// slab. For explore's tree, where the first screen waits on it.
template <class T>
using SlabVector = std::vector<T, BigArrayAllocator<T, true>>;

}  // namespace whittle

#endif  // WHITTLE_UTIL_BIG_ARRAY_H_
