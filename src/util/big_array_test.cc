#include "util/big_array.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace whittle {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

TEST(BigMappingLength, RoundsToAHugePageOnlyWhenTheTailIsHalfOneOrMore) {
  EXPECT_EQ(BigMappingLength(1), 4096u);
  EXPECT_EQ(BigMappingLength(kMiB), 2 * kMiB);          // a tail of half a huge page
  EXPECT_EQ(BigMappingLength(kMiB - 1), kMiB);          // less: small pages
  EXPECT_EQ(BigMappingLength(2 * kMiB), 2 * kMiB);
  EXPECT_EQ(BigMappingLength(2 * kMiB + 1), 2 * kMiB + 4096);
  EXPECT_EQ(BigMappingLength(3 * kMiB), 4 * kMiB);
  EXPECT_EQ(BigMappingLength(5 * kMiB - 5000), 5 * kMiB - 4096);
}

// The smaps block of the mapping that starts at |p|: "" when none does.
std::string SmapsOf(const void* p) {
  std::ifstream in("/proc/self/smaps");
  std::string line, block;
  bool inside = false;
  const uintptr_t want = reinterpret_cast<uintptr_t>(p);
  while (std::getline(in, line)) {
    unsigned long long lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if ((head >> std::hex >> lo >> dash >> hi) && dash == '-' && line.find(':') > line.find(' ')) {
      if (inside) return block;
      inside = lo == want;
      if (inside) block = line + "\n";
      continue;
    }
    if (inside) block += line + "\n";
  }
  return inside ? block : "";
}

uint64_t SmapsKb(const std::string& block, const std::string& field) {
  size_t at = block.find("\n" + field + ":");
  if (at == std::string::npos) return UINT64_MAX;
  return std::stoull(block.substr(at + field.size() + 2));
}

TEST(AllocateBigBuffer, IsAlignedToAHugePageSizedAsSaidAndAdvised) {
  const size_t bytes = 3 * kMiB + 12345;
  void* p = AllocateBigBuffer(bytes);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % kHugePageBytes, 0u);
  std::memset(p, 0xab, bytes);
  EXPECT_EQ(static_cast<unsigned char*>(p)[bytes - 1], 0xab);
  const std::string smaps = SmapsOf(p);
  ASSERT_FALSE(smaps.empty()) << "no mapping starts at the buffer";
  // The kernel may merge it with a neighbour of the same kind: at least ours.
  EXPECT_GE(SmapsKb(smaps, "Size") * 1024, BigMappingLength(bytes)) << smaps;
  std::ifstream thp("/sys/kernel/mm/transparent_hugepage/enabled");
  if (thp.good()) {
    // Marked for huge pages: "hg" in VmFlags (whether the kernel then
    // finds free 2 MiB pages is its business).
    size_t flags = smaps.find("VmFlags:");
    ASSERT_NE(flags, std::string::npos) << smaps;
    EXPECT_NE(smaps.find(" hg", flags), std::string::npos) << smaps;
  }
  FreeBigBuffer(p, bytes);
  EXPECT_TRUE(SmapsOf(p).empty());
}

TEST(BigVector, KeepsItsContentsAcrossTheThresholdAndCopies) {
  BigVector<uint32_t> v;
  const size_t n = 3 * kMiB / sizeof(uint32_t);  // grows through 1 MiB and past 2 MiB
  for (size_t i = 0; i < n; ++i) v.push_back(static_cast<uint32_t>(i * 2654435761u));
  ASSERT_EQ(v.size(), n);
  for (size_t i = 0; i < n; i += 997) ASSERT_EQ(v[i], static_cast<uint32_t>(i * 2654435761u)) << i;
  if (BigBuffersMapped()) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data()) % kHugePageBytes, 0u);
  }
  BigVector<uint32_t> copy = v;
  EXPECT_EQ(copy, v);
  v.clear();
  v.shrink_to_fit();
  EXPECT_EQ(copy[n - 1], static_cast<uint32_t>((n - 1) * 2654435761u));
  BigVector<char> small(100, 'x');
  EXPECT_EQ(std::string(small.begin(), small.end()), std::string(100, 'x'));
}

