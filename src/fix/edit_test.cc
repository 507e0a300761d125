#include "fix/edit.h"

#include <gtest/gtest.h>

namespace whittle::fix {
namespace {

TEST(EditSet, AppliesAgainstOriginalOffsets) {
  EditSet e;
  std::string text = "RUN apt-get install -y curl\n";
  ASSERT_TRUE(e.Add(19, 19, " --no-install-recommends"));
  ASSERT_TRUE(e.Add(27, 27, " && rm -rf x"));
  ASSERT_TRUE(e.Add(0, 3, "run"));
  EXPECT_EQ(e.Apply(text), "run apt-get install --no-install-recommends -y curl && rm -rf x\n");
}

TEST(EditSet, InsertionsAtOneOffsetKeepTheirOrder) {
  EditSet e;
  ASSERT_TRUE(e.Add(3, 3, " a"));
  ASSERT_TRUE(e.Add(3, 3, " b"));
  ASSERT_TRUE(e.Add(3, 5, "!"));  // a replacement starting there comes after them
  EXPECT_EQ(e.Apply("xyz12"), "xyz a b!");
}

TEST(EditSet, RefusesOverlaps) {
  EditSet e;
  ASSERT_TRUE(e.Add(2, 6, "-"));
  EXPECT_FALSE(e.Add(5, 8, "+"));  // overlaps
  EXPECT_FALSE(e.Add(0, 3, "+"));
  EXPECT_FALSE(e.Add(4, 4, "+"));  // an insertion inside a replacement
  EXPECT_TRUE(e.Add(6, 6, "+"));   // at its end
  EXPECT_TRUE(e.Add(2, 2, "<"));   // at its start
  EXPECT_FALSE(e.Add(5, 4, "?"));  // backwards
  EXPECT_EQ(e.Apply("0123456789"), "01<-+6789");
}

TEST(EditSet, AddAllIsAllOrNothing) {
  EditSet e;
  ASSERT_TRUE(e.Add(4, 6, "x"));
  EXPECT_FALSE(e.AddAll({{0, 1, "a"}, {5, 7, "b"}}));
  EXPECT_EQ(e.edits().size(), 1u);
  EXPECT_TRUE(e.AddAll({{0, 1, "a"}, {7, 8, "b"}}));
  EXPECT_EQ(e.Apply("0123456789"), "a123x6b89");
}

TEST(EditSet, ApplyOwnerAppliesOnlyThatOwnersEdits) {
  EditSet e;
  ASSERT_TRUE(e.Add(1, 1, "A", 1));
  ASSERT_TRUE(e.Add(3, 3, "B", 2));
  EXPECT_EQ(e.ApplyOwner("0123", 2), "012B3");
  EXPECT_EQ(e.Apply("0123"), "0A12B3");
}

TEST(EditSet, MapBack) {
  EditSet e;
  ASSERT_TRUE(e.Add(2, 2, "XY"));   // insertion
  ASSERT_TRUE(e.Add(5, 7, "Z"));    // replacement of "56" by "Z"
  std::string out = e.Apply("0123456789");
  ASSERT_EQ(out, "01XY234Z789");
  // Copied bytes map to themselves; inserted bytes to where they went in.
  const size_t want[] = {0, 1, 2, 2, 2, 3, 4, 5, 7, 8, 9};
  for (size_t i = 0; i < out.size(); ++i) EXPECT_EQ(e.MapBack(i), want[i]) << i;
  EXPECT_EQ(e.MapBack(out.size()), 10u);
  EditSet none;
  EXPECT_EQ(none.MapBack(4), 4u);
}

}  // namespace
}  // namespace whittle::fix
