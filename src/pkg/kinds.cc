#include "pkg/kinds.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "pkg/package.h"
#include "util/strings.h"

namespace whittle::pkg {

// Generated at build time from docs/kinds.md (embed_file.cmake).
extern const unsigned char kKindsMarkdown[];
extern const size_t kKindsMarkdownSize;

namespace {

std::string_view Unquote(std::string_view s) {
  s = TrimWhitespace(s);
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') s = s.substr(1, s.size() - 2);
  return s;
}

// Splits "| a | b |" into {"a", "b"} (trimmed); false if not a table row.
bool SplitRow(std::string_view line, std::vector<std::string_view>* cells) {
  line = TrimWhitespace(line);
  if (line.size() < 2 || line.front() != '|' || line.back() != '|') return false;
  line = line.substr(1, line.size() - 2);
  cells->clear();
  for (std::string_view c : Split(line, '|')) cells->push_back(TrimWhitespace(c));
  return true;
}

bool ParseType(std::string_view s, KindPatternType* t) {
  static const std::pair<std::string_view, KindPatternType> kTypes[] = {{"prefix", KindPatternType::kPrefix},
                                                                        {"component", KindPatternType::kComponent},
                                                                        {"name", KindPatternType::kName},
                                                                        {"path", KindPatternType::kPath},
                                                                        {"package", KindPatternType::kPackage}};
  for (const auto& [name, type] : kTypes) {
    if (s == name) {
      *t = type;
      return true;
    }
  }
  return false;
}

thread_local std::vector<std::string_view> tls_components;
thread_local std::vector<uint8_t> tls_literal_seen;

}  // namespace

const std::vector<std::string_view>& KindNames() {
  static const std::vector<std::string_view> kNames = {
      "toolchain", "package-cache", "bytecode", "docs", "tests-examples", "vcs", "secret-like", "logs-temp", "runtime"};
  return kNames;
}

Result<KindTable> KindTable::Parse(std::string_view markdown, std::string_view file_view) {
  const std::string file(file_view);
  std::vector<std::string_view> lines = Split(markdown, '\n');
  std::vector<std::string_view> cells;
  size_t i = 0;
  for (; i < lines.size(); ++i) {
    if (SplitRow(lines[i], &cells) && cells.size() == 5 && cells[0] == "kind" && cells[1] == "type" &&
        cells[2] == "pattern" && cells[3] == "owner" && cells[4] == "note") {
      break;
    }
  }
  if (i == lines.size()) {
    return Error(Errc::kCorrupt, StrFormat("%s: no '| kind | type | pattern | owner | note |' table", file.c_str()));
  }
  i += 2;  // header and |---| separator
  KindTable table;
  for (; i < lines.size(); ++i) {
    const size_t n = i + 1;
    if (!SplitRow(lines[i], &cells)) break;  // the table ends at the first non-row line
    auto fail = [&](const std::string& what) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: %s", file.c_str(), n, what.c_str()));
    };
    if (cells.size() != 5) return fail(StrFormat("expected 5 cells, got %zu", cells.size()));
    KindRow row;
    row.line = n;
    row.kind = std::string(cells[0]);
    if (std::find(KindNames().begin(), KindNames().end(), row.kind) == KindNames().end()) {
      return fail("unknown kind '" + row.kind + "'");
    }
    if (!ParseType(cells[1], &row.type)) return fail("unknown pattern type '" + std::string(cells[1]) + "'");
    row.pattern = std::string(Unquote(cells[2]));
    row.owner = std::string(Unquote(cells[3]));
    row.note = std::string(cells[4]);
    const std::string& p = row.pattern;
    if (p.empty()) return fail("empty pattern");
    switch (row.type) {
      case KindPatternType::kPrefix:
        if (p[0] != '/' || p.size() < 2 || p.back() == '/' || HasWildcard(p) || NormalizePath(p) != p) {
          return fail("a prefix is an absolute, normalised path without wildcards: '" + p + "'");
        }
        break;
      case KindPatternType::kComponent:
        if (p.find('/') != std::string::npos || HasWildcard(p)) {
          return fail("a component is one literal name: '" + p + "'");
        }
        break;
      case KindPatternType::kName:
        if (p.find('/') != std::string::npos) return fail("a name pattern holds no '/': '" + p + "'");
        break;
      case KindPatternType::kPath: {
        PathGlob g;
        if (!PathGlob::Compile(p, &g)) {
          return fail("a path glob starts with '/' or '**/' and uses '**' only as a whole component: '" + p + "'");
        }
        break;
      }
      case KindPatternType::kPackage:
        if (p.find(':') == std::string::npos) return fail("a package pattern is a label glob like 'deb:*-dev'");
        break;
    }
    table.rows_.push_back(std::move(row));
  }
  if (table.rows_.empty()) return Error(Errc::kCorrupt, StrFormat("%s: the kinds table has no rows", file.c_str()));
  table.Compile();
  return table;
}

