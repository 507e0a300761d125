// Unit tests of compact's pieces on tars built in memory: what the squash
// plan keeps, and that the kept members rebuild the same final filesystem.
// The end-to-end checks on real images (skopeo, umoci) are in
// tests/e2e/compact_real_test.sh.
#include <gtest/gtest.h>

#include "compact/fs_tree.h"
#include "compact/layer_index.h"
#include "compact/member_reader.h"
#include "compact/squash_plan.h"
#include "support/tar_builder.h"

namespace whittle {
namespace {

using namespace whittle::testing;

LayerIndex Index(const std::vector<TarMember>& members) {
  auto r = IndexLayer(MakeMemorySource(BuildTar(members, {.format = TarFormat::kPax}), "layer"), 0, "", -1);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message());
  return r ? std::move(*r) : LayerIndex{};
}

// The members of |upper| the plan keeps, as one layer (whiteouts first, as
// compact writes them).
LayerIndex Squash(const std::vector<LayerIndex>& upper, const SquashPlan& plan) {
  LayerIndex out;
  for (size_t l = 0; l < upper.size(); ++l) {
    for (size_t i = 0; i < upper[l].members.size(); ++i) {
      if (plan.keep[l][i] && upper[l].members[i].is_whiteout()) out.members.push_back(upper[l].members[i]);
    }
  }
  for (size_t l = 0; l < upper.size(); ++l) {
    for (size_t i = 0; i < upper[l].members.size(); ++i) {
      if (!plan.keep[l][i] || upper[l].members[i].is_whiteout()) continue;
      const SquashPlan::Ref from = plan.headers_from[l][i];
      out.members.push_back(from.layer >= 0 ? upper[from.layer].members[from.index] : upper[l].members[i]);
    }
  }
  return out;
}

struct Case {
  FsTree base_tree;
  std::vector<LayerIndex> upper;
  SquashPlan plan;
  std::vector<std::string> kept;  // paths of kept members, in squashed order
};

Case RunSquash(const std::vector<std::vector<TarMember>>& base, const std::vector<std::vector<TarMember>>& upper) {
  Case c;
  for (const auto& b : base) c.base_tree.Apply(Index(b));
  std::vector<const LayerIndex*> ptrs;
  for (const auto& u : upper) c.upper.push_back(Index(u));
  for (const auto& u : c.upper) ptrs.push_back(&u);
  c.plan = PlanSquash(ptrs, c.base_tree);
  LayerIndex squashed = Squash(c.upper, c.plan);
  for (const auto& m : squashed.members) c.kept.push_back(m.path);
  // The property compact verifies: same final filesystem.
  FsTree in = c.base_tree, out = c.base_tree;
  for (const auto& u : c.upper) in.Apply(u);
  out.Apply(squashed);
  EXPECT_EQ(in.Hash(), out.Hash()) << ::testing::PrintToString(in.Differences(out, 5));
  return c;
}

using Paths = std::vector<std::string>;

TEST(SquashPlanTest, DropsOverwrittenAndDeletedFiles) {
  Case c = RunSquash({{Dir("etc/"), File("etc/base", "b")}},
                     {{Dir("app/"), File("app/a", "one"), File("app/tmp", "junk"), File("etc/base", "changed")},
                      {File("app/a", "two"), Whiteout("app", "tmp")}});
  // The whiteout goes: nothing in the base for it to delete.
  EXPECT_EQ(c.kept, (Paths{"/app", "/etc/base", "/app/a"}));
  EXPECT_EQ(c.plan.members_total, 6u);
  EXPECT_EQ(c.plan.members_kept, 3u);
}

TEST(SquashPlanTest, KeepsWhiteoutsTheBaseNeedsOnce) {
  Case c = RunSquash({{Dir("etc/"), File("etc/a", "a"), File("etc/b", "b")}},
                     {{Whiteout("etc", "a")}, {Whiteout("etc", "a"), Whiteout("etc", "nothere")}});
  EXPECT_EQ(c.kept, (Paths{"/etc/.wh.a"}));
}

TEST(SquashPlanTest, OpaqueHidesLowerUpperLayersAndStaysForTheBase) {
  Case c = RunSquash({{Dir("d/"), File("d/base", "x")}}, {{File("d/early", "e")}, {Opaque("d"), File("d/late", "l")}});
  EXPECT_EQ(c.kept, (Paths{"/d/.wh..wh..opq", "/d/late"}));
  Case none = RunSquash({{Dir("e/")}}, {{File("d/early", "e")}, {Opaque("d"), File("d/late", "l")}});
  EXPECT_EQ(none.kept, (Paths{"/d/late"}));  // nothing below /d in the base
}

TEST(SquashPlanTest, ReplacingADirectoryWithAFileDropsItsSubtree) {
  Case c = RunSquash({}, {{Dir("x/"), File("x/in", "1")}, {File("x", "now a file")}});
  EXPECT_EQ(c.kept, (Paths{"/x"}));
}

TEST(SquashPlanTest, DirectoryWrittenAgainAppearsOnceFirstWithTheLastMetadata) {
  TarMember owned = Dir("d/", 0700);
  owned.uid = 7;
  Case c = RunSquash({}, {{Dir("d/", 0755), File("d/f", "1")}, {Dir("d/", 0750)}, {owned, File("d/g", "2")}});
  EXPECT_EQ(c.kept, (Paths{"/d", "/d/f", "/d/g"}));  // no path twice (containers/storage refuses that)
  EXPECT_EQ(c.plan.headers_from[0][0].layer, 2);
  EXPECT_EQ(c.plan.merged_dirs, 2u);
}

TEST(SquashPlanTest, KeepsTheOverwrittenTargetOfAKeptHardLink) {
  Case c = RunSquash({}, {{File("a", "old")}, {HardLink("b", "a")}, {File("a", "new")}});
  EXPECT_EQ(c.kept, (Paths{"/a", "/b", "/a"}));
  EXPECT_EQ(c.plan.kept_for_links, 1u);
}

TEST(SquashPlanTest, ModeAndOwnerChangesInALaterLayerWin) {
  TarMember owned = File("bin/tool", "x", 0755);
  owned.uid = 1000;
  owned.gid = 1000;
  Case c = RunSquash({}, {{Dir("bin/"), File("bin/tool", "x", 0700)}, {owned}, {Symlink("bin/t", "tool")}});
  EXPECT_EQ(c.kept, (Paths{"/bin", "/bin/tool", "/bin/t"}));
}

TEST(FsTreeTest, SeesEveryAttributeItHashes) {
  auto tree = [](TarMember m) {
    FsTree t;
    t.Apply(Index({m}));
    return t.Hash();
  };
  const std::string plain = tree(File("f", "x"));
  EXPECT_NE(plain, tree(File("f", "y")));
  EXPECT_NE(plain, tree(File("f", "x", 0600)));
  TarMember owned = File("f", "x");
  owned.gid = 5;
  EXPECT_NE(plain, tree(owned));
  TarMember xattr = File("f", "x");
  xattr.pax = {{"SCHILY.xattr.user.k", "v"}};
  EXPECT_NE(plain, tree(xattr));
  EXPECT_NE(tree(Symlink("f", "a")), tree(Symlink("f", "b")));
  TarMember later = File("f", "x");
  later.mtime += 100;  // mtimes are not part of the filesystem compared
  EXPECT_EQ(plain, tree(later));
}

TEST(FsTreeTest, DifferencesNameThePaths) {
  FsTree a, b;
  a.Apply(Index({File("same", "1"), File("gone", "2"), File("mode", "3")}));
  b.Apply(Index({File("same", "1"), File("mode", "3", 0600), File("new", "4")}));
  std::vector<std::string> d = a.Differences(b, 10);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].substr(0, 6), "/gone:");
  EXPECT_EQ(d[1].substr(0, 6), "/mode:");
  EXPECT_EQ(d[2].substr(0, 5), "/new:");
}

