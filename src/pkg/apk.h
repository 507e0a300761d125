// Alpine's installed-package database, lib/apk/db/installed (apk-tools v2
// text format; apk v3's installed.adb is binary and not read here). One
// block per package, blocks separated by blank lines, every line
// "<letter>:<value>":
//
//   P:musl            package name          F:usr/lib       a folder (relative to /)
//   V:1.2.4-r2        version               R:libc.so       a file in the last F: folder
//   A:x86_64          architecture          (others: C, S, I, T, U, L, o, m, t, c,
//                                            D, p, r, q, Z, a, M, ... are skipped)
//
// Folders are listed too; a package's paths are its F: folders and its R:
// files, in database order. An R: before any F: is a file in "/".
#ifndef WHITTLE_PKG_APK_H_
#define WHITTLE_PKG_APK_H_

#include <string_view>
#include <vector>

#include "pkg/package.h"
#include "util/status.h"

namespace whittle::pkg {

/// Parses lib/apk/db/installed. Errors (file:line:): a non-blank line that
/// is not "<letter>:", a block without P:, a path that is empty or climbs
/// above "/", a body over kMaxTextDbBytes.
Result<std::vector<Package>> ParseApkInstalled(std::string_view body, std::string_view file);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_APK_H_
