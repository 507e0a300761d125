#include "util/interner.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

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

}  // namespace
}  // namespace whittle
