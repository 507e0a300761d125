// The RPM header format, as rpmdb.sqlite stores one per installed package
// (the Packages table's blob column): an "imported" header without the
// 8-byte magic that .rpm files carry.
//
//   +----------+----------+------------------------+-------------------+
//   | il (BE32)| dl (BE32)| il index entries x 16  | data store, dl B  |
//   +----------+----------+------------------------+-------------------+
//   entry: tag BE32 | type BE32 | offset BE32 (into the store) | count BE32
//
// Types: 4 INT32 (count values), 6 STRING (one NUL-terminated string),
// 8 STRING_ARRAY and 9 I18NSTRING (count NUL-terminated strings).
// We read NAME 1000, VERSION 1001, RELEASE 1002, ARCH 1022, and the file
// list, DIRNAMES 1118 + BASENAMES 1117 + DIRINDEXES 1116 (path i is
// dirnames[dirindexes[i]] + basenames[i]); rpm before 4.x stored full
// paths in OLDFILENAMES 1027, also read. Every offset, count and string is
// bounds-checked against the store; nothing is trusted.
#ifndef WHITTLE_PKG_RPM_HEADER_H_
#define WHITTLE_PKG_RPM_HEADER_H_

#include <string_view>

#include "pkg/package.h"
#include "util/status.h"

namespace whittle::pkg {

/// Caps from rpm's own header limits (header_internal.h): at most 0xffff
/// index entries and a data store under 256 MiB.
inline constexpr uint32_t kRpmMaxIndexEntries = 0xffff;
inline constexpr uint32_t kRpmMaxDataBytes = 0x0fffffff;

/// Parses one header blob. |where| names it in errors ("rpmdb.sqlite:
/// Packages hnum 7"). Package::version is "VERSION-RELEASE"; paths are
/// normalised. Errors (kCorrupt, "where: offset N: what") for truncation,
/// an index or store over the caps, a tag of the wrong type, an offset or
/// count outside the store, an unterminated string, a DIRINDEXES value out
/// of range or count mismatches; a missing NAME is an error too.
Result<Package> ParseRpmHeader(std::string_view blob, std::string_view where);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_RPM_HEADER_H_
