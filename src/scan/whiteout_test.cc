#include "scan/whiteout.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(ClassifyWhiteoutTest, Table) {
  struct Case {
    const char* path;
    WhiteoutKind kind;
    const char* target;  // "" when none is set
  };
  const Case kCases[] = {
      {"/usr/share/.wh.doc", WhiteoutKind::kFile, "/usr/share/doc"},
      {"/.wh.tmp", WhiteoutKind::kFile, "/tmp"},
      {"/x/.wh.y", WhiteoutKind::kFile, "/x/y"},
      {"/a/.wh..b", WhiteoutKind::kFile, "/a/.b"},           // deletes a dot file
      {"/a/.wh..wh", WhiteoutKind::kFile, "/a/.wh"},         // not the ".wh..wh." prefix
      {"/a/.wh.x.wh..opq", WhiteoutKind::kFile, "/a/x.wh..opq"},
      {"/var/cache/.wh..wh..opq", WhiteoutKind::kOpaque, "/var/cache"},
      {"/.wh..wh..opq", WhiteoutKind::kOpaque, "/"},
      {"/a/.wh..wh.plnk", WhiteoutKind::kNone, ""},  // aufs metadata
      {"/a/.wh..wh.aufs", WhiteoutKind::kNone, ""},
      {"/a/.wh.", WhiteoutKind::kMalformed, ""},
      {"/a/.wh..", WhiteoutKind::kMalformed, ""},
      {"/a/.wh...", WhiteoutKind::kMalformed, ""},
      {"/a/b", WhiteoutKind::kNone, ""},
      {"/a/x.wh.b", WhiteoutKind::kNone, ""},  // the prefix must start the name
      {"/.wh/b", WhiteoutKind::kNone, ""},     // only the last component counts
      {"/.wh.d/b", WhiteoutKind::kNone, ""},
      {"/a/.WH.b", WhiteoutKind::kNone, ""},   // case matters
      {"/", WhiteoutKind::kNone, ""},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.path);
    std::string target;
    EXPECT_EQ(ClassifyWhiteout(c.path, &target), c.kind);
    EXPECT_EQ(target, c.target);
  }
}

// The target buffer is reused across members: every classification that
// sets it replaces what was there.
TEST(ClassifyWhiteoutTest, ReplacesThePreviousTarget) {
  std::string target = "/left/over/from/an/earlier/member";
  EXPECT_EQ(ClassifyWhiteout("/.wh.a", &target), WhiteoutKind::kFile);
  EXPECT_EQ(target, "/a");
  EXPECT_EQ(ClassifyWhiteout("/b/.wh..wh..opq", &target), WhiteoutKind::kOpaque);
  EXPECT_EQ(target, "/b");
}

}  // namespace
}  // namespace whittle