namespace {
uint64_t LengthBit(size_t n) { return uint64_t{1} << (n < 63 ? n : 63); }
}  // namespace

void KindTable::Compile() {
  for (size_t i = 0; i < rows_.size(); ++i) {
    const KindRow& r = rows_[i];
    const int idx = static_cast<int>(i);
    switch (r.type) {
      case KindPatternType::kPrefix:
        prefix_[r.pattern].push_back(idx);
        prefix_lengths_ |= LengthBit(r.pattern.size());
        break;
      case KindPatternType::kComponent:
        component_[r.pattern].push_back(idx);
        component_lengths_ |= LengthBit(r.pattern.size());
        break;
      case KindPatternType::kName:
        if (!HasWildcard(r.pattern)) {
          name_exact_[r.pattern].push_back(idx);
        } else if (r.pattern.size() > 1 && r.pattern[0] == '*' && r.pattern[1] == '.' &&
                   !HasWildcard(std::string_view(r.pattern).substr(1)) &&
                   std::string_view(r.pattern).substr(2).find('.') == std::string_view::npos) {
          name_ext_[r.pattern.substr(1)].push_back(idx);  // "*.pyc" -> ".pyc"
        } else {
          name_globs_.push_back(idx);
        }
        break;
      case KindPatternType::kPath: {
        GlobRow g{idx, {}, -1};
        PathGlob::Compile(r.pattern, &g.glob);  // validated by Parse
        const std::string& lit = g.glob.longest_literal();
        if (!lit.empty()) {
          auto it = std::find(literals_.begin(), literals_.end(), lit);
          g.literal = static_cast<int>(it - literals_.begin());
          if (it == literals_.end()) literals_.push_back(lit);
        }
        path_globs_.push_back(std::move(g));
        break;
      }
      case KindPatternType::kPackage:
        package_rows_.push_back(idx);
        break;
    }
  }
}

bool KindTable::OwnerOk(int row, std::string_view owner) const {
  const std::string& want = rows_[static_cast<size_t>(row)].owner;
  if (want.empty()) return true;
  return !owner.empty() && MatchWildcard(want, owner);
}

void KindTable::Consider(const std::vector<int>& rows, std::string_view owner, int* best) const {
  for (int r : rows) {  // ascending
    if (r >= *best) return;
    if (OwnerOk(r, owner)) {
      *best = r;
      return;
    }
  }
}

int KindTable::FirstPackageRow(std::string_view owner) const {
  for (int r : package_rows_) {
    const std::string& p = rows_[static_cast<size_t>(r)].pattern;
    // Cheap rejections first: the literal text before the first and after
    // the last wildcard must be the label's prefix and suffix.
    size_t first = p.find_first_of("*?");
    size_t last = p.find_last_of("*?");
    if (first == std::string::npos) {
      if (p != owner) continue;
    } else if (owner.compare(0, first, p, 0, first) != 0 ||
               (last + 1 < p.size() && !EndsWith(owner, std::string_view(p).substr(last + 1))) ||
               !MatchWildcard(p, owner)) {
      continue;
    }
    if (OwnerOk(r, owner)) return r;
  }
  return INT_MAX;
}

