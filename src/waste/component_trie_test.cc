#include "waste/component_trie.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace whittle {
namespace {

TEST(ComponentTrie, FindAddUnlinkAcrossGrowth) {
  // Names must outlive the trie: keep them in a vector that does not move.
  std::vector<std::string> names;
  for (int i = 0; i < 5000; ++i) names.push_back("n" + std::to_string(i));
  ComponentTrie t;
  EXPECT_EQ(t.Find(ComponentTrie::kRoot, "n0"), ComponentTrie::kNone);
  std::vector<uint32_t> ids;
  for (const std::string& n : names) {
    bool created = false;
    ids.push_back(t.FindOrAdd(ComponentTrie::kRoot, n, &created));
    EXPECT_TRUE(created);
  }
  // The same name under another parent is another node.
  uint32_t nested = t.FindOrAdd(ids[7], names[7]);
  EXPECT_NE(nested, ids[7]);
  EXPECT_EQ(t.parent(nested), ids[7]);
  EXPECT_EQ(t.name(nested), "n7");
  for (size_t i = 0; i < names.size(); ++i) {
    bool created = true;
    EXPECT_EQ(t.FindOrAdd(ComponentTrie::kRoot, names[i], &created), ids[i]);
    EXPECT_FALSE(created);
  }
  // Unlinked nodes are no longer found; re-adding makes a new id, and the
  // tombstones left behind do not hide nodes further along a probe path.
  for (size_t i = 0; i < names.size(); i += 2) t.Unlink(ComponentTrie::kRoot, names[i]);
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(t.Find(ComponentTrie::kRoot, names[i]), i % 2 ? ids[i] : ComponentTrie::kNone) << i;
  }
  EXPECT_EQ(t.Find(ids[7], "n7"), nested);
  uint32_t again = t.FindOrAdd(ComponentTrie::kRoot, names[0]);
  EXPECT_NE(again, ids[0]);
  EXPECT_EQ(t.Find(ComponentTrie::kRoot, names[0]), again);
  // Growth after tombstones keeps every live node.
  std::vector<std::string> more;
  for (int i = 0; i < 20000; ++i) more.push_back("m" + std::to_string(i));
  for (const std::string& n : more) t.FindOrAdd(ids[1], n);
  EXPECT_EQ(t.Find(ComponentTrie::kRoot, names[4999]), ids[4999]);
  EXPECT_EQ(t.Find(ComponentTrie::kRoot, names[4998]), ComponentTrie::kNone);
  EXPECT_EQ(t.name(t.Find(ids[1], "m19999")), "m19999");
}

// The walkers prefetch the slot of a member a few ahead when it shares the
// parent directory of the path walked last.
TEST(ComponentTrie, SiblingLeafOnlyForTheSameParentDirectory) {
  EXPECT_EQ(SiblingLeaf("/a/b/x", "/a/b/y"), "y");
  EXPECT_EQ(SiblingLeaf("/a/b/x", "/a/b/x"), "x");
  EXPECT_EQ(SiblingLeaf("/x", "/y"), "y");
  EXPECT_EQ(SiblingLeaf("x", "y"), "y");
  EXPECT_EQ(SiblingLeaf("/a/b", "/a/b/y"), "");  // a child, not a sibling
  EXPECT_EQ(SiblingLeaf("/a/b/x", "/a/y"), "");  // an uncle
  EXPECT_EQ(SiblingLeaf("/a/c/x", "/a/b/y"), "");  // a cousin
  EXPECT_EQ(SiblingLeaf("/a/bc/x", "/a/b/y"), "");
  EXPECT_EQ(SiblingLeaf("/a/b/x/z", "/a/b/y"), "");
  EXPECT_EQ(SiblingLeaf("/a/x", "y"), "");
  EXPECT_EQ(SiblingLeaf("y", "/a/x"), "");
  EXPECT_EQ(SiblingLeaf("", "/a"), "");
}

// The walkers prefetch only when the table outgrows the caches (2^19 slots):
// a 40,000-entry image keeps its tries in cache and would pay only the hash.
TEST(ComponentTrie, PrefetchPaysOnlyForBigTables) {
  ComponentTrie t;
  EXPECT_FALSE(t.PrefetchPays());
  t.Reserve(100000);  // 2^18 slots
  EXPECT_FALSE(t.PrefetchPays());
  t.Reserve(300000);  // 2^20 slots
  EXPECT_TRUE(t.PrefetchPays());
}

// A prefetch is a hint: before the table exists, and for keys present or
// not, it changes nothing.
TEST(ComponentTrie, PrefetchChangesNothing) {
  ComponentTrie t;
  t.Prefetch(ComponentTrie::kRoot, "a");
  uint32_t a = t.FindOrAdd(ComponentTrie::kRoot, "a");
  t.Prefetch(a, "b");
  t.Prefetch(a, "missing");
  uint32_t b = t.FindOrAdd(a, "b");
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.Find(a, "b"), b);
  EXPECT_EQ(t.Find(a, "missing"), ComponentTrie::kNone);
}

}  // namespace
}  // namespace whittle
