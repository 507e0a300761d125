// RPM header blobs built field by field (rpm_test_util.h); the real
// rpmdb.sqlite written by rpm is read in pkg_real_test.cc.
#include "pkg/rpm_header.h"

#include <gtest/gtest.h>

#include "pkg/rpm_test_util.h"
#include "pkg/rpmdb.h"

namespace whittle::pkg {
namespace {

using testing::RpmHeaderBuilder;

TEST(RpmHeader, NameVersionArchAndPaths) {
  auto r = ParseRpmHeader(testing::SampleRpmHeader(), "h");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->name, "glibc");
  EXPECT_EQ(r->version, "2.34-100.el9");
  EXPECT_EQ(r->arch, "x86_64");
  EXPECT_EQ(r->paths, (std::vector<std::string>{"/usr/lib64/ld-linux-x86-64.so.2", "/usr/lib64/glibc-hwcaps/libc.so.6",
                                                "/usr/lib64/glibc-hwcaps/gconv"}));
}

TEST(RpmHeader, OldFilenamesAndNoFiles) {
  RpmHeaderBuilder b;
  b.AddString(1000, "old");
  b.AddStringArray(1027, {"/etc/old.conf", "/"});
  auto r = ParseRpmHeader(b.Build(), "h");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->version, "");
  EXPECT_EQ(r->paths, (std::vector<std::string>{"/etc/old.conf"}));
  RpmHeaderBuilder meta;  // gpg-pubkey pseudo-packages have no files
  meta.AddString(1000, "gpg-pubkey");
  auto m = ParseRpmHeader(meta.Build(), "h");
  ASSERT_TRUE(m.has_value());
  EXPECT_TRUE(m->paths.empty());
}

TEST(RpmHeader, Errors) {
  std::string good = testing::SampleRpmHeader();
  struct Case {
    std::string blob;
    const char* want;
  };
  RpmHeaderBuilder wrong_type;
  wrong_type.AddInt32s(1000, {7});
  RpmHeaderBuilder bad_index;
  bad_index.AddString(1000, "x");
  bad_index.AddInt32s(1116, {5});
  bad_index.AddStringArray(1117, {"a"});
  bad_index.AddStringArray(1118, {"/d/"});
  RpmHeaderBuilder mismatch;
  mismatch.AddString(1000, "x");
  mismatch.AddInt32s(1116, {0, 0});
  mismatch.AddStringArray(1117, {"a"});
  mismatch.AddStringArray(1118, {"/d/"});
  RpmHeaderBuilder huge_count;
  huge_count.AddString(1000, "x");
  huge_count.AddRaw(1117, 8, 0, 0x7fffffff);
  huge_count.AddRaw(1118, 8, 0, 1);
  huge_count.AddRaw(1116, 4, 0, 1);
  RpmHeaderBuilder no_name;
  no_name.AddString(1001, "1");
  std::string unterminated = good;
  unterminated.back() = 'x';  // the last string loses its NUL
  const Case kCases[] = {
      {"", "h: offset 0: header of 0 bytes, need at least 8"},
      {RpmHeaderBuilder::Be(0) + RpmHeaderBuilder::Be(0), "h: offset 0: 0 index entries (want 1..65535)"},
      {RpmHeaderBuilder::Be(1) + RpmHeaderBuilder::Be(0x10000000),
       "h: offset 4: data store of 268435456 bytes (cap 268435455)"},
      {good.substr(0, good.size() - 1), "h: offset 0: index 7 x 16 + store 114 needs 234 bytes, blob has 233"},
      {good + "x", "h: offset 0: index 7 x 16 + store 114 needs 234 bytes, blob has 235"},
      {wrong_type.Build(), "h: offset 24: tag 1000: expected a string type"},
      {bad_index.Build(), "h: offset 76: tag 1116: DIRINDEXES value out of range"},
      {mismatch.Build(), "h: offset 76: tag 1116: DIRINDEXES and BASENAMES counts differ"},
      {huge_count.Build(), "h: offset 72: tag 1117: count exceeds the data store"},
      {no_name.Build(), "h: no NAME tag"},
      {unterminated, "h: offset 197: tag 1118: unterminated string"},
  };
  for (const Case& c : kCases) {
    auto r = ParseRpmHeader(c.blob, "h");
    ASSERT_FALSE(r.has_value()) << c.want;
    EXPECT_EQ(r.error().message(), c.want);
  }
}

TEST(RpmDb, DetectsDatabasesByPath) {
  EXPECT_EQ(DetectRpmDatabase("/var/lib/rpm/rpmdb.sqlite"), RpmDbKind::kSqlite);
  EXPECT_EQ(DetectRpmDatabase("/usr/lib/sysimage/rpm/rpmdb.sqlite"), RpmDbKind::kSqlite);
  EXPECT_EQ(DetectRpmDatabase("/var/lib/rpm/Packages"), RpmDbKind::kBdb);
  EXPECT_EQ(DetectRpmDatabase("/var/lib/rpm/Packages.db"), RpmDbKind::kNdb);
  EXPECT_EQ(DetectRpmDatabase("/var/lib/rpm/Name"), RpmDbKind::kNone);
  EXPECT_EQ(DetectRpmDatabase("/srv/var/lib/rpm/Packages"), RpmDbKind::kNone);
  Status st = UnreadableRpmDatabase("/var/lib/rpm/Packages");
  EXPECT_EQ(st.code(), Errc::kUnsupported);
  EXPECT_EQ(st.message(), "/var/lib/rpm/Packages: unreadable rpm database (bdb/ndb)");
}

TEST(RpmDb, RejectsNonSqliteAndOversized) {
  auto r = ReadRpmSqlite(
      "not a database at all, just text that is long enough to pass the length check....."
      "........................................",
      "rpmdb.sqlite");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "rpmdb.sqlite: offset 0: not an SQLite database");
}

}  // namespace
}  // namespace whittle::pkg
