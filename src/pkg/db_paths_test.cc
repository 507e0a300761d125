#include "pkg/db_paths.h"

#include <gtest/gtest.h>

#include "pkg/package.h"

namespace whittle::pkg {
namespace {

TEST(DbPaths, Classify) {
  struct Case {
    const char* path;
    DbFileKind want;
  };
  const Case kCases[] = {
      {"/var/lib/dpkg/status", DbFileKind::kDpkgStatus},
      {"/var/lib/dpkg/status-old", DbFileKind::kNone},
      {"/var/lib/dpkg/info/libc6:amd64.list", DbFileKind::kDpkgList},
      {"/var/lib/dpkg/info/bash.list", DbFileKind::kDpkgList},
      {"/var/lib/dpkg/info/bash.md5sums", DbFileKind::kNone},
      {"/var/lib/dpkg/info/.list", DbFileKind::kNone},
      {"/var/lib/dpkg/status.d/tzdata", DbFileKind::kDpkgStatusD},
      {"/var/lib/dpkg/status.d/python3.11", DbFileKind::kDpkgStatusD},
      {"/var/lib/dpkg/status.d/tzdata.md5sums", DbFileKind::kDpkgStatusDMd5sums},
      {"/var/lib/dpkg/status.d/tzdata/control", DbFileKind::kDpkgStatusD},
      {"/var/lib/dpkg/status.d/tzdata/md5sums", DbFileKind::kDpkgStatusDMd5sums},
      {"/var/lib/dpkg/status.d/tzdata/other", DbFileKind::kNone},
      {"/var/lib/dpkg/status.d/a/b/control", DbFileKind::kNone},
      {"/var/lib/apt/extended_states", DbFileKind::kAptExtendedStates},
      {"/lib/apk/db/installed", DbFileKind::kApkInstalled},
      {"/usr/lib/apk/db/installed", DbFileKind::kApkInstalled},
      {"/var/lib/rpm/rpmdb.sqlite", DbFileKind::kRpmSqlite},
      {"/usr/lib/sysimage/rpm/rpmdb.sqlite", DbFileKind::kRpmSqlite},
      {"/var/lib/rpm/Packages", DbFileKind::kRpmUnreadable},
      {"/var/lib/rpm/Packages.db", DbFileKind::kRpmUnreadable},
      {"/usr/local/lib/python3.11/site-packages/numpy-1.26.4.dist-info/RECORD", DbFileKind::kPythonRecord},
      {"/usr/local/lib/python3.11/site-packages/numpy-1.26.4.dist-info/METADATA", DbFileKind::kNone},
      {"/x/.dist-info/RECORD", DbFileKind::kNone},
      {"/usr/lib/python3/dist-packages/foo-1.0.egg-info/installed-files.txt", DbFileKind::kPythonEggFiles},
      {"/app/node_modules/left-pad/package.json", DbFileKind::kNodePackageJson},
      {"/app/node_modules/@babel/core/package.json", DbFileKind::kNodePackageJson},
      {"/app/node_modules/left-pad/lib/package.json", DbFileKind::kNone},
      {"/app/package.json", DbFileKind::kNone},
      {"/usr/bin/ls", DbFileKind::kNone},
      // Misses the one-character pre-check lets through, and one it stops.
      {"/usr/share/doc/RECORD", DbFileKind::kNone},
      {"/etc/installed-files.txt", DbFileKind::kNone},
      {"/app/node_modules/x/bin/run.json", DbFileKind::kNone},
      {"/app/node_modules/left-pad/package.jsonx", DbFileKind::kNone},
      {"/var/lib/rpm/rpmdb.sqlite-shm", DbFileKind::kNone},
      {"", DbFileKind::kNone},
  };
  for (const Case& c : kCases) EXPECT_EQ(ClassifyDbPath(c.path), c.want) << c.path;
  EXPECT_EQ(MaxDbBodyBytes(DbFileKind::kDpkgStatus), kMaxTextDbBytes);
  EXPECT_EQ(MaxDbBodyBytes(DbFileKind::kRpmSqlite), kMaxRpmSqliteBytes);
  EXPECT_EQ(MaxDbBodyBytes(DbFileKind::kNodePackageJson), kMaxPackageJsonBytes);
  EXPECT_EQ(MaxDbBodyBytes(DbFileKind::kRpmUnreadable), 0u);
  EXPECT_EQ(MaxDbBodyBytes(DbFileKind::kNone), 0u);
}

}  // namespace
}  // namespace whittle::pkg
