#include "explore/screen_text.h"

#include <gtest/gtest.h>

#include "waste/scan_builder_for_test.h"

namespace whittle {
namespace {

using namespace testing_waste;

TEST(ScreenText, ModeString) {
  EXPECT_EQ(ModeString(0755, EntryKind::kDir), "drwxr-xr-x");
  EXPECT_EQ(ModeString(0644, EntryKind::kFile), "-rw-r--r--");
  EXPECT_EQ(ModeString(04755, EntryKind::kFile), "-rwsr-xr-x");
  EXPECT_EQ(ModeString(01777, EntryKind::kDir), "drwxrwxrwt");
  EXPECT_EQ(ModeString(0777, EntryKind::kSymlink), "lrwxrwxrwx");
  EXPECT_EQ(ModeString(02644, EntryKind::kFile), "-rw-r-Sr--");
}

TEST(ScreenText, FitTextPadsCutsAndHidesControlBytes) {
  EXPECT_EQ(FitText("ab", 4), "ab  ");
  EXPECT_EQ(FitText("abcdef", 3), "abc");
  EXPECT_EQ(FitText("a\nb\x1b", 4), "a?b?");
}

TEST(ScreenText, TitleKeepsItsStatusWhenTheReferenceIsLong) {
  EXPECT_EQ(TitleLine("img.tar", "layer 2/3  row 1/9", 50),
            " whittle explore img.tar  layer 2/3  row 1/9      ");
  // 17 + 2 + 18 = 37 fixed; 13 of room: "..." and the last 10 bytes.
  EXPECT_EQ(TitleLine("/root/.cache/corpus/driftwood.tar", "layer 2/3  row 1/9", 50),
            " whittle explore ...ftwood.tar  layer 2/3  row 1/9");
  EXPECT_EQ(TitleLine("/a/very/long/reference.tar", "layer 2/3  row 1/9", 40),
            " whittle explore ...  layer 2/3  row 1/9");
  // No room for the status either: the end is cut, as FitText cuts.
  EXPECT_EQ(TitleLine("img.tar", "layer 2/3  row 1/9", 30), " whittle explore ...  layer 2/");
}

class ScreenTextTree : public ::testing::Test {
 protected:
  ScreenTextTree()
      : scan_(BuildScan({{D("/etc"), F("/etc/passwd", 1536), S("/etc/mtab", "/proc/mounts")},
                         {F("/etc/passwd", 2048), WH("/etc/mtab")}})),
        fates_(ClassifyEntries(scan_)),
        tree_(scan_, fates_),
        view_(&tree_),
        layers_(ExploreLayers(scan_, fates_, {"#1 COPY rootfs /", "#2 RUN adduser x"})) {
    scan_.layers[1].entries[0].mode = 0640;
    scan_.layers[1].owners = {{0, 42, "root", "shadow"}};
    scan_.layers[1].entries[0].owner = 0;
    scan_.layers[0].owners = {{0, 0, "", ""}};
    scan_.layers[0].entries[1].owner = 0;
  }
  ImageScan scan_;
  ImageFates fates_;
  LayerTree tree_;
  TreeView view_;
  std::vector<ExploreLayer> layers_;
};

TEST_F(ScreenTextTree, Layers) {
  ASSERT_EQ(layers_.size(), 2u);
  EXPECT_EQ(layers_[0].size, 1536u);
  EXPECT_EQ(layers_[0].reclaimable, 1536u);  // passwd is overwritten by layer 2
  EXPECT_EQ(layers_[1].reclaimable, 0u);
  EXPECT_EQ(LayersHeader(44), "LAYER       SIZE   RECLAIM  INSTRUCTION     ");
  EXPECT_EQ(LayerLine(layers_[0], 44), "#1        1.50Ki    1.50Ki  COPY rootfs /   ");
  EXPECT_EQ(LayerLine(layers_[1], 44), "#2        2.00Ki         -  RUN adduser x   ");
  EXPECT_EQ(LayerLine({"[layer 3]", 0, 0}, 30), "               0         -  [l");
}

TEST_F(ScreenTextTree, TreeLinesAtTheTopLayer) {
  view_.Expand();  // /etc
  ASSERT_EQ(view_.rows().size(), 3u);
  EXPECT_EQ(TreeHeader(30, 0), "M      SIZE  PATH             ");
  EXPECT_EQ(TreeLine(view_, view_.rows()[0], "", 0, 30), "     2.00Ki  - etc/           ");
  EXPECT_EQ(TreeLine(view_, view_.rows()[1], "", 0, 30), "M    2.00Ki      passwd       ");
  EXPECT_EQ(TreeLine(view_, view_.rows()[2], "", 0, 40), "D         0      mtab -> /proc/mounts   ");
  EXPECT_EQ(TreeHeader(50, 10), "M      SIZE  PACKAGE    PATH                      ");
  EXPECT_EQ(TreeLine(view_, view_.rows()[1], "deb:passwd", 10, 50),
            "M    2.00Ki  deb:passwd     passwd                ");
  EXPECT_EQ(TreeLine(view_, view_.rows()[1], "[unowned]", 10, 50),
            "M    2.00Ki                 passwd                ");
}

TEST_F(ScreenTextTree, DetailsLine) {
  view_.Expand();
  EXPECT_EQ(DetailsLine(tree_, view_.rows()[1].node, layers_, "runtime", 90),
            "-rw-r-----  0:42 (root:shadow)  /etc/passwd  2.00 KiB  stored in #2  kind runtime         ");
  tree_.SelectLayer(0);
  EXPECT_EQ(DetailsLine(tree_, view_.rows()[1].node, layers_, "", 80),
            "----------  0:0  /etc/passwd  1.50 KiB  stored in #1 (overwritten in #2)        ");
  // /etc at layer 1: an entry whose owner the scan did not keep.
  EXPECT_EQ(DetailsLine(tree_, view_.rows()[0].node, layers_, "", 40),
            "d---------  ?:?  /etc  stored in #1     ");
}

TEST(ScreenText, OwnerString) {
  EXPECT_EQ(OwnerString(nullptr), "?:?");
  EntryOwner o{1000, 1000, "", ""};
  EXPECT_EQ(OwnerString(&o), "1000:1000");
  o.uname = "app";
  EXPECT_EQ(OwnerString(&o), "1000:1000 (app:1000)");
  o.gname = "staff";
  EXPECT_EQ(OwnerString(&o), "1000:1000 (app:staff)");
  EntryOwner big{uint64_t{1} << 40, 0, "", "wheel"};
  EXPECT_EQ(OwnerString(&big), "1099511627776:0 (1099511627776:wheel)");
}

}  // namespace
}  // namespace whittle
