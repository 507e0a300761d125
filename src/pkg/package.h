// Package: what every package-database parser in pkg/ returns, whatever the
// ecosystem (dpkg, apk, rpm, pip, npm, Go). A package is a name, a version,
// an architecture when the database records one, and the paths the database
// says it installed.
//
// Paths are absolute and normalised (util/strings.h NormalizePath), so they
// compare equal to the paths the tar scan interns. They are the paths the
// database lists: for dpkg, apk and rpm that includes directories (a package
// lists /usr/bin as well as /usr/bin/ls); pip's RECORD lists files only.
// What a listed directory means for ownership is ownership.h's business.
//
// Every parser in pkg/ is I/O-free: it takes the bytes of one file body (as
// the scan hook hands them over) and the file's path for messages, and
// returns a Result whose error names "file:line: what".
#ifndef WHITTLE_PKG_PACKAGE_H_
#define WHITTLE_PKG_PACKAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::pkg {

/// Which package manager installed a package; the label prefix.
enum class Ecosystem : uint8_t { kDeb, kApk, kRpm, kPip, kNpm, kGo };

/// "deb", "apk", "rpm", "pip", "npm", "go".
std::string_view EcosystemName(Ecosystem eco);

/// The data-source label of a package: "deb:gcc-12", "pip:numpy",
/// "go:example.com/app". |name| is used as given.
std::string PackageLabel(Ecosystem eco, std::string_view name);

/// True for a name dpkg, apk and rpm would accept as a package name: not
/// empty, no blank, control character, DEL or '/'. Parsers reject others.
bool IsValidPackageName(std::string_view name);

/// NormalizePath(base + "/" + rel); |rel| absolute replaces |base|. Sets
/// |*escaped| when ".." climbs above "/".
std::string JoinPath(std::string_view base, std::string_view rel, bool* escaped);

/// The label of a path no package owns.
inline constexpr std::string_view kUnownedLabel = "[unowned]";

struct Package {
  std::string name;
  std::string version;  // "" when the database has none
  std::string arch;     // "" when the database has none
  /// Absolute, normalised, in database order; never "/" itself.
  std::vector<std::string> paths;
};

/// Size caps for file bodies handed to the parsers: a body above its cap is
/// rejected with Errc::kTooLarge before any parsing. They are far above
/// real databases (a Debian system with 3000 packages has a 3 MiB status
/// file and 20 MiB of .list files in all) and bound memory on hostile input.
inline constexpr uint64_t kMaxTextDbBytes = 64ull << 20;      // status, installed, RECORD, ...
inline constexpr uint64_t kMaxRpmSqliteBytes = 512ull << 20;  // rpmdb.sqlite
inline constexpr uint64_t kMaxPackageJsonBytes = 4ull << 20;  // one package.json

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_PACKAGE_H_
