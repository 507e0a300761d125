#include "waste/path_nodes.h"

#include <gtest/gtest.h>

#include <string>

namespace whittle {
namespace {

TEST(PathNodes, InternedPathsAreTheirOwnNodes) {
  PathInterner in;
  const PathId a = in.Intern("/a"), ab = in.Intern("/a/b"), abc = in.Intern("/a/b/c"), root = in.Intern("/");
  PathNodes n(in);
  EXPECT_EQ(n.Node(ab), ab);
  EXPECT_EQ(n.Node(root), n.root());  // "/" is the root, whatever its id
  EXPECT_EQ(n.Parent(abc), ab);
  EXPECT_EQ(n.Parent(ab), a);
  EXPECT_EQ(n.Parent(a), n.root());
  EXPECT_EQ(n.Parent(n.root()), n.root());
  EXPECT_EQ(n.Path(abc), "/a/b/c");
  EXPECT_EQ(n.Name(abc), "c");
  EXPECT_EQ(n.Path(n.root()), "/");
  EXPECT_EQ(n.Name(n.root()), "");
  EXPECT_EQ(n.size(), in.size() + 1);  // nothing added
}

// A tar may list /x/y/z without /x/y or /x: those get nodes after the ids,
// once each, with the right parents, names and paths.
TEST(PathNodes, DirectoriesNoPathSpellsGetNodesOnce) {
  PathInterner in;
  const PathId z = in.Intern("/x/y/z"), w = in.Intern("/x/y/w"), v = in.Intern("/x/v");
  PathNodes n(in);
  const uint32_t y = n.Parent(z);
  EXPECT_GT(y, n.root());
  EXPECT_EQ(n.Path(y), "/x/y");
  EXPECT_EQ(n.Name(y), "y");
  const uint32_t x = n.Parent(y);
  EXPECT_EQ(n.Path(x), "/x");
  EXPECT_EQ(n.Parent(x), n.root());
  EXPECT_EQ(n.Parent(w), y);
  EXPECT_EQ(n.Parent(v), x);
  EXPECT_EQ(n.size(), in.size() + 3);  // the root, /x/y and /x
  EXPECT_EQ(n.Child(x, "y"), y);
  EXPECT_EQ(n.Child(y, "z"), z);
  EXPECT_EQ(n.Child(n.root(), "x"), x);
  EXPECT_EQ(n.Child(y, "nope"), PathNodes::kNone);
  EXPECT_EQ(n.Child(y, ""), PathNodes::kNone);
}

// Members of one directory, not listed one after another, still share
// their parent's node (it is found by its text, not by the last member).
TEST(PathNodes, InterleavedDirectoriesShareNodes) {
  PathInterner in;
  const PathId p1 = in.Intern("/d/1"), q1 = in.Intern("/e/1"), p2 = in.Intern("/d/2"), q2 = in.Intern("/e/2");
  PathNodes n(in);
  EXPECT_EQ(n.Parent(p1), n.Parent(p2));
  EXPECT_EQ(n.Parent(q1), n.Parent(q2));
  EXPECT_NE(n.Parent(p1), n.Parent(q1));
}

// A directory longer than kShortPath that a member names is found by its
// text (asked of the interner only when some path is that long).
TEST(PathNodes, LongDirectoryNamedByAMember) {
  const std::string dir = "/" + std::string(300, 'l');
  PathInterner in;
  const PathId d = in.Intern(dir), f = in.Intern(dir + "/f");
  const PathId g = in.Intern("/" + std::string(299, 'l') + "/m/g");  // a sibling of the same length, not interned
  PathNodes n(in);
  EXPECT_EQ(n.Parent(f), d);
  const uint32_t m = n.Parent(g);
  EXPECT_EQ(n.Path(m), "/" + std::string(299, 'l') + "/m");
  EXPECT_EQ(n.Path(n.Parent(m)), "/" + std::string(299, 'l'));
}

// 100,000 directories deep, none of them a member (issue 14's bad-input
// suite): the chain is built from the one path, each level found by its
// name under its parent, not by its whole text.
TEST(PathNodes, DeepPathWithoutItsDirectories) {
  std::string path;
  for (int i = 0; i < 100000; ++i) path += "/d";
  PathInterner in;
  const PathId f = in.Intern(path + "/f");
  PathNodes n(in);
  int depth = 0;
  for (uint32_t at = n.Parent(f); at != n.root(); at = n.Parent(at)) ++depth;
  EXPECT_EQ(depth, 100000);
  EXPECT_EQ(n.Path(n.Parent(f)), path);
  EXPECT_EQ(n.size(), in.size() + 1 + 100000);
}

}  // namespace
}  // namespace whittle
