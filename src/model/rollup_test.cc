#include "model/rollup.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(Rollup, SumsSortsAndFolds) {
  Rollup r;
  r.Add({"b", "x"}, 10, 100);
  r.Add({"a", "y"}, 30, 30);
  r.Add({"a", "z"}, 5, 50);
  r.Add({"c", "w"}, 1, 1);
  r.Add({"a", "y"}, 1, 1);
  RollupOutput out = r.Finish({"one", "two"}, 2, SortBy::kBoth);
  EXPECT_EQ(out.total.blob, 47u);
  EXPECT_EQ(out.total.tar, 182u);
  ASSERT_EQ(out.total.children.size(), 3u);
  EXPECT_EQ(out.total.children[0].name, "b");  // max(10,100)=100 first
  EXPECT_EQ(out.total.children[1].name, "a");  // max(36,81)=81
  EXPECT_EQ(out.total.children[2].name, "[1 Others]");
  EXPECT_TRUE(out.total.children[2].others);
  EXPECT_EQ(out.total.children[2].tar, 1u);
  const RollupRow& a = out.total.children[1];
  ASSERT_EQ(a.children.size(), 2u);
  EXPECT_EQ(a.children[0].name, "z");
  EXPECT_EQ(a.children[1].blob, 31u);
  EXPECT_NEAR(a.children[1].blob_percent, 100.0 * 31 / 36, 1e-9);
}

TEST(Rollup, SortByBlobAndTies) {
  Rollup r;
  r.Add({"q"}, 5, 1);
  r.Add({"p"}, 5, 9);
  r.Add({"r"}, 6, 0);
  RollupOutput out = r.Finish({"s"}, 0, SortBy::kBlob);
  ASSERT_EQ(out.total.children.size(), 3u);
  EXPECT_EQ(out.total.children[0].name, "r");
  EXPECT_EQ(out.total.children[1].name, "p");  // tie on blob: by name
  EXPECT_EQ(out.total.children[2].name, "q");
}

TEST(Rollup, MergeEqualsAddingEverything) {
  Rollup a, b, all;
  a.Add({"x", "1"}, 1, 2);
  b.Add({"x", "2"}, 3, 4);
  b.Add({"y"}, 5, 6);
  all.Add({"x", "1"}, 1, 2);
  all.Add({"x", "2"}, 3, 4);
  all.Add({"y"}, 5, 6);
  a.Merge(b);
  RollupOutput x = a.Finish({"s", "t"}, 0, SortBy::kTar);
  RollupOutput y = all.Finish({"s", "t"}, 0, SortBy::kTar);
  ASSERT_EQ(x.total.children.size(), y.total.children.size());
  for (size_t i = 0; i < x.total.children.size(); ++i) {
    EXPECT_EQ(x.total.children[i].name, y.total.children[i].name);
    EXPECT_EQ(x.total.children[i].tar, y.total.children[i].tar);
    EXPECT_EQ(x.total.children[i].children.size(), y.total.children[i].children.size());
  }
}

}  // namespace
}  // namespace whittle
