#include "htmlreport/fs_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

namespace whittle::htmlreport {
namespace {

// "name bytes files kind layer [children]" on one line, depth-first, for
// exact comparisons; a fold is marked "fold", a cut directory "cut".
void Dump(const TreeNode& n, int depth, std::string* out) {
  *out += std::string(depth * 2, ' ') + n.name + " " + std::to_string(n.bytes) + " " + std::to_string(n.files) +
          " k" + std::to_string(n.kind) + " l" + std::to_string(n.layer);
  if (n.fold) *out += " fold";
  if (n.dir && n.children.empty()) *out += " cut";
  *out += "\n";
  for (const TreeNode& c : n.children) Dump(c, depth + 1, out);
}

std::string Dump(const FsTree& t) {
  std::string out;
  Dump(t.root, 0, &out);
  return out;
}

struct File {
  const char* path;
  uint64_t bytes;
  uint32_t kind;
  uint32_t layer;
};

FsTree Build(const std::vector<File>& files, size_t max_nodes, size_t kinds = 3, size_t layers = 3) {
  FsTreeBuilder b(kinds, layers);
  for (const File& f : files) b.AddFile(f.path, f.bytes, f.kind, f.layer);
  return b.Finish(max_nodes);
}

// Children add up to their parent wherever a directory is expanded.
void ExpectSums(const TreeNode& n) {
  if (!n.dir || n.children.empty()) return;
  uint64_t bytes = 0, files = 0;
  for (const TreeNode& c : n.children) {
    bytes += c.bytes;
    files += c.files;
    ExpectSums(c);
  }
  EXPECT_EQ(bytes, n.bytes) << n.name;
  EXPECT_EQ(files, n.files) << n.name;
}

const std::vector<File> kSmall = {
    {"/usr/lib/libbig.so", 8000, 0, 0}, {"/usr/lib/libmid.so", 3000, 0, 1}, {"/usr/share/doc/a", 50, 1, 0},
    {"/usr/share/doc/b", 40, 1, 0},     {"/usr/share/doc/c", 30, 1, 2},     {"/etc/conf", 10, 0, 2},
};

TEST(FsTree, WholeTreeWhenItFits) {
  FsTree t = Build(kSmall, 100);
  EXPECT_EQ(t.threshold, 0u);
  EXPECT_EQ(t.folded_files, 0u);
  EXPECT_EQ(t.nodes, 12u);
  EXPECT_EQ(t.all_nodes, 12u);
  EXPECT_EQ(Dump(t),
            "/ 11130 6 k0 l0\n"
            "  usr 11120 5 k0 l0\n"
            "    lib 11000 2 k0 l0\n"
            "      libbig.so 8000 1 k0 l0\n"
            "      libmid.so 3000 1 k0 l1\n"
            "    share 120 3 k1 l0\n"
            "      doc 120 3 k1 l0\n"
            "        a 50 1 k1 l0\n"
            "        b 40 1 k1 l0\n"
            "        c 30 1 k1 l2\n"
            "  etc 10 1 k0 l2\n"
            "    conf 10 1 k0 l2\n");
  ExpectSums(t.root);
}

TEST(FsTree, SmallSiblingsFoldAndALoneSmallChildIsCut) {
  // At T=3000: etc is the one small child of "/", share the one of usr;
  // each is drawn as itself with its subtree cut away.
  FsTree t = Build(kSmall, 7);
  EXPECT_EQ(t.threshold, 3000u);
  EXPECT_EQ(Dump(t),
            "/ 11130 6 k0 l0\n"
            "  usr 11120 5 k0 l0\n"
            "    lib 11000 2 k0 l0\n"
            "      libbig.so 8000 1 k0 l0\n"
            "      libmid.so 3000 1 k0 l1\n"
            "    share 120 3 k1 l0 cut\n"
            "  etc 10 1 k0 l2 cut\n");
  EXPECT_EQ(t.nodes, 7u);
  EXPECT_EQ(t.folded_files, 4u);  // share's 3 and etc's 1 are not drawn as themselves
  ExpectSums(t.root);
}

TEST(FsTree, FoldNamesCountFilesAndTakeTheDominantKindAndLayer) {
  std::vector<File> files = {{"/big", 1000, 0, 0}, {"/s1", 10, 2, 1}, {"/s2", 20, 2, 1}, {"/s3", 25, 1, 2}};
  FsTree t = Build(files, 3);
  EXPECT_EQ(Dump(t),
            "/ 1055 4 k0 l0\n"
            "  big 1000 1 k0 l0\n"
            "  [3 smaller files] 55 3 k2 l1 fold\n");
  EXPECT_EQ(t.folded_files, 3u);
  ExpectSums(t.root);
}

TEST(FsTree, BudgetHoldsOnAWideTreeAndEveryByteIsCounted) {
  FsTreeBuilder b(4, 5);
  uint64_t total = 0;
  for (int d = 0; d < 50; ++d) {
    for (int f = 0; f < 400; ++f) {
      uint64_t bytes = 1 + static_cast<uint64_t>((d * 7919 + f * 104729) % 100000);
      total += bytes;
      b.AddFile("/d" + std::to_string(d) + "/f" + std::to_string(f), bytes, f % 4, d % 5);
    }
  }
  for (size_t budget : {2, 10, 100, 1000, 5000}) {
    FsTree t = b.Finish(budget);
    EXPECT_LE(t.nodes, budget) << budget;
    EXPECT_EQ(t.root.bytes, total) << budget;
    EXPECT_EQ(t.root.files, 20000u) << budget;
    EXPECT_EQ(t.all_nodes, 1u + 50u + 20000u);
    ExpectSums(t.root);
  }
  // A larger budget never draws fewer nodes.
  EXPECT_LT(b.Finish(100).nodes, b.Finish(1000).nodes);
}

TEST(FsTree, SameTreeWhateverTheOrderFilesArriveIn) {
  std::vector<File> files = kSmall;
  std::string want = Dump(Build(files, 7));
  std::mt19937 rng(12);
  for (int i = 0; i < 5; ++i) {
    std::shuffle(files.begin(), files.end(), rng);
    EXPECT_EQ(Dump(Build(files, 7)), want);
  }
}

TEST(FsTree, EmptyFilesAndTheRootPathAddNothing) {
  FsTree t = Build({{"/empty", 0, 0, 0}, {"/", 10, 0, 0}}, 10);
  EXPECT_EQ(Dump(t), "/ 0 0 k0 l0 cut\n");
}

TEST(FsTree, VeryDeepPathsKeepTheirTailAsOneComponent) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "/a";
  FsTreeBuilder b(1, 1);
  b.AddFile(deep, 5, 0, 0);
  FsTree t = b.Finish(100000);
  size_t depth = 0;
  const TreeNode* n = &t.root;
  while (!n->children.empty()) {
    n = &n->children[0];
    ++depth;
  }
  EXPECT_EQ(depth, 128u);
  EXPECT_EQ(n->bytes, 5u);
  EXPECT_EQ(n->name.size(), (1000u - 127u) * 2u - 1u);  // "a/a/.../a"
}

TEST(FsTree, OutOfRangeKindAndLayerAreClamped) {
  FsTree t = Build({{"/x", 1, 9, 9}}, 10, 2, 3);
  EXPECT_EQ(t.root.children.at(0).kind, 1u);
  EXPECT_EQ(t.root.children.at(0).layer, 2u);
}

}  // namespace
}  // namespace whittle::htmlreport