TEST(SlabVector, MediumBuffersComeFromASlabOnlyForSlabVector) {
  // On a fresh thread, so that no current slab of this one is counted.
  std::thread([] {
    const size_t before = LiveSlabsForTest();
    BigVector<char> plain(100000, 'p');  // medium: operator new
    EXPECT_EQ(LiveSlabsForTest(), before);
    {
      SlabVector<char> slabbed(100000, 's');
      EXPECT_EQ(slabbed[99999], 's');
      if (BigBuffersMapped()) {
        EXPECT_EQ(LiveSlabsForTest(), before + 1);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(slabbed.data()) % kHugePageBytes, 64u);  // after the header
      }
    }
    EXPECT_EQ(plain[0], 'p');
  }).join();
}

// Inside a ScopedMediumBuffersOnSlabs a BigVector is a SlabVector for all
// its life: it grows on slabs after the scope has ended, and its buffers go
// back to their slab when it is moved to and freed on another thread.
TEST(ScopedMediumBuffersOnSlabs, BigVectorsMadeInsideUseSlabsForLife) {
  std::thread([] {
    const size_t before = LiveSlabsForTest();
    std::optional<BigVector<uint32_t>> inside;
    {
      ScopedMediumBuffersOnSlabs scope;
      EXPECT_TRUE(MediumBuffersOnSlabsHere());
      {
        ScopedMediumBuffersOnSlabs nested;
      }
      EXPECT_TRUE(MediumBuffersOnSlabsHere());
      inside.emplace(10000, 7u);  // 40 KB: medium
    }
    EXPECT_FALSE(MediumBuffersOnSlabsHere());
    EXPECT_TRUE(inside->get_allocator().slabs());
    BigVector<uint32_t> outside(10000, 8u);
    EXPECT_FALSE(outside.get_allocator().slabs());
    if (BigBuffersMapped()) {
      EXPECT_EQ(LiveSlabsForTest(), before + 1);
      EXPECT_EQ(reinterpret_cast<uintptr_t>(inside->data()) % kHugePageBytes, 64u);  // first on its slab
    }
    for (uint32_t i = 0; i < 50000; ++i) inside->push_back(i);  // grows after the scope, still on slabs
    EXPECT_EQ((*inside)[9999], 7u);
    EXPECT_EQ(inside->back(), 49999u);
    // Moved into a vector made outside: the allocator travels with it.
    outside = std::move(*inside);
    inside.reset();
    EXPECT_TRUE(outside.get_allocator().slabs());
    std::thread([v = std::move(outside)]() mutable { BigVector<uint32_t>().swap(v); }).join();
    // This thread's current slab stays until the thread ends.
    if (BigBuffersMapped()) {
      EXPECT_EQ(LiveSlabsForTest(), before + 1);
    }
  }).join();
}

TEST(AllocateMediumBuffer, BuffersShareTheThreadsSlabWhichGoesWithTheLastOfThem) {
  // Called directly: the same under AddressSanitizer, where BigVector does not.
  const size_t before = LiveSlabsForTest();
  std::vector<char*> made;
  std::thread([&] {
    for (size_t bytes : {size_t{16384}, size_t{400000}, size_t{1000000}}) {
      char* p = static_cast<char*>(AllocateMediumBuffer(bytes));
      std::memset(p, 0x5a, bytes);
      made.push_back(p);
    }
    EXPECT_EQ(LiveSlabsForTest(), before + 1);
    // The next one does not fit in what is left of 2 MiB: a second slab.
    char* q = static_cast<char*>(AllocateMediumBuffer(900000));
    EXPECT_NE(reinterpret_cast<uintptr_t>(q) / kHugePageBytes, reinterpret_cast<uintptr_t>(made[0]) / kHugePageBytes);
    EXPECT_EQ(LiveSlabsForTest(), before + 2);
    FreeMediumBuffer(q);  // still the thread's current slab
    EXPECT_EQ(LiveSlabsForTest(), before + 2);
  }).join();
  // The thread is gone: its current slab with it; the first stays for the
  // buffers still in use, which this thread frees.
  EXPECT_EQ(LiveSlabsForTest(), before + 1);
  const uintptr_t slab = reinterpret_cast<uintptr_t>(made[0]) / kHugePageBytes;
  for (char* p : made) {
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) / kHugePageBytes, slab);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u);
    EXPECT_EQ(p[0], 0x5a);
  }
  EXPECT_LT(made[0] + 16384, made[1] + 1);
  FreeMediumBuffer(made[0]);
  FreeMediumBuffer(made[1]);
  EXPECT_EQ(LiveSlabsForTest(), before + 1);
  FreeMediumBuffer(made[2]);
  EXPECT_EQ(LiveSlabsForTest(), before);
}

}  // namespace
}  // namespace whittle
