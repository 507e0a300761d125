// The RPM package database in an image. rpm >= 4.16 (Fedora 33+, RHEL 9,
// UBI 9, openSUSE since 2021) keeps it in SQLite: var/lib/rpm/rpmdb.sqlite
// (some distributions: usr/lib/sysimage/rpm/rpmdb.sqlite), with one header
// blob per installed package in the Packages table (rpm_header.h).
//
// Image bytes arrive as a stream, and SQLite wants a database file: the DB
// body is handed over in memory and opened with sqlite3_deserialize,
// read-only, so there is no temporary file. The database is untrusted: it is
// opened with SQLITE_DBCONFIG_DEFENSIVE and trusted_schema off, Packages
// must be a real table (not a view), and a progress handler bounds the work
// a hostile file can cause.
//
// A WAL-mode database (rpm sets journal_mode=WAL) is read as if it were in
// rollback mode: the in-memory copy's header bytes 18-19 are set to 1, which
// is how SQLite itself tells the two apart. Changes still sitting in an
// uncheckpointed rpmdb.sqlite-wal file are not seen.
// TODO(pkgdb): apply the -wal file's frames when an image ships one.
//
// Older rpm databases, BerkeleyDB (var/lib/rpm/Packages, RHEL <= 8, CentOS
// 7/8) and ndb (var/lib/rpm/Packages.db, older openSUSE), are not read: a
// caller detects them by path (DetectRpmDatabase) and labels their files as
// unreadable rather than guessing.
#ifndef WHITTLE_PKG_RPMDB_H_
#define WHITTLE_PKG_RPMDB_H_

#include <string_view>
#include <vector>

#include "pkg/package.h"
#include "util/status.h"

namespace whittle::pkg {

enum class RpmDbKind {
  kNone,    // not an rpm database path
  kSqlite,  // .../rpm/rpmdb.sqlite: ReadRpmSqlite reads it
  kBdb,     // .../rpm/Packages: BerkeleyDB, not read
  kNdb,     // .../rpm/Packages.db: ndb, not read
};

/// Classifies an absolute, normalised path: the three database files under
/// /var/lib/rpm/ or /usr/lib/sysimage/rpm/. Anything else is kNone.
RpmDbKind DetectRpmDatabase(std::string_view path);

/// The error a caller reports for kBdb/kNdb (Errc::kUnsupported):
/// "<path>: unreadable rpm database (bdb/ndb)".
Status UnreadableRpmDatabase(std::string_view path);

/// The work cap of one ReadRpmSqlite call, in SQLite VM steps (the progress
/// handler counts 1000-step units). A 100 MB Fedora database takes a few
/// million steps.
inline constexpr uint64_t kRpmSqliteMaxSteps = 4'000'000'000ull;

/// Reads every package header from an rpmdb.sqlite body held in memory
/// (copied once; |db| need not outlive the call). Packages come in hnum
/// order. Errors: a body over kMaxRpmSqliteBytes (kTooLarge), not an SQLite
/// database, no Packages table, SQLite reporting corruption, the step cap
/// exceeded, or any header failing ParseRpmHeader ("file: Packages hnum N:
/// offset M: what").
Result<std::vector<Package>> ReadRpmSqlite(std::string_view db, std::string_view file);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_RPMDB_H_
