#include "lint/linter.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>

#include "lint/dockerfile_parser.h"
#include "util/file_util.h"
#include "util/strings.h"

namespace whittle::lint {
namespace {

bool IsRegularFile(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// "FILE:LINE: message" -> LINE (0 when the message has no line).
int LineOfError(const std::string& msg, const std::string& path) {
  if (!StartsWith(msg, path + ":")) return 0;
  size_t i = path.size() + 1;
  int line = 0;
  while (i < msg.size() && msg[i] >= '0' && msg[i] <= '9' && line < 100000000) line = line * 10 + (msg[i++] - '0');
  return (i < msg.size() && msg[i] == ':') ? line : 0;
}

std::string DirName(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  if (s == 0) return "/";
  return p.substr(0, s);
}

}  // namespace

bool DockerignoreExcludesGit(std::string_view content) {
  bool excluded = false;
  for (std::string_view raw : Split(content, '\n')) {
    std::string_view line = TrimWhitespace(raw);
    if (line.empty() || line[0] == '#') continue;
    bool negate = false;
    if (line[0] == '!') {
      negate = true;
      line = TrimWhitespace(line.substr(1));
    }
    std::string p(line);
    // Docker cleans patterns (filepath.Clean) and drops a leading "/" or "./".
    while (StartsWith(p, "/")) p.erase(0, 1);
    while (StartsWith(p, "./")) p.erase(0, 2);
    while (p.size() > 1 && p.back() == '/') p.pop_back();
    if (p.empty()) continue;
    // `**/` matches zero or more directories: at the top level, none.
    while (StartsWith(p, "**/")) p.erase(0, 3);
    bool match = p == "**" || fnmatch(p.c_str(), ".git", FNM_PATHNAME) == 0 ||
                 // Excluding everything inside .git keeps its bytes out too.
                 (StartsWith(p, ".git/") && (p == ".git/*" || p == ".git/**"));
    if (match) excluded = !negate;
  }
  return excluded;
}

ContextFacts ReadContextFacts(const std::string& dockerfile_path, const std::string& context_dir) {
  ContextFacts f;
  f.known = true;
  std::string ctx = context_dir.empty() ? DirName(dockerfile_path) : context_dir;
  std::string candidates[2] = {dockerfile_path + ".dockerignore", ctx + "/.dockerignore"};
  for (const std::string& c : candidates) {
    if (!IsRegularFile(c)) continue;
    auto text = ReadFileToString(c, kMaxDockerfileBytes);
    if (!text) continue;
    f.dockerignore = c;
    f.excludes_git = DockerignoreExcludesGit(*text);
    break;
  }
  return f;
}

Result<std::vector<Finding>> LintParsed(const Dockerfile& df, const LintOptions& options, ContextFacts facts) {
  facts.trusted_registries = options.config.trusted_registries;
  ASSIGN_OR_RETURN(RuleContext ctx, RuleContext::Build(df, options.target, std::move(facts)));
  InlineIgnores inline_ignores = ReadInlineIgnores(df);
  std::vector<Finding> all;
  for (const Rule& r : AllRules()) {
    if (options.config.ignored.count(r.code)) continue;
    if (inline_ignores.global.count(r.code)) continue;
    Severity sev = options.config.SeverityOf(r.code, r.severity);
    if (sev == Severity::kNone) continue;
    size_t first = all.size();
    r.check(ctx, &all);
    for (size_t k = first; k < all.size(); ++k) all[k].severity = sev;
  }
  std::vector<Finding> kept;
  kept.reserve(all.size());
  for (Finding& f : all) {
    if (f.instruction != Finding::kNoInstruction && inline_ignores.Ignores(f.code, f.instruction)) continue;
    kept.push_back(std::move(f));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Finding& a, const Finding& b) {
    if (a.line != b.line) return a.line < b.line;
    if (a.column != b.column) return a.column < b.column;
    return a.code < b.code;
  });
  return kept;
}

FileReport LintText(std::string_view text, const std::string& path, const LintOptions& options) {
  FileReport rep;
  rep.path = path;
  Result<Dockerfile> df = ParseDockerfile(text, path);
  if (!df.has_value()) {
    rep.error = df.error();
    rep.error_line = LineOfError(rep.error.message(), path);
    return rep;
  }
  ContextFacts facts;
  if (options.use_context && path != "-") facts = ReadContextFacts(path, options.context_dir);
  Result<std::vector<Finding>> f = LintParsed(*df, options, std::move(facts));
  if (!f.has_value()) {
    rep.error = f.error();
    return rep;
  }
  rep.findings = std::move(*f);
  return rep;
}

FileReport LintFile(const std::string& path, const LintOptions& options) {
  auto text = ReadFileToString(path, kMaxDockerfileBytes);
  if (!text) {
    FileReport rep;
    rep.path = path;
    rep.error = text.error();
    return rep;
  }
  return LintText(*text, path, options);
}

bool AnyReaches(const std::vector<FileReport>& reports, Severity threshold) {
  for (const FileReport& r : reports) {
    for (const Finding& f : r.findings) {
      if (ReachesThreshold(f.severity, threshold)) return true;
    }
  }
  return false;
}

}  // namespace whittle::lint
