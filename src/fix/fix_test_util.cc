#include "fix/fix_test_util.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "fix/rewrite.h"
#include "lint/dockerfile_parser.h"
#include "lint/linter.h"
#include "util/strings.h"

namespace whittle::fix::testing {
namespace {

std::vector<lint::Finding> Findings(const std::string& text, const std::string& name) {
  auto df = lint::ParseDockerfile(text, name);
  if (!df.has_value()) return {};
  lint::LintOptions opt;
  opt.use_context = false;
  auto f = lint::LintParsed(*df, opt, lint::ContextFacts());
  if (!f.has_value()) return {};
  return *f;
}

// Every command every RUN runs, in build order, as "NAME=v argv0 argv1...",
// without the options and cleanup commands the rewrites add; a RUN the
// splitter cannot read counts as its raw text. Merges must keep this
// sequence, and in-RUN rewrites only add what is dropped here.
std::vector<std::string> CommandSequence(const std::string& text, const std::string& name) {
  std::vector<std::string> out;
  auto df = lint::ParseDockerfile(text, name);
  if (!df.has_value()) return out;
  auto ctx = lint::RuleContext::Build(*df, "", lint::ContextFacts());
  if (!ctx.has_value()) return out;
  static const std::set<std::string> kAddedOptions = {"--no-install-recommends", "--no-cache", "--no-cache-dir"};
  static const std::set<std::string> kAddedCommands = {
      "rm -rf /var/lib/apt/lists/*", "yum clean all", "dnf clean all", "dnf5 clean all", "microdnf clean all",
      "zypper clean --all", "yarn cache clean", "npm cache clean --force"};
  for (size_t i = 0; i < df->instructions.size(); ++i) {
    const lint::RunFacts* run = ctx->Run(i);
    if (run == nullptr) continue;
    if (!run->certain || df->instructions[i].is_exec_form()) {
      out.push_back("raw: " + CollapseWhitespace(df->instructions[i].line));
      continue;
    }
    for (const lint::ShellCommand& c : run->script.commands) {
      if (c.nested != 0) continue;
      std::string words;
      for (const std::string& e : c.env) words += e + " ";
      for (const std::string& a : c.argv) {
        if (kAddedOptions.count(a) == 0) words += a + " ";
      }
      if (!words.empty()) words.pop_back();
      if (kAddedCommands.count(words) == 0) out.push_back(words);
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> LintLines(const std::string& text) {
  auto df = lint::ParseDockerfile(text, "Dockerfile");
  if (!df.has_value()) return {"parse error: " + df.error().message()};
  std::vector<std::string> out;
  for (const lint::Finding& f : Findings(text, "Dockerfile")) {
    out.push_back(StrFormat("%d:%d %s", f.line, f.column, f.code.c_str()));
  }
  return out;
}

Result<FixResult> CheckRoundTrip(const std::string& name, const std::string& text, const FixOptions& options_in) {
  FixOptions options = options_in;
  options.lint.use_context = false;
  auto before_df = lint::ParseDockerfile(text, name);
  Result<FixResult> r = FixText(text, name, options);
  if (!before_df.has_value()) {
    EXPECT_FALSE(r.has_value()) << name;
    if (!r.has_value()) {
      EXPECT_EQ(r.error().message(), before_df.error().message()) << name;
    }
    return r;
  }
  EXPECT_TRUE(r.has_value()) << name << ": " << (r.has_value() ? "" : r.error().message());
  if (!r.has_value()) return r;
  auto after_df = lint::ParseDockerfile(r->text, name);
  EXPECT_TRUE(after_df.has_value()) << name << ": the fixed text does not parse\n" << r->text;
  if (!after_df.has_value()) return r;

  std::multiset<std::pair<std::string, int>> before, after;
  for (const lint::Finding& f : Findings(text, name)) before.insert({f.code, f.line});
  for (const lint::Finding& f : Findings(r->text, name)) after.insert({f.code, r->OriginalLine(f.line, f.column)});
  // No new finding (multiset inclusion).
  {
    auto b = before;
    for (const auto& a : after) {
      auto it = b.find(a);
      EXPECT_NE(it, b.end()) << name << ": new finding " << a.first << " at input line " << a.second << "\n"
                             << r->text;
      if (it != b.end()) b.erase(it);
    }
  }
  // Every selected fixable finding is fixed or refused.
  std::set<std::pair<std::string, int>> refused;
  for (const Refusal& x : r->refusals) {
    EXPECT_FALSE(x.why.empty()) << name;
    refused.insert({x.id, x.line});
  }
  for (const auto& b : before) {
    if (FindRewrite(b.first) == nullptr) continue;
    if (!options.only.empty() && options.only.count(b.first) == 0) continue;
    if (options.skip.count(b.first) != 0) continue;
    if (after.count(b) < before.count(b)) continue;  // fixed
    EXPECT_TRUE(refused.count(b)) << name << ": " << b.first << " at line " << b.second
                                  << " neither fixed nor refused\n" << r->text;
  }
  EXPECT_EQ(CommandSequence(r->text, name), CommandSequence(text, name))
      << name << ": the commands the RUNs run changed\n" << r->text;
  if (!r->changed) {
    EXPECT_EQ(r->text, text) << name;
    EXPECT_TRUE(r->applied.empty()) << name;
  } else {
    EXPECT_FALSE(r->applied.empty()) << name;
  }
  // Idempotence.
  Result<FixResult> again = FixText(r->text, name, options);
  EXPECT_TRUE(again.has_value()) << name;
  if (again.has_value()) {
    EXPECT_FALSE(again->changed) << name << ": fixing twice changed it again\n" << r->text << "\n---\n" << again->text;
    EXPECT_EQ(again->text, r->text) << name;
  }
  return r;
}

std::string Notes(const FixResult& r) {
  std::string out;
  for (const AppliedRewrite& a : r.applied) out += StrFormat("%d: %s fixed: %s\n", a.line, a.id.c_str(), a.summary.c_str());
  for (const Refusal& x : r.refusals) out += StrFormat("%d: %s not fixed: %s\n", x.line, x.id.c_str(), x.why.c_str());
  for (const Suggestion& s : r.suggestions) out += StrFormat("%d: %s suggestion: %s\n", s.line, s.id.c_str(), s.text.c_str());
  return out;
}

}  // namespace whittle::fix::testing
