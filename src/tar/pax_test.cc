#include "tar/pax.h"

#include <gtest/gtest.h>

#include <string>

#include "support/tar_builder.h"

namespace whittle {
namespace {

using namespace std::string_literals;

TEST(PaxTest, ParsesKnownKeys) {
  std::string body = testing::PaxRecord("mtime", "1700000000.123456789") + testing::PaxRecord("path", "a/b/c") +
                     testing::PaxRecord("linkpath", "target") + testing::PaxRecord("size", "1234567") +
                     testing::PaxRecord("uid", "1000") + testing::PaxRecord("gid", "1001") +
                     testing::PaxRecord("atime", "1.5") +
                     testing::PaxRecord("SCHILY.xattr.user.x", "some value");
  PaxValues v;
  std::string err;
  ASSERT_TRUE(TryParsePaxRecords(body, false, &v, &err)) << err;
  EXPECT_EQ(v.path, "a/b/c");
  EXPECT_EQ(v.linkpath, "target");
  EXPECT_EQ(v.size, 1234567u);
  EXPECT_EQ(v.uid, 1000u);
  EXPECT_EQ(v.gid, 1001u);
  EXPECT_EQ(v.mtime, 1700000000);
  EXPECT_TRUE(v.has(PaxValues::kPath) && v.has(PaxValues::kLinkpath) && v.has(PaxValues::kSize) &&
              v.has(PaxValues::kMtime) && v.has(PaxValues::kUid) && v.has(PaxValues::kGid));
  EXPECT_FALSE(v.has(PaxValues::kSparse));
}

TEST(PaxTest, SparseKeysAndNegativeTime) {
  std::string body = testing::PaxRecord("GNU.sparse.major", "1") + testing::PaxRecord("GNU.sparse.minor", "0") +
                     testing::PaxRecord("GNU.sparse.name", "dir/sparse") +
                     testing::PaxRecord("GNU.sparse.realsize", "1048576") + testing::PaxRecord("mtime", "-12.75");
  PaxValues v;
  std::string err;
  ASSERT_TRUE(TryParsePaxRecords(body, false, &v, &err)) << err;
  EXPECT_TRUE(v.has(PaxValues::kSparse));
  EXPECT_EQ(v.sparse_name, "dir/sparse");
  EXPECT_EQ(v.realsize, 1048576u);
  EXPECT_EQ(v.mtime, -12);
}

TEST(PaxTest, EmptyValueDeletes) {
  PaxValues g;
  std::string err;
  ASSERT_TRUE(TryParsePaxRecords("11 path=gg\n", true, &g, &err));
  EXPECT_TRUE(g.has(PaxValues::kPath));
  ASSERT_TRUE(TryParsePaxRecords("8 path=\n", true, &g, &err));
  EXPECT_FALSE(g.has(PaxValues::kPath));
  EXPECT_EQ(g.deleted, 0);
  PaxValues x;
  ASSERT_TRUE(TryParsePaxRecords("8 path=\n", false, &x, &err));
  EXPECT_FALSE(x.has(PaxValues::kPath));
  EXPECT_EQ(x.deleted, PaxValues::kPath);
}

TEST(PaxTest, TrailingNulPaddingTolerated) {
  PaxValues v;
  std::string err;
  std::string body = std::string("11 path=ab\n") + std::string(20, '\0');
  ASSERT_TRUE(TryParsePaxRecords(body, false, &v, &err)) << err;
  EXPECT_EQ(v.path, "ab");
}

struct BadCase {
  std::string body;
  std::string want_err;
};

TEST(PaxTest, RejectsMalformedRecords) {
  const BadCase kCases[] = {
      {"x path=a\n", "malformed pax record at byte 0 (expected \"LENGTH KEY=VALUE\\n\")"},
      {"10path=ab\n", "malformed pax record at byte 0 (expected \"LENGTH KEY=VALUE\\n\")"},
      {"11 path=ab\n99 path=ab\n", "malformed pax record at byte 11 (length 99 runs past the header)"},
      {"3 a\n", "malformed pax record at byte 0 (length 3 is too short)"},
      {"11 path=abc", "malformed pax record at byte 0 (length 11 does not end at a newline)"},
      {"10 pathab\n", "malformed pax record at byte 0 (no \"key=\")"},
      {"6 =ab\n", "malformed pax record at byte 0 (no \"key=\")"},
      {"12 size=12x\n", "bad pax size value \"12x\" at byte 0"},
      {"29 size=99999999999999999999\n", "bad pax size value \"99999999999999999999\" at byte 0"},
      {"10 uid=-1\n", "bad pax uid value \"-1\" at byte 0"},
      {"13 mtime=1.x\n", "bad pax mtime value \"1.x\" at byte 0"},
      {"11 path=ab\n\0x"s, "malformed pax record at byte 11 (NUL inside the records)"},
      {"0 \n", "malformed pax record at byte 0 (length 0 is too short)"},
  };
  for (const BadCase& c : kCases) {
    PaxValues v;
    std::string err;
    EXPECT_FALSE(TryParsePaxRecords(c.body, false, &v, &err)) << c.body;
    EXPECT_EQ(err, c.want_err) << c.body;
  }
}

}  // namespace
}  // namespace whittle
