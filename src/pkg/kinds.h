// Kinds: what a file's bytes are for (toolchain, package-cache, bytecode,
// docs, tests-examples, vcs, secret-like, logs-temp, runtime), decided by
// the rows of docs/kinds.md. That file is the single source of truth: the
// build embeds it (embed_file.cmake -> kinds_md.cc) and KindTable parses its
// table at first use; no rule lives in code.
//
// Matching is "first matching row wins" (row order is documented in
// docs/kinds.md), computed without trying every row: rows are compiled into
// hash maps by pattern type (prefix: one lookup per ancestor; component and
// exact name: one lookup per component; "*.ext" names: one lookup by
// extension) plus short lists for the remaining globs, which are only tried
// while they could still beat the best row found, each behind a literal
// pre-check. The smallest matching row index wins. No std::regex.
#ifndef WHITTLE_PKG_KINDS_H_
#define WHITTLE_PKG_KINDS_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "pkg/glob.h"
#include "util/status.h"

namespace whittle::pkg {

/// Every kind, in a fixed order (reports may sort by it). "runtime" is the
/// default for files no row matches.
const std::vector<std::string_view>& KindNames();
inline constexpr std::string_view kRuntimeKind = "runtime";

enum class KindPatternType { kPrefix, kComponent, kName, kPath, kPackage };

struct KindRow {
  std::string kind;
  KindPatternType type = KindPatternType::kPrefix;
  std::string pattern;
  std::string owner;  // "" = any file; else a glob over the owner label
  std::string note;
  size_t line = 0;  // 1-based line in the markdown
};

class KindTable {
 public:
  KindTable() = default;
  KindTable(KindTable&&) = default;
  KindTable& operator=(KindTable&&) = default;
  KindTable(const KindTable&) = delete;
  KindTable& operator=(const KindTable&) = delete;

  /// Parses the table whose header row is
  /// "| kind | type | pattern | owner | note |" in |markdown|. Cells are
  /// trimmed and one pair of backticks around a pattern or owner is
  /// dropped. Errors ("file:line: what"): no such table, a row with the
  /// wrong number of cells, an unknown kind or type, a pattern that does
  /// not fit its type (prefix and path patterns are absolute; component and
  /// name patterns hold no '/'; prefix patterns hold no wildcard and no
  /// trailing '/'; "**" only as a whole path component).
  static Result<KindTable> Parse(std::string_view markdown, std::string_view file);

  /// The table from docs/kinds.md as embedded at build time, parsed once
  /// (thread-safe). A parse error there is a build defect: it aborts with
  /// the message (kinds_test checks the embedded table parses).
  static const KindTable& BuiltIn();

  /// The kind of |path| (absolute, normalised) owned by the package
  /// labelled |owner| ("" or "[unowned]" when none). The view points into
  /// the table or a static string.
  std::string_view Classify(std::string_view path, std::string_view owner) const;

  /// The index of the first matching row, or -1 when none matches
  /// (runtime). For tests and `--explain`-style debugging.
  int MatchRow(std::string_view path, std::string_view owner) const;

  const std::vector<KindRow>& rows() const { return rows_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using RowMap = std::unordered_map<std::string, std::vector<int>, Hash, std::equal_to<>>;
  struct GlobRow {
    int row;
    PathGlob glob;     // kPath rows
    int literal = -1;  // index into literals_ of glob.longest_literal(), -1 if none
  };

  void Compile();
  /// The first package row matching |owner| (non-empty), or INT_MAX.
  int FirstPackageRow(std::string_view owner) const;
  bool OwnerOk(int row, std::string_view owner) const;
  void Consider(const std::vector<int>& rows, std::string_view owner, int* best) const;

  std::vector<KindRow> rows_;
  RowMap prefix_, component_, name_exact_, name_ext_;
  // Lengths of the prefix and component patterns (bit n: some pattern has n
  // bytes; n >= 64 all share bit 63): an ancestor or component of another
  // length cannot match, so it is never hashed.
  uint64_t prefix_lengths_ = 0, component_lengths_ = 0;
  std::vector<int> name_globs_;      // kName rows not in the maps, ascending
  std::vector<GlobRow> path_globs_;  // ascending by row
  // The distinct required literals of path_globs_: many globs share one
  // ("node_modules", "lib/python"), so each is searched once per path.
  std::vector<std::string> literals_;
  std::vector<int> package_rows_;  // ascending
};

/// KindTable::BuiltIn().Classify(path, owner_label).
std::string_view ClassifyKind(std::string_view path, std::string_view owner_label);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_KINDS_H_
