// Node packages in node_modules trees. npm (and yarn, pnpm's hoisted
// layout) installs each package into its own directory,
// .../node_modules/NAME or .../node_modules/@SCOPE/NAME, with a package.json
// at its top; a package's own dependencies that could not be hoisted sit in
// a nested .../node_modules/NAME/node_modules/DEP. So:
//
//   * a package owns every path under its directory,
//   * except the subtrees of packages nested inside it: the innermost
//     package directory containing a path is its owner;
//   * package.json files elsewhere are not packages: an application's own
//     /app/package.json, and the {"type": "module"} markers many packages
//     keep in subdirectories (node_modules/x/esm/package.json) are not
//     package roots;
//   * paths in a node_modules directory that belong to no package in it
//     (node_modules/.bin/, node_modules/.package-lock.json) belong to the
//     package containing that node_modules directory, if any.
//
// pnpm's store layout (node_modules/.pnpm/NAME@VER/node_modules/NAME) fits
// the same rule: the package root is still .../node_modules/NAME.
#ifndef WHITTLE_PKG_NODE_PACKAGES_H_
#define WHITTLE_PKG_NODE_PACKAGES_H_

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "util/status.h"

namespace whittle::pkg {

struct NodePackageJson {
  std::string name;     // "" when the file has no "name"
  std::string version;  // "" when the file has no "version"
};

/// Reads "name" and "version" from a package.json body. Errors: not JSON,
/// not an object, a non-string name/version, an oversized body
/// (kMaxPackageJsonBytes).
Result<NodePackageJson> ParsePackageJson(std::string_view body, std::string_view file);

/// If |package_json_path| (absolute, normalised) is a package root's
/// package.json, .../node_modules/NAME/package.json or
/// .../node_modules/@SCOPE/NAME/package.json, returns true and sets |dir|
/// to the package directory and |dir_name| to "NAME" or "@SCOPE/NAME".
bool TryNodePackageDir(std::string_view package_json_path, std::string* dir, std::string* dir_name);

/// The innermost-package map. Not thread-safe for Add; Find is const.
class NodePackageTree {
 public:
  struct Entry {
    std::string dir;   // absolute package directory
    std::string name;  // package.json "name", else the directory name
  };

  /// Registers the package whose package.json is at |package_json_path|
  /// with the "name" field |name| ("" -> the directory name). Returns false
  /// (and registers nothing) when the path is not a package root (see
  /// TryNodePackageDir). A second registration of the same directory keeps
  /// the first.
  bool Add(std::string_view package_json_path, std::string_view name);

  /// The innermost registered package whose directory contains |path|
  /// (absolute, normalised; the directory itself counts), or nullptr.
  /// Cost: one hash lookup per ancestor below the deepest "node_modules",
  /// and nothing at all for paths without "/node_modules/".
  const Entry* Find(std::string_view path) const;

  size_t size() const { return entries_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::vector<Entry> entries_;
  // Package dir -> index in entries_; heterogeneous lookup by string_view.
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> by_dir_;
};

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_NODE_PACKAGES_H_
