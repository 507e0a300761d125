#include "pkg/db_paths.h"

#include <string>

#include "pkg/node_packages.h"
#include "pkg/package.h"
#include "pkg/rpmdb.h"
#include "util/strings.h"

namespace whittle::pkg {

namespace {

std::string_view DirName(std::string_view p) {
  size_t s = p.rfind('/');
  return s == std::string_view::npos ? std::string_view() : p.substr(0, s);
}

// The scan asks about every regular file of every layer, and almost none is
// a database: answer those with one prefix compare and one character. A
// database either lives under /var/lib/ or /usr/lib/sysimage/rpm/, or is
// named by its last component, whose last character is one of
//   RECORD  installed-files.txt  package.json  (/usr)/lib/apk/db/installed
// Everything else is kNone without looking further.
bool MayBeDbPath(std::string_view path) {
  if (StartsWith(path, "/var/lib/") || StartsWith(path, "/usr/lib/sysimage/rpm/")) return true;
  if (path.empty()) return false;
  switch (path.back()) {
    case 'D':  // RECORD
    case 't':  // installed-files.txt
    case 'n':  // package.json
    case 'd':  // installed
      return true;
    default:
      return false;
  }
}

}  // namespace

DbFileKind ClassifyDbPath(std::string_view path) {
  if (!MayBeDbPath(path)) return DbFileKind::kNone;
  if (path == "/var/lib/dpkg/status") return DbFileKind::kDpkgStatus;
  if (path == "/var/lib/apt/extended_states") return DbFileKind::kAptExtendedStates;
  if (path == "/lib/apk/db/installed" || path == "/usr/lib/apk/db/installed") return DbFileKind::kApkInstalled;
  constexpr std::string_view kInfo = "/var/lib/dpkg/info/";
  if (StartsWith(path, kInfo) && EndsWith(path, ".list") && path.find('/', kInfo.size()) == std::string_view::npos &&
      path.size() > kInfo.size() + 5) {
    return DbFileKind::kDpkgList;
  }
  constexpr std::string_view kStatusD = "/var/lib/dpkg/status.d/";
  if (StartsWith(path, kStatusD)) {
    std::string_view rest = path.substr(kStatusD.size());
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) {  // flat: NAME or NAME.md5sums
      if (rest.empty()) return DbFileKind::kNone;
      return EndsWith(rest, ".md5sums") && rest.size() > 8 ? DbFileKind::kDpkgStatusDMd5sums : DbFileKind::kDpkgStatusD;
    }
    std::string_view leaf = rest.substr(slash + 1);  // NAME/control, NAME/md5sums
    if (slash == 0 || leaf.find('/') != std::string_view::npos) return DbFileKind::kNone;
    if (leaf == "control") return DbFileKind::kDpkgStatusD;
    if (leaf == "md5sums") return DbFileKind::kDpkgStatusDMd5sums;
    return DbFileKind::kNone;
  }
  switch (DetectRpmDatabase(path)) {
    case RpmDbKind::kSqlite:
      return DbFileKind::kRpmSqlite;
    case RpmDbKind::kBdb:
    case RpmDbKind::kNdb:
      return DbFileKind::kRpmUnreadable;
    case RpmDbKind::kNone:
      break;
  }
  std::string_view base = BaseName(path);
  std::string_view dir = BaseName(DirName(path));
  if (base == "RECORD" && EndsWith(dir, ".dist-info") && dir.size() > 10) return DbFileKind::kPythonRecord;
  if (base == "installed-files.txt" && EndsWith(dir, ".egg-info") && dir.size() > 9) {
    return DbFileKind::kPythonEggFiles;
  }
  if (base == "package.json") {
    std::string d, n;
    if (TryNodePackageDir(path, &d, &n)) return DbFileKind::kNodePackageJson;
  }
  return DbFileKind::kNone;
}

uint64_t MaxDbBodyBytes(DbFileKind kind) {
  switch (kind) {
    case DbFileKind::kNone:
    case DbFileKind::kRpmUnreadable:
      return 0;
    case DbFileKind::kRpmSqlite:
      return kMaxRpmSqliteBytes;
    case DbFileKind::kNodePackageJson:
      return kMaxPackageJsonBytes;
    default:
      return kMaxTextDbBytes;
  }
}

}  // namespace whittle::pkg
