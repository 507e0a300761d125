// PackageGraph: the installed OS packages of an image and their
// relationships (Depends, Pre-Depends, Recommends from dpkg's status), for
// the findings that reason about packages: debugging tools and the
// dependencies nothing else needs, and the packages only --no-install-
// recommends would have skipped.
#ifndef WHITTLE_EXPLAIN_PACKAGE_GRAPH_H_
#define WHITTLE_EXPLAIN_PACKAGE_GRAPH_H_

#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sources/package_attribution.h"

namespace whittle::explain {

class PackageGraph {
 public:
  explicit PackageGraph(const std::vector<InstalledPackage>& installed);

  bool Has(std::string_view name) const { return by_name_.count(std::string(name)) > 0; }
  const InstalledPackage* Get(std::string_view name) const;
  /// Installed packages |name| depends on (Depends, Pre-Depends, and
  /// Recommends when |recommends|): for each alternative group "a | b", the
  /// installed members. Version constraints and ":any" are ignored.
  std::vector<std::string> DepsOf(std::string_view name, bool recommends) const;
  /// Every package reachable from |roots| (included) through DepsOf.
  std::set<std::string> Closure(const std::vector<std::string>& roots, bool recommends) const;
  /// Packages that were installed only to satisfy |removed|: installed
  /// automatically (apt's extended_states), not essential or required, and
  /// every installed package that depends on them (or recommends them) is
  /// in |removed| or in the result. Iterated to a fixpoint.
  std::set<std::string> OrphanedBy(const std::set<std::string>& removed) const;
  /// True when apt's extended_states was read (some package is marked).
  bool knows_auto() const { return knows_auto_; }
  const std::vector<InstalledPackage>& packages() const { return installed_; }

 private:
  const std::vector<InstalledPackage>& installed_;
  std::unordered_map<std::string, const InstalledPackage*> by_name_;
  // name -> installed packages that depend on / recommend it
  std::unordered_map<std::string, std::vector<std::string>> reverse_;
  bool knows_auto_ = false;
};

/// "libc6 (>= 2.34), libgcc-s1 | libgcc1, python3:any" -> {{"libc6"},
/// {"libgcc-s1", "libgcc1"}, {"python3"}}.
std::vector<std::vector<std::string>> ParseDependsField(std::string_view field);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_PACKAGE_GRAPH_H_