int KindTable::MatchRow(std::string_view path, std::string_view owner) const {
  if (owner == kUnownedLabel) owner = {};
  int best = INT_MAX;
  std::vector<std::string_view>& comps = tls_components;
  SplitPathComponents(path, &comps);

  // Prefixes: every ancestor, and the path itself.
  if (!prefix_.empty()) {
    for (size_t i = 1; i <= path.size(); ++i) {
      if ((i == path.size() || path[i] == '/') && (prefix_lengths_ & LengthBit(i)) != 0) {
        auto it = prefix_.find(path.substr(0, i));
        if (it != prefix_.end()) Consider(it->second, owner, &best);
      }
    }
  }
  for (std::string_view c : comps) {
    if ((component_lengths_ & LengthBit(c.size())) == 0) continue;
    auto it = component_.find(c);
    if (it != component_.end()) Consider(it->second, owner, &best);
  }
  std::string_view base = comps.empty() ? std::string_view() : comps.back();
  if (auto it = name_exact_.find(base); it != name_exact_.end()) Consider(it->second, owner, &best);
  if (size_t dot = base.rfind('.'); dot != std::string_view::npos) {
    if (auto it = name_ext_.find(base.substr(dot)); it != name_ext_.end()) Consider(it->second, owner, &best);
  }
  for (int r : name_globs_) {
    if (r >= best) break;
    if (MatchWildcard(rows_[static_cast<size_t>(r)].pattern, base) && OwnerOk(r, owner)) best = r;
  }
  // Per-path cache of "does the path contain literals_[i]": 0 unknown,
  // 1 yes, 2 no.
  std::vector<uint8_t>& seen = tls_literal_seen;
  seen.assign(literals_.size(), 0);
  for (const GlobRow& g : path_globs_) {
    if (g.row >= best) break;
    const std::string& prefix = g.glob.literal_prefix();
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    if (g.literal >= 0) {
      uint8_t& s = seen[static_cast<size_t>(g.literal)];
      if (s == 0) s = path.find(literals_[static_cast<size_t>(g.literal)]) != std::string_view::npos ? 1 : 2;
      if (s == 2) continue;
    }
    if (g.glob.MatchComponents(comps) && OwnerOk(g.row, owner)) best = g.row;
  }
  if (!owner.empty() && !package_rows_.empty() && package_rows_.front() < best) {
    // An image has a few thousand owners and each is asked about many
    // times: remember every owner's answer (per thread, per table).
    thread_local const KindTable* memo_table = nullptr;
    thread_local std::unordered_map<std::string, int, Hash, std::equal_to<>> memo;
    if (memo_table != this) {
      memo.clear();
      memo_table = this;
    }
    auto it = memo.find(owner);
    if (it == memo.end()) it = memo.emplace(std::string(owner), FirstPackageRow(owner)).first;
    if (it->second < best) best = it->second;
  }
  return best == INT_MAX ? -1 : best;
}

std::string_view KindTable::Classify(std::string_view path, std::string_view owner) const {
  int r = MatchRow(path, owner);
  return r < 0 ? kRuntimeKind : std::string_view(rows_[static_cast<size_t>(r)].kind);
}

const KindTable& KindTable::BuiltIn() {
  static const KindTable* table = [] {
    std::string_view md(reinterpret_cast<const char*>(kKindsMarkdown), kKindsMarkdownSize);
    Result<KindTable> t = Parse(md, "docs/kinds.md");
    if (!t.has_value()) {
      std::fprintf(stderr, "whittle: internal error: embedded %s\n", t.error().message().c_str());
      std::abort();
    }
    return new KindTable(std::move(*t));  // lives as long as the process
  }();
  return *table;
}

std::string_view ClassifyKind(std::string_view path, std::string_view owner_label) {
  return KindTable::BuiltIn().Classify(path, owner_label);
}

}  // namespace whittle::pkg
