#include "explore/tree_view.h"

#include <gtest/gtest.h>

#include "waste/scan_builder_for_test.h"

namespace whittle {
namespace {

using namespace testing_waste;

class TreeViewTest : public ::testing::Test {
 protected:
  TreeViewTest()
      : scan_(BuildScan({
            {D("/a"), F("/a/x", 10), F("/a/y", 20), D("/b"), F("/b/big", 100)},
            {D("/a"), F("/a/x", 15), WH("/b/big"), F("/c", 5)},
            {F("/d/e/f", 3)},
        })),
        fates_(ClassifyEntries(scan_)),
        tree_(scan_, fates_),
        view_(&tree_) {}

  // The listed rows as "  path" lines, indented by depth.
  std::string Rows() const {
    std::string out;
    for (const TreeRow& r : view_.rows()) {
      out += std::string(2 * r.depth, ' ') + std::string(tree_.path(r.node)) + "\n";
    }
    return out;
  }
  void Select(std::string_view path) {
    for (size_t i = 0; i < view_.rows().size(); ++i) {
      if (tree_.path(view_.rows()[i].node) == path) {
        view_.MoveCursorTo(i);
        return;
      }
    }
    ADD_FAILURE() << "not listed: " << path;
  }

  ImageScan scan_;
  ImageFates fates_;
  LayerTree tree_;
  TreeView view_;
};

TEST_F(TreeViewTest, TopLayerBySizeThenByName) {
  EXPECT_EQ(Rows(), "/a\n/c\n/d\n/b\n");  // 35, 5, 3, 0
  view_.set_sort(SortBy::kName);
  EXPECT_EQ(Rows(), "/a\n/b\n/c\n/d\n");
}

TEST_F(TreeViewTest, ExpandAndCollapseSpliceRows) {
  Select("/a");
  view_.Expand();
  EXPECT_EQ(Rows(), "/a\n  /a/y\n  /a/x\n/c\n/d\n/b\n");
  Select("/d");
  view_.Toggle();
  Select("/d/e");
  view_.Expand();
  EXPECT_EQ(Rows(), "/a\n  /a/y\n  /a/x\n/c\n/d\n  /d/e\n    /d/e/f\n/b\n");
  Select("/d/e/f");
  view_.Collapse();  // on a file: collapses its directory and selects it
  EXPECT_EQ(tree_.path(view_.selected()), "/d/e");
  EXPECT_EQ(Rows(), "/a\n  /a/y\n  /a/x\n/c\n/d\n  /d/e\n/b\n");
  Select("/a");
  view_.Toggle();
  EXPECT_EQ(Rows(), "/a\n/c\n/d\n  /d/e\n/b\n");
}

TEST_F(TreeViewTest, LayerAsOfKeepsExpansionAndCursor) {
  Select("/a");
  view_.Expand();
  Select("/a/x");
  view_.SelectLayer(0);
  EXPECT_EQ(Rows(), "/b\n/a\n  /a/y\n  /a/x\n");  // no /c, /d yet; /b holds big
  EXPECT_EQ(tree_.path(view_.selected()), "/a/x");
  view_.SelectLayer(1);
  EXPECT_EQ(Rows(), "/a\n  /a/y\n  /a/x\n/c\n/b\n");
}

TEST_F(TreeViewTest, ChangesOnlyListsTheLayersOwnChanges) {
  view_.SelectLayer(1);
  view_.set_changes_only(true);
  EXPECT_EQ(Rows(), "/a\n/c\n/b\n");
  Select("/b");
  view_.Expand();
  EXPECT_EQ(Rows(), "/a\n/c\n/b\n  /b/big\n");  // the removed file, marked D
  EXPECT_EQ(tree_.mark(view_.rows()[3].node), Mark::kRemoved);
  Select("/a");
  view_.Expand();
  EXPECT_EQ(Rows(), "/a\n  /a/x\n/c\n/b\n  /b/big\n");  // /a/y unchanged: hidden
  view_.set_changes_only(false);
  EXPECT_EQ(Rows(), "/a\n  /a/y\n  /a/x\n/c\n/b\n  /b/big\n");
}

TEST_F(TreeViewTest, WasteOnlyShowsWhatALaterLayerKills) {
  view_.SelectLayer(0);
  view_.set_waste_only(true);
  EXPECT_EQ(Rows(), "/b\n/a\n");
  EXPECT_EQ(view_.shown_bytes(view_.rows()[1].node), 10u);
  Select("/a");
  view_.Expand();
  EXPECT_EQ(Rows(), "/b\n/a\n  /a/x\n");
  view_.SelectLayer(2);  // nothing above the top layer
  EXPECT_EQ(Rows(), "");
  EXPECT_EQ(view_.selected(), kRootNode);
}

TEST_F(TreeViewTest, FilterKeepsMatchesAndOpensTheirDirectories) {
  ASSERT_TRUE(view_.SetFilter("/[fy]$").ok());
  EXPECT_EQ(Rows(), "/a\n  /a/y\n/d\n  /d/e\n    /d/e/f\n");
  ASSERT_TRUE(view_.SetFilter("").ok());
  EXPECT_EQ(Rows(), "/a\n  /a/y\n  /a/x\n/c\n/d\n  /d/e\n    /d/e/f\n/b\n");
}

TEST_F(TreeViewTest, BadFilterIsAUsageErrorAndChangesNothing) {
  ASSERT_TRUE(view_.SetFilter("c$").ok());
  Status st = view_.SetFilter("(");
  EXPECT_EQ(st.code(), Errc::kUsage);
  EXPECT_NE(st.message().find("filter /(/"), std::string::npos) << st.message();
  EXPECT_EQ(view_.filter(), "c$");
  EXPECT_EQ(Rows(), "/c\n");
}

TEST_F(TreeViewTest, CursorClamps) {
  view_.MoveCursor(-5);
  EXPECT_EQ(view_.cursor(), 0u);
  view_.MoveCursor(100);
  EXPECT_EQ(view_.cursor(), 3u);
  view_.MoveCursorTo(1);
  EXPECT_EQ(tree_.path(view_.selected()), "/c");
}

TEST(TreeViewBig, HundredThousandEntryDirectory) {
  std::vector<Member> layer{D("/big")};
  for (int i = 0; i < 100000; ++i) layer.push_back(F("/big/f" + std::to_string(i), static_cast<uint64_t>(i % 977)));
  ImageScan scan = BuildScan({layer});
  auto fates = ClassifyEntries(scan);
  LayerTree tree(scan, fates);
  TreeView view(&tree);
  view.Expand();
  ASSERT_EQ(view.rows().size(), 100001u);
  // Sorted by size, largest first, names breaking ties.
  for (size_t i = 2; i < view.rows().size(); ++i) {
    uint64_t a = view.shown_bytes(view.rows()[i - 1].node), b = view.shown_bytes(view.rows()[i].node);
    ASSERT_TRUE(a > b || (a == b && tree.name(view.rows()[i - 1].node) < tree.name(view.rows()[i].node))) << i;
  }
  view.MoveCursor(99999);
  EXPECT_EQ(view.cursor(), 99999u);
  view.MoveCursorTo(0);
  view.Collapse();
  EXPECT_EQ(view.rows().size(), 1u);
}

}  // namespace
}  // namespace whittle
