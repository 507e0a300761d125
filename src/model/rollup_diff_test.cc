#include "model/rollup_diff.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

Rollup Make(const std::vector<std::tuple<std::string, std::string, uint64_t>>& rows) {
  Rollup r;
  for (const auto& [a, b, size] : rows) r.Add({a, b}, size / 2, size);
  return r;
}

const DiffRow* Child(const DiffRow& r, const std::string& name) {
  for (const auto& c : r.children) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

TEST(RollupDiff, NewDeletedChangedAndUnchangedRows) {
  Rollup old_r = Make({{"#1 base", "/bin", 1000}, {"#2 RUN apt", "deb:gcc", 5000}, {"#2 RUN apt", "deb:libc", 300}});
  Rollup new_r = Make({{"#1 base", "/bin", 1000}, {"#2 RUN apt", "deb:libc", 400}, {"#3 COPY app", "/app", 70}});
  DiffOutput d = DiffRollups(old_r, new_r, {"layers", "packages"}, {0, SortBy::kTar, SortBy::kBoth, false});
  EXPECT_EQ(d.total.old_tar, 6300u);
  EXPECT_EQ(d.total.new_tar, 1470u);
  EXPECT_EQ(d.total.delta_tar(), -4830);
  // The unchanged base layer is dropped; the rest sorted by |delta|.
  ASSERT_EQ(d.total.children.size(), 2u);
  EXPECT_EQ(d.total.children[0].name, "#2 RUN apt");
  EXPECT_EQ(d.total.children[1].name, "#3 COPY app");
  const DiffRow* apt = Child(d.total, "#2 RUN apt");
  ASSERT_NE(apt, nullptr);
  const DiffRow* gcc = Child(*apt, "deb:gcc");
  ASSERT_NE(gcc, nullptr);
  EXPECT_TRUE(gcc->in_old);
  EXPECT_FALSE(gcc->in_new);
  EXPECT_EQ(gcc->delta_tar(), -5000);
  EXPECT_EQ(Child(*apt, "deb:libc")->delta_tar(), 100);
  const DiffRow* app = Child(d.total, "#3 COPY app");
  EXPECT_FALSE(app->in_old);
  EXPECT_TRUE(app->in_new);
  EXPECT_EQ(ChangeCell(gcc->old_tar, gcc->new_tar), "[DEL]");
  EXPECT_EQ(ChangeCell(app->old_tar, app->new_tar), "[NEW]");
  EXPECT_EQ(ChangeCell(300, 400), "+33.3%");
  EXPECT_EQ(ChangeCell(400, 300), "-25.0%");
  EXPECT_EQ(ChangeCell(5, 5), "[ = ]");
}

TEST(RollupDiff, AllKeepsUnchangedRowsAndSelfDiffIsEmpty) {
  Rollup a = Make({{"#1 base", "/bin", 1000}, {"#2 RUN x", "/usr", 10}});
  Rollup b = Make({{"#1 base", "/bin", 1000}, {"#2 RUN x", "/usr", 10}});
  EXPECT_TRUE(DiffRollups(a, b, {"l", "p"}, {0, SortBy::kBoth, SortBy::kBoth, false}).total.children.empty());
  DiffOutput all = DiffRollups(a, b, {"l", "p"}, {0, SortBy::kBoth, SortBy::kBoth, true});
  ASSERT_EQ(all.total.children.size(), 2u);
  EXPECT_EQ(all.total.children[0].children.size(), 1u);
}

TEST(RollupDiff, MovedBytesKeepTheParentWithZeroNetChange) {
  Rollup a = Make({{"#1", "/a", 100}});
  Rollup b = Make({{"#1", "/b", 100}});
  DiffOutput d = DiffRollups(a, b, {"l", "p"}, {0, SortBy::kTar, SortBy::kBoth, false});
  ASSERT_EQ(d.total.children.size(), 1u);
  EXPECT_EQ(d.total.children[0].delta_tar(), 0);
  EXPECT_EQ(d.total.children[0].children.size(), 2u);
}

TEST(RollupDiff, ComparedDomainDecidesWhatChanged) {
  Rollup a, b;
  a.Add({"x"}, 10, 100);
  b.Add({"x"}, 20, 100);  // same tar bytes, compressed differently
  EXPECT_EQ(DiffRollups(a, b, {"s"}, {0, SortBy::kBoth, SortBy::kBoth, false}).total.children.size(), 1u);
  EXPECT_TRUE(DiffRollups(a, b, {"s"}, {0, SortBy::kTar, SortBy::kTar, false}).total.children.empty());
  EXPECT_EQ(DiffRollups(a, b, {"s"}, {0, SortBy::kBlob, SortBy::kBlob, false}).total.children.size(), 1u);
}

TEST(RollupDiff, OthersFoldSumsBothSides) {
  Rollup a, b;
  for (int i = 0; i < 5; ++i) {
    a.Add({"r" + std::to_string(i)}, 0, 100);
    b.Add({"r" + std::to_string(i)}, 0, 100 + static_cast<uint64_t>(i + 1) * 10);
  }
  DiffOutput d = DiffRollups(a, b, {"x"}, {2, SortBy::kTar, SortBy::kBoth, false});
  ASSERT_EQ(d.total.children.size(), 3u);
  EXPECT_EQ(d.total.children[0].name, "r4");
  EXPECT_EQ(d.total.children[2].name, "[3 Others]");
  EXPECT_EQ(d.total.children[2].old_tar, 300u);
  EXPECT_EQ(d.total.children[2].new_tar, 300u + 10 + 20 + 30);
}

}  // namespace
}  // namespace whittle
