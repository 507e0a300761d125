// dpkg's database as it sits in an image, and the two other shapes Debian
// package facts take in container images:
//
//   var/lib/dpkg/status              one stanza per package (deb822); the
//                                    Status field says whether its files are
//                                    on disk
//   var/lib/dpkg/info/P[:ARCH].list  the paths package P installed, one per
//                                    line, directories included ("/." first)
//   var/lib/dpkg/status.d/NAME       distroless: the package's .deb control
//                                    stanza (no Status field: installed)
//   var/lib/dpkg/status.d/NAME.md5sums  distroless: the .deb's md5sums
//                                    ("<md5>  <relative path>" per line);
//                                    distroless ships no .list files, so
//                                    these are its file lists. Files only.
//   var/lib/dpkg/status.d/NAME/{control,md5sums}  the same two files in a
//                                    directory per package, as newer
//                                    rules_distroless (Bazel) writes them
//   var/lib/apt/extended_states      apt's "Auto-Installed: 1" marks
//
// (Verified against GoogleContainerTools/distroless private/pkg/
// dpkg_status.go, which writes status.d/NAME and status.d/NAME.md5sums from
// the .deb's control and md5sums members, and rules_distroless
// apt/private/dpkg_statusd.sh, which writes status.d/NAME/control and
// status.d/NAME/md5sums.)
//
// dpkg.list paths name directories as well as files; see ownership.h for
// why a directory listed by several packages is owned by none of them.
#ifndef WHITTLE_PKG_DPKG_H_
#define WHITTLE_PKG_DPKG_H_

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace whittle::pkg {

struct DpkgPackage {
  std::string name;
  std::string version;
  std::string arch;        // "amd64", "all", or "" when the stanza has none
  std::string status;      // "install ok installed"; "" in status.d
  std::string priority;    // "required", "important", "optional", ...
  bool essential = false;  // "Essential: yes"
  std::string multi_arch;  // "same", "foreign", "allowed" or ""
  // Relationship fields folded to one line, as written ("libc6 (>= 2.34), ...").
  std::string depends;
  std::string pre_depends;
  std::string recommends;
  size_t line = 0;  // 1-based line of the stanza in its file
};

/// Parses var/lib/dpkg/status. Returns only the packages whose files are on
/// disk: Status "<want> <flag> <state>" with state installed, unpacked,
/// half-configured, half-installed, triggers-awaited or triggers-pending
/// (dpkg(1) "Package states"); not-installed and config-files packages have
/// no files but conffiles and are dropped. So "install ok installed" and
/// "hold ok installed" are kept, "deinstall ok config-files" is not.
/// Errors (file:line:): malformed stanza syntax, a stanza without Package,
/// a Status that is not three words or names an unknown state, a body over
/// kMaxTextDbBytes.
Result<std::vector<DpkgPackage>> ParseDpkgStatus(std::string_view body, std::string_view file);

/// Parses one distroless var/lib/dpkg/status.d/NAME (or .../NAME/control)
/// body: normally one stanza, the .deb's control file. A stanza without a
/// Status field counts as installed; one with a Status follows the rules of
/// ParseDpkgStatus.
Result<std::vector<DpkgPackage>> ParseDpkgStatusD(std::string_view body, std::string_view file);

/// Parses var/lib/dpkg/info/*.list: one absolute path per line. Lines are
/// taken verbatim (paths may hold blanks) except a trailing '\r'; empty
/// lines are skipped; "/." (the root, listed by base-files) is dropped.
/// Errors: a line that is not absolute, a NUL byte, an oversized body.
Result<std::vector<std::string>> ParseDpkgFileList(std::string_view body, std::string_view file);

/// Parses an md5sums file (deb-md5sums(5)): "<32 hex digits>  <path>" per
/// line, the path relative to the root. Returns the absolute paths. One or
/// more blanks may separate the two, and md5sum's binary marker '*' is
/// accepted. Errors: a bad digest, a missing path, a path climbing above /.
Result<std::vector<std::string>> ParseDpkgMd5sums(std::string_view body, std::string_view file);

struct AptAutoInstalled {
  std::string name;
  std::string arch;  // "" when the stanza has no Architecture
};

/// Parses var/lib/apt/extended_states and returns the packages marked
/// "Auto-Installed: 1" (installed only as a dependency). Other stanzas
/// (Auto-Installed: 0) are skipped.
Result<std::vector<AptAutoInstalled>> ParseAptExtendedStates(std::string_view body, std::string_view file);

/// What a file under var/lib/dpkg/info names: "libc6:amd64.list" ->
/// {"libc6", "amd64", "list"}; "bash.md5sums" -> {"bash", "", "md5sums"}.
struct DpkgInfoName {
  std::string package;
  std::string arch;
  std::string extension;
};
/// Splits a dpkg info file's base name; false when it has no extension.
bool TrySplitDpkgInfoName(std::string_view base_name, DpkgInfoName* out);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_DPKG_H_
