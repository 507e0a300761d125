// Glob: the small, allocation-free wildcard matcher behind docs/kinds.md
// rows. No std::regex: a kinds table is matched against 10^6 paths.
//
//   * matches any run of characters within one path component (no '/')
//   ? matches one character other than '/'
//   ** as a whole component (path globs only) matches zero or more components
//
// Everything else is literal. A PathGlob precomputes its literal prefix and
// its longest literal run so most paths are rejected by one compare.
#ifndef WHITTLE_PKG_GLOB_H_
#define WHITTLE_PKG_GLOB_H_

#include <string>
#include <string_view>
#include <vector>

namespace whittle::pkg {

/// Matches |text| against a glob without '/' semantics ('*' also matches
/// '/'): for base names (which hold no '/') and package labels
/// ("go:example.com/app" matches "go:*").
bool MatchWildcard(std::string_view pattern, std::string_view text);

/// True if |s| holds '*' or '?'.
bool HasWildcard(std::string_view s);

/// A compiled absolute-path glob ("/usr/share/doc/*/examples/**",
/// "**/node_modules/*/test/**").
class PathGlob {
 public:
  /// |pattern| must start with '/' or "**/"; Compile fails otherwise.
  static bool Compile(std::string_view pattern, PathGlob* out);

  /// |components| are the path's components ("/a/b" -> {"a", "b"});
  /// |path| is the path itself (used for the literal pre-checks).
  bool Match(std::string_view path, const std::vector<std::string_view>& components) const;

  /// Match() without the literal pre-checks (for callers that ran them).
  bool MatchComponents(const std::vector<std::string_view>& components) const { return MatchFrom(0, components, 0); }

  const std::string& pattern() const { return pattern_; }
  /// A matching path starts with this ("" when the glob starts with "**").
  const std::string& literal_prefix() const { return literal_prefix_; }
  /// A matching path contains this ("" when there is no literal).
  const std::string& longest_literal() const { return longest_literal_; }

 private:
  bool MatchFrom(size_t pi, const std::vector<std::string_view>& comps, size_t ci) const;

  std::string pattern_;
  std::vector<std::string> parts_;  // components; "**" kept as is
  std::string literal_prefix_;      // chars before the first wildcard ("" for "**/...")
  std::string longest_literal_;     // longest wildcard-free run, '/'s included
};

/// Splits an absolute path into components, reusing |out|'s storage.
void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_GLOB_H_