TEST(MemberReaderTest, RawHeadersAreTheStoredBytes) {
  std::string long_name(150, 'n');
  std::string tar = BuildTar({File(long_name, "data"), File("short", "x")}, {.format = TarFormat::kPax});
  MemberReader r(MakeMemorySource(tar, "t"));
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(r.entry().path, "/" + long_name);
  EXPECT_EQ(std::string(r.raw_headers()), tar.substr(0, r.entry().header_size));
  EXPECT_GT(r.entry().header_size, 512u);  // pax header + body + ustar block
  ASSERT_TRUE(*r.Next());
  EXPECT_EQ(std::string(r.raw_headers()), tar.substr(r.entry().header_offset, 512));
  EXPECT_FALSE(*r.Next());
}

}  // namespace
}  // namespace whittle

namespace whittle {
namespace {

TEST(XattrsTest, ReadsPaxXattrsAndSurvivesDamagedHeaders) {
  using namespace whittle::testing;
  TarMember m = File("f", "x");
  m.pax = {{"SCHILY.xattr.user.b", "2"}, {"SCHILY.xattr.security.capability", "caps"}, {"uname", "root"}};
  std::string tar = BuildTar({m}, {.format = TarFormat::kPax});
  MemberReader r(MakeMemorySource(tar, "t"));
  ASSERT_TRUE(*r.Next());
  const std::string raw(r.raw_headers());
  EXPECT_EQ(XattrsFromRawHeaders(raw), "security.capability=caps\nuser.b=2\n");
  // Every truncation and a byte flipped at every offset: no crash, no read
  // past the end (the ASan build runs this).
  for (size_t n = 0; n <= raw.size(); ++n) (void)XattrsFromRawHeaders(std::string_view(raw).substr(0, n));
  for (size_t i = 0; i < raw.size(); ++i) {
    std::string bad = raw;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    (void)XattrsFromRawHeaders(bad);
  }
}

}  // namespace
}  // namespace whittle
