#include "util/interner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace whittle {
namespace {

TEST(PathInterner, DenseIdsAndStableViews) {
  PathInterner in;
  PathId a = in.Intern("/a");
  PathId b = in.Intern("/b");
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(b, 1u);
  EXPECT_EQ(in.Intern("/a"), a);
  std::string_view va = in.Get(a);
  for (int i = 0; i < 100000; ++i) in.Intern("/many/" + std::to_string(i));
  EXPECT_EQ(va, "/a");  // storage did not move
  EXPECT_EQ(in.Find("/many/99999"), 100001u);
  EXPECT_EQ(in.Find("/nope"), kNoPath);
}

TEST(PathInterner, ConcurrentInternAgrees) {
  PathInterner in;
  auto work = [&] {
    for (int i = 0; i < 20000; ++i) in.Intern("/p/" + std::to_string(i));
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
  EXPECT_EQ(in.size(), 20000u);
  for (int i = 0; i < 20000; i += 997) {
    EXPECT_EQ(in.Get(in.Find("/p/" + std::to_string(i))), "/p/" + std::to_string(i));
  }
}

// Get() reads without the lock from segments of 1024 * 2^s views: every id
// on either side of a segment boundary gives back its own string.
TEST(PathInterner, SegmentBoundaries) {
  PathInterner in;
  for (int i = 0; i < 40000; ++i) ASSERT_EQ(in.Intern("/s/" + std::to_string(i)), static_cast<PathId>(i));
  EXPECT_EQ(in.size(), 40000u);
  for (PathId edge : {1024u, 3072u, 7168u, 15360u, 31744u}) {
    for (PathId id : {edge - 1, edge, edge + 1}) EXPECT_EQ(in.Get(id), "/s/" + std::to_string(id));
  }
  EXPECT_EQ(in.Get(0), "/s/0");
  EXPECT_EQ(in.Get(39999), "/s/39999");
}

// A reader given ids by a writer (through an atomic, as the scan's threads
// hand theirs on) reads each id's string while the writer keeps interning
// and new segments appear.
TEST(PathInterner, ReadsWhileAnotherThreadInterns) {
  PathInterner in;
  constexpr int kPaths = 50000;
  std::atomic<int> published{0};
  std::thread writer([&] {
    for (int i = 0; i < kPaths; ++i) {
      in.Intern("/w/" + std::to_string(i));
      published.store(i + 1, std::memory_order_release);
    }
  });
  int bad = 0;
  for (int seen = 0; seen < kPaths;) {
    const int now = published.load(std::memory_order_acquire);
    for (; seen < now; ++seen) bad += in.Get(static_cast<PathId>(seen)) != "/w/" + std::to_string(seen);
  }
  writer.join();
  EXPECT_EQ(bad, 0);
  EXPECT_EQ(in.size(), static_cast<size_t>(kPaths));
}

}  // namespace
}  // namespace whittle
