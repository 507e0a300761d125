#include "waste/entry_fate.h"

#include <gtest/gtest.h>

#include "waste/scan_builder_for_test.h"
#include "waste/waste_summary.h"

namespace whittle {
namespace {

using namespace testing_waste;

// "fate@killer<-root" for member |k| of layer |l|, or "live"/"live(link)".
std::string Describe(const ImageScan& scan, const ImageFates& f, size_t l, size_t k) {
  const EntryFate& e = f[l][k];
  if (e.fate == Fate::kLive) return e.kept_by_link ? "live(link)" : "live";
  if (e.fate == Fate::kMarker) return "marker";
  return std::string(FateName(e.fate)) + "@" + std::to_string(e.killer_layer) + "<-" +
         std::string(scan.paths->Get(e.kill_root));
}

TEST(ClassifyEntries, IdenticalOverwriteIsDead) {
  ImageScan s = BuildScan({{D("/a"), F("/a/f", 100)}, {D("/a"), F("/a/f", 100)}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "overwritten@1<-/a");  // directory metadata, 0 bytes
  EXPECT_EQ(Describe(s, f, 0, 1), "overwritten@1<-/a/f");
  EXPECT_EQ(Describe(s, f, 1, 1), "live");
  WasteSummary w = SummarizeWaste(s, f);
  EXPECT_EQ(w.reclaimable_bytes, 100u);
  EXPECT_EQ(w.total_bytes, 200u);
  EXPECT_DOUBLE_EQ(w.reclaimable_fraction, 0.5);
  EXPECT_EQ(w.layers[0].overwritten_bytes, 100u);
  EXPECT_EQ(w.layers[1].killed_bytes, 100u);
}

TEST(ClassifyEntries, FileWhiteout) {
  ImageScan s = BuildScan({{F("/a/f", 100), F("/a/g", 7)}, {WH("/a/f")}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "deleted@1<-/a/f");
  EXPECT_EQ(Describe(s, f, 0, 1), "live");
  EXPECT_EQ(Describe(s, f, 1, 0), "marker");
  EXPECT_EQ(SummarizeWaste(s, f).reclaimable_bytes, 100u);
}

TEST(ClassifyEntries, DirectoryWhiteoutKillsTheSubtree) {
  ImageScan s = BuildScan({{D("/d"), F("/d/x", 10), D("/d/sub"), F("/d/sub/y", 20), F("/dz", 5)},
                           {WH("/d")}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "deleted@1<-/d");
  EXPECT_EQ(Describe(s, f, 0, 1), "deleted@1<-/d");
  EXPECT_EQ(Describe(s, f, 0, 3), "deleted@1<-/d");
  EXPECT_EQ(Describe(s, f, 0, 4), "live");  // "/dz" is not under "/d"
  WasteSummary w = SummarizeWaste(s, f);
  EXPECT_EQ(w.reclaimable_bytes, 30u);
  ASSERT_EQ(w.groups.size(), 1u);
  EXPECT_EQ(w.groups[0].path, "/d");
  EXPECT_EQ(w.groups[0].files, 2u);
  EXPECT_EQ(w.groups[0].reason, Fate::kDeleted);
}

TEST(ClassifyEntries, OpaqueDirectoryHidesLowerContentsOnly) {
  ImageScan s = BuildScan({{D("/d"), F("/d/x", 10), F("/e", 3)},
                           {D("/d"), OPQ("/d"), F("/d/n", 5)}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 1), "hidden-by-opaque@1<-/d");
  EXPECT_EQ(Describe(s, f, 0, 2), "live");
  EXPECT_EQ(Describe(s, f, 1, 2), "live");  // the opaque layer's own files stay
  EXPECT_EQ(SummarizeWaste(s, f).layers[0].hidden_bytes, 10u);
}

TEST(ClassifyEntries, WhiteoutThenRecreate) {
  ImageScan s = BuildScan({{D("/d"), F("/d/x", 10)}, {WH("/d")}, {D("/d"), F("/d/x", 10)}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 1), "deleted@1<-/d");
  EXPECT_EQ(Describe(s, f, 2, 1), "live");
}

TEST(ClassifyEntries, WhiteoutAppliesToLowerLayersOnly) {
  // Recreated in the same layer as the whiteout (how some builders write it).
  ImageScan s = BuildScan({{F("/d/x", 10)}, {WH("/d"), D("/d"), F("/d/x", 4)}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "deleted@1<-/d");
  EXPECT_EQ(Describe(s, f, 1, 2), "live");
}

TEST(ClassifyEntries, LowestKillerWins) {
  ImageScan s = BuildScan({{F("/a/f", 1)}, {F("/a/f", 2)}, {WH("/a")}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "overwritten@1<-/a/f");
  EXPECT_EQ(Describe(s, f, 1, 0), "deleted@2<-/a");
}

TEST(ClassifyEntries, NonDirectoryReplacingADirectory) {
  ImageScan s = BuildScan({{D("/d"), F("/d/x", 10)}, {S("/d", "/elsewhere")}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "overwritten@1<-/d");
  EXPECT_EQ(Describe(s, f, 0, 1), "overwritten@1<-/d");
}

TEST(ClassifyEntries, SamePathTwiceInOneTar) {
  ImageScan s = BuildScan({{F("/f", 10), F("/f", 20)}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "overwritten@0<-/f");
  EXPECT_EQ(Describe(s, f, 0, 1), "live");
  EXPECT_EQ(SummarizeWaste(s, f).reclaimable_bytes, 10u);
}

TEST(ClassifyEntries, HardLinkKeepsDeletedFileData) {
  ImageScan s = BuildScan({{F("/a/f", 100), L("/b/l", "/a/f")}, {WH("/a")}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "live(link)");
  EXPECT_EQ(SummarizeWaste(s, f).reclaimable_bytes, 0u);
}

TEST(ClassifyEntries, HardLinkAndFileBothDeletedChargedOnce) {
  ImageScan s = BuildScan({{F("/a/f", 100), L("/b/l", "/a/f"), L("/b/m", "/b/l")}, {WH("/a")}, {WH("/b")}});
  auto f = ClassifyEntries(s);
  EXPECT_EQ(Describe(s, f, 0, 0), "deleted@1<-/a");
  EXPECT_EQ(Describe(s, f, 0, 1), "deleted@2<-/b");
  WasteSummary w = SummarizeWaste(s, f);
  EXPECT_EQ(w.reclaimable_bytes, 100u);
  EXPECT_EQ(w.layers[1].killed_bytes, 100u);
}

TEST(ClassifyEntryLabels, OneFateNamePerMember) {
  ImageScan s = BuildScan({{D("/a"), F("/a/f", 1), F("/g", 2)}, {WH("/a"), F("/g", 3)}});
  auto labels = ClassifyEntryLabels(s);
  using V = std::vector<std::string_view>;
  ASSERT_EQ(labels.size(), 2u);
  EXPECT_EQ(labels[0], (V{"deleted", "deleted", "overwritten"}));
  EXPECT_EQ(labels[1], (V{"marker", "live"}));
}

TEST(ClassifyEntries, EmptyImage) {
  ImageScan s = BuildScan({});
  auto f = ClassifyEntries(s);
  EXPECT_TRUE(f.empty());
  WasteSummary w = SummarizeWaste(s, f);
  EXPECT_EQ(w.reclaimable_bytes, 0u);
  EXPECT_EQ(w.reclaimable_fraction, 0.0);
}

}  // namespace
}  // namespace whittle
