#include "waste/dive_metrics.h"

#include <gtest/gtest.h>

#include "waste/scan_builder_for_test.h"

namespace whittle {
namespace {

using namespace testing_waste;

TEST(DiveMetrics, OverwriteCountsEveryCopy) {
  DiveMetrics m = ComputeDiveMetrics(BuildScan({{D("/a"), F("/a/f", 100)}, {D("/a"), F("/a/f", 100)}}));
  EXPECT_DOUBLE_EQ(m.efficiency, 0.5);
  EXPECT_EQ(m.wasted_bytes, 200u);  // dive #684: the kept copy counts too
  EXPECT_EQ(m.size_bytes, 200u);
  EXPECT_EQ(m.user_size_bytes, 100u);
  EXPECT_DOUBLE_EQ(m.user_wasted_percent, 2.0);
  ASSERT_EQ(m.inefficient_files.size(), 1u);
  EXPECT_EQ(m.inefficient_files[0].path, "/a/f");
  EXPECT_EQ(m.inefficient_files[0].count, 2u);
}

TEST(DiveMetrics, FileWhiteoutChargesZero) {
  DiveMetrics m = ComputeDiveMetrics(BuildScan({{F("/a/f", 100)}, {WH("/a/f")}}));
  EXPECT_DOUBLE_EQ(m.efficiency, 0.0);
  EXPECT_EQ(m.wasted_bytes, 100u);
  EXPECT_EQ(m.user_size_bytes, 0u);
  EXPECT_EQ(m.user_wasted_percent, 0.0);  // dive: +Inf
}

TEST(DiveMetrics, DirectoryWhiteoutIsChargedOnceNotWasted) {
  DiveMetrics m =
      ComputeDiveMetrics(BuildScan({{D("/d"), F("/d/x", 10), F("/d/y", 20)}, {WH("/d")}, {F("/z", 1)}}));
  EXPECT_DOUBLE_EQ(m.efficiency, 1.0);
  EXPECT_EQ(m.wasted_bytes, 0u);
  EXPECT_TRUE(m.inefficient_files.empty());
}

TEST(DiveMetrics, WhiteoutOfAnUnknownPathStopsThatLayersVisit) {
  // ".wh.zzz" sorts before "b": dive's visitor errors on it and never sees
  // /b in layer 1, so /b is charged once (layer 2) and is not inefficient.
  DiveMetrics m = ComputeDiveMetrics(BuildScan({{F("/a", 5)}, {WH("/zzz"), F("/b", 7)}, {F("/b", 7)}}));
  EXPECT_TRUE(m.inefficient_files.empty());
  EXPECT_DOUBLE_EQ(m.efficiency, 1.0);
  // ...whereas a whiteout that sorts after it does not hide it.
  DiveMetrics m2 = ComputeDiveMetrics(BuildScan({{F("/a", 5)}, {F("/b", 7), WH("/c/zzz")}, {F("/b", 7)}}));
  EXPECT_EQ(m2.inefficient_files.size(), 1u);
}

TEST(DiveMetrics, ImpliedParentLosesItsDirectoryPayload) {
  // /d is an empty directory (a leaf) in layer 0. Layer 1 adds /d/x without
  // a /d member: dive stacks an implied, non-directory /d, so the whiteout in
  // layer 2 is charged 0.
  DiveMetrics implied = ComputeDiveMetrics(BuildScan({{D("/d")}, {F("/d/x", 10)}, {WH("/d")}}));
  ASSERT_EQ(implied.inefficient_files.size(), 1u);
  EXPECT_EQ(implied.inefficient_files[0].size_bytes, 0u);
  EXPECT_DOUBLE_EQ(implied.efficiency, 1.0);
  // With an explicit /d in layer 1 the whiteout is charged the subtree.
  DiveMetrics expl = ComputeDiveMetrics(BuildScan({{D("/d")}, {D("/d"), F("/d/x", 10)}, {WH("/d")}}));
  ASSERT_EQ(expl.inefficient_files.size(), 1u);
  EXPECT_EQ(expl.inefficient_files[0].path, "/d");
  EXPECT_EQ(expl.inefficient_files[0].size_bytes, 10u);
  EXPECT_DOUBLE_EQ(expl.efficiency, 0.5);
}

TEST(DiveMetrics, OpaqueMarkersAreIgnored) {
  DiveMetrics m = ComputeDiveMetrics(BuildScan({{D("/d"), F("/d/x", 10)}, {D("/d"), OPQ("/d"), F("/d/y", 5)}}));
  EXPECT_TRUE(m.inefficient_files.empty());
  EXPECT_DOUBLE_EQ(m.efficiency, 1.0);
  EXPECT_EQ(m.layer_sizes, (std::vector<uint64_t>{10, 5}));
}

TEST(DiveMetrics, OrderLargestFirstLaterTiesFirst) {
  DiveMetrics m = ComputeDiveMetrics(
      BuildScan({{F("/a", 5), F("/b", 3), F("/c", 3)}, {F("/c", 3)}, {F("/a", 5), F("/b", 3)}}));
  ASSERT_EQ(m.inefficient_files.size(), 3u);
  EXPECT_EQ(m.inefficient_files[0].path, "/a");
  EXPECT_EQ(m.inefficient_files[1].path, "/b");  // reached 2 visits after /c
  EXPECT_EQ(m.inefficient_files[2].path, "/c");
}

// 100,000 directories deep (issue 14's bad-input suite): stacking walked
// every implied directory from the root, 10^10 steps. The numbers are the
// ones the same history gives one level down.
TEST(DiveMetrics, DeepTreeGivesTheShallowNumbers) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "/d";
  auto history = [](const std::string& dir) {
    return BuildScan({{D(dir), F(dir + "/f", 100), F(dir + "/g", 7)},
                      {F(dir + "/f", 100)},
                      {WH(dir + "/f"), F(dir + "/h", 3)},
                      {F(dir + "/h", 3)}});
  };
  DiveMetrics shallow = ComputeDiveMetrics(history("/d"));
  DiveMetrics m = ComputeDiveMetrics(history(deep));
  EXPECT_DOUBLE_EQ(m.efficiency, shallow.efficiency);
  EXPECT_EQ(m.wasted_bytes, shallow.wasted_bytes);
  EXPECT_EQ(m.user_size_bytes, shallow.user_size_bytes);
  ASSERT_EQ(m.inefficient_files.size(), shallow.inefficient_files.size());
  ASSERT_EQ(m.inefficient_files.size(), 2u);
  for (size_t i = 0; i < m.inefficient_files.size(); ++i) {
    EXPECT_EQ(m.inefficient_files[i].path, deep + shallow.inefficient_files[i].path.substr(2));
    EXPECT_EQ(m.inefficient_files[i].count, shallow.inefficient_files[i].count);
  }
}

TEST(DiveMetrics, EmptyImage) {
  DiveMetrics m = ComputeDiveMetrics(BuildScan({}));
  EXPECT_EQ(m.efficiency, 1.0);
  EXPECT_EQ(m.user_wasted_percent, 0.0);
  DiveMetrics one = ComputeDiveMetrics(BuildScan({{F("/a", 5)}}));
  EXPECT_EQ(one.efficiency, 1.0);
  EXPECT_EQ(one.user_wasted_percent, 0.0);  // dive: NaN
}

}  // namespace
}  // namespace whittle
