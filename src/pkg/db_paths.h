// Which file bodies the packages data source needs: a classifier over the
// paths the tar scan sees, so the scan hook can ask "read this one?" per
// entry and hand the body to the right parser. Go binaries are not found by
// path: any regular file may be one (read its first kElfHeadBytes, then
// the GoBuildInfoWindows ranges; go_buildinfo.h).
#ifndef WHITTLE_PKG_DB_PATHS_H_
#define WHITTLE_PKG_DB_PATHS_H_

#include <cstdint>
#include <string_view>

namespace whittle::pkg {

enum class DbFileKind {
  kNone,
  kDpkgStatus,          // /var/lib/dpkg/status                     -> ParseDpkgStatus
  kDpkgList,            // /var/lib/dpkg/info/P[:ARCH].list         -> ParseDpkgFileList
  kDpkgStatusD,         // /var/lib/dpkg/status.d/NAME[/control]     -> ParseDpkgStatusD
  kDpkgStatusDMd5sums,  // /var/lib/dpkg/status.d/NAME{.,/}md5sums   -> ParseDpkgMd5sums
  kAptExtendedStates,   // /var/lib/apt/extended_states             -> ParseAptExtendedStates
  kApkInstalled,        // /lib/apk/db/installed (/usr/lib/apk/...)  -> ParseApkInstalled
  kRpmSqlite,           // .../rpm/rpmdb.sqlite                      -> ReadRpmSqlite
  kRpmUnreadable,       // .../rpm/Packages (bdb), Packages.db (ndb) -> UnreadableRpmDatabase
  kPythonRecord,        // .../NAME.dist-info/RECORD                 -> ParseDistInfoRecord
  kPythonEggFiles,      // .../NAME.egg-info/installed-files.txt     -> ParseEggInstalledFiles
  kNodePackageJson,     // .../node_modules/[@S/]NAME/package.json   -> ParsePackageJson
};

/// Classifies an absolute, normalised path. Only the exact shapes above
/// match (a package.json that is not a package root is kNone).
DbFileKind ClassifyDbPath(std::string_view path);

/// The largest body worth reading for |kind| (the parser's own cap); 0 for
/// kNone and kRpmUnreadable, whose bodies are never needed.
uint64_t MaxDbBodyBytes(DbFileKind kind);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_DB_PATHS_H_
