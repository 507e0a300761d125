// OwnershipIndex: "which package owns path P", for every tar entry of an
// image (10^5-10^6 lookups), from the package databases found in it.
//
// Claims and precedence. Four kinds of claim, tried in this order; the
// first that answers wins:
//
//   1. an exact path listed by a language package manager's file list
//      (pip RECORD / installed-files.txt): pip:NAME
//   2. an exact path listed by an OS package database (dpkg .list or
//      md5sums, apk installed, rpm headers): deb:/apk:/rpm:NAME
//   3. the innermost node_modules package directory containing the path
//      (node_packages.h): npm:NAME
//   4. the path of a binary carrying Go build info: go:MODULE
//   otherwise [unowned].
//
// Why this order: a file list names a file outright, so it beats a
// directory-subtree rule (3) and a fact read from the file itself (4). When
// pip and dpkg both list a path, pip wrote it last (pip installs over
// distribution files, never the reverse: `apt` refuses, and dpkg does not
// track pip), and its package is the more specific one: numpy's files in a
// deb-owned dist-packages directory are numpy's. An npm package directory
// that an OS package installed (Debian's npm) stays with the OS package.
// A Go binary that dpkg, pip or npm installed (esbuild's binary inside
// node_modules/@esbuild/linux-x64) keeps that package's label: "go:" is for
// the static binaries copied in by hand that no database lists.
//
// Directories are not owners. dpkg, apk and rpm list directories as well as
// files, and many packages list the same ones (/usr, /usr/bin). A path
// claimed by two different labels of the same rank (1 or 2) is "shared":
// that rank gives it no owner, and lookup goes on to the next rank. So
// /usr/bin is [unowned] while /usr/lib/gcc/x86_64-linux-gnu/12, which only
// gcc-12 lists, is deb:gcc-12. (Two packages of one name, libc6:amd64 and
// libc6:i386, share a label and do not conflict.) A file is never a
// directory's owner either: a claim covers its exact path, never what is
// below it, except rule 3.
//
// Paths are absolute and normalised (util/strings.h NormalizePath), as the
// scan interns them. Not thread-safe while adding; lookups are const and
// may run in parallel once adding is done.
#ifndef WHITTLE_PKG_OWNERSHIP_H_
#define WHITTLE_PKG_OWNERSHIP_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pkg/node_packages.h"
#include "pkg/package.h"
#include "pkg/python_dist.h"

namespace whittle::pkg {

/// A dense id for an owner label; kNoOwner for none.
using OwnerId = uint32_t;
inline constexpr OwnerId kNoOwner = 0xffffffffu;

class OwnershipIndex {
 public:
  OwnershipIndex() = default;
  OwnershipIndex(const OwnershipIndex&) = delete;
  OwnershipIndex& operator=(const OwnershipIndex&) = delete;
  OwnershipIndex(OwnershipIndex&&) = default;
  OwnershipIndex& operator=(OwnershipIndex&&) = default;

  /// Adds an exact-path claim for every path of |pkg|, labelled
  /// PackageLabel(eco, pkg.name) (for kPip pass the normalised name).
  /// eco must be kDeb, kApk, kRpm (rank 2) or kPip (rank 1).
  void AddPackage(Ecosystem eco, const Package& pkg);
  /// Same, from a name and a path list.
  void AddPaths(Ecosystem eco, std::string_view name, const std::vector<std::string>& paths);
  /// AddPaths for the paths |keep| accepts only: a caller that will ask about
  /// a known set of paths indexes just those (the claims of the others
  /// cannot change any answer it gets, so the result is the same).
  /// |keep| gets each path's index in |paths|.
  void AddPathsIf(Ecosystem eco, std::string_view name, const std::vector<std::string>& paths,
                  const std::function<bool(size_t index)>& keep);
  /// A pip distribution, labelled pip:<PEP 503 name> (python_dist.h).
  void AddPythonDist(const PythonDist& dist) { AddPaths(Ecosystem::kPip, dist.normalized_name, dist.package.paths); }

  /// Adds the node package whose package.json is at |package_json_path|
  /// (see NodePackageTree::Add); false when that is not a package root.
  bool AddNodePackage(std::string_view package_json_path, std::string_view name);

  /// Adds a Go binary at |path| built from |module| (GoBuildInfo::module_label()).
  void AddGoBinary(std::string_view path, std::string_view module);

  /// The owner of |path| by the rules above, or kNoOwner.
  OwnerId Find(std::string_view path) const;
  /// The label of |id| ("deb:gcc-12"); kUnownedLabel for kNoOwner. The view
  /// lives as long as the index.
  std::string_view label(OwnerId id) const;
  /// label(Find(path)).
  std::string_view Lookup(std::string_view path) const { return label(Find(path)); }

  /// Distinct exact paths claimed (all ranks).
  size_t claimed_paths() const { return claims_.size(); }
  size_t owners() const { return labels_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Per exact path: the owner at each rank; kShared when several labels of
  // one rank claim it.
  static constexpr OwnerId kShared = 0xfffffffeu;
  struct Claim {
    OwnerId lang = kNoOwner;  // rank 1 (pip)
    OwnerId os = kNoOwner;    // rank 2 (deb, apk, rpm)
    OwnerId go = kNoOwner;    // rank 4
  };

  OwnerId InternLabel(std::string label);
  std::string_view Store(std::string_view s);
  Claim& ClaimFor(std::string_view path);
  static void Merge(OwnerId* slot, OwnerId id);

  std::vector<std::string_view> labels_;  // views into arena_
  std::unordered_map<std::string_view, OwnerId> label_ids_;
  // Chunked string storage: a chunk never reallocates, so views stay valid
  // (the same scheme as util/interner.h, without its mutex).
  std::deque<std::string> arena_;
  std::unordered_map<std::string_view, Claim, Hash, std::equal_to<>> claims_;
  NodePackageTree node_;
  // Node package directory -> its npm: label.
  std::unordered_map<std::string_view, OwnerId, Hash, std::equal_to<>> node_dir_owner_;
};

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_OWNERSHIP_H_
