// LintConfig: which rules run, at what severity, and when `whittle lint`
// fails. Compatible with hadolint's configuration so existing files work:
//
//   .hadolint.yaml                       .whittle.yaml
//   ignored: [DL3009]                    lint:
//   override:                              ignored: [DL3009]
//     error: [DL3015]                      override: {error: [DL3015]}
//     warning: [...]  info: [...]          failure-threshold: warning
//     style: [...]                         trustedRegistries: [docker.io]
//   failure-threshold: warning
//   trustedRegistries: [docker.io]
//
// Inline pragmas (InlineIgnores): `# hadolint ignore=DL3009,DL3015` and
// `# whittle ignore=WS001` on the comment lines right before an instruction
// silence those ids on that instruction; `# hadolint global ignore=...` (or
// `# whittle global ignore=...`) anywhere silences them in the whole file.
//
// Unknown keys are ignored (hadolint has more: label-schema, strict-labels,
// no-fail...). Unknown rule ids in lists are accepted (ids of rules whittle
// does not implement must not break a shared hadolint config).
#ifndef WHITTLE_LINT_LINT_CONFIG_H_
#define WHITTLE_LINT_LINT_CONFIG_H_

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lint/ast.h"
#include "lint/rules/rule.h"
#include "util/status.h"

namespace whittle::lint {

struct LintConfig {
  std::set<std::string> ignored;
  std::map<std::string, Severity> overrides;
  Severity failure_threshold = Severity::kInfo;  // hadolint's default
  std::vector<std::string> trusted_registries;
  std::string source;  // file the config came from, "" for defaults

  /// Applies hadolint-style keys from |j| (an object) on top of this config.
  /// |name| names the file in errors: "NAME: override.error: expected a list".
  Status Merge(const nlohmann::json& j, std::string_view name);

  /// The severity |code| is reported at (override, else the rule's default).
  Severity SeverityOf(std::string_view code, Severity rule_default) const;
};

/// Loads a config file. A file with a top-level `lint:` mapping (a
/// .whittle.yaml) uses that section; otherwise the top level is read as
/// hadolint keys. An empty file gives the defaults.
Result<LintConfig> LoadLintConfig(const std::string& path);
/// The same from a document already parsed (ParseYaml) out of file |path|.
Result<LintConfig> LintConfigFromDocument(const nlohmann::json& doc, const std::string& path);

/// Finds the config when no -c is given: ./.whittle.yaml, then
/// ./.hadolint.yaml, then ./.hadolint.yml (in |dir|). Returns the defaults
/// when none exists; an error when one exists but is invalid.
Result<LintConfig> DiscoverLintConfig(const std::string& dir);

/// Ids silenced by inline pragmas.
struct InlineIgnores {
  std::set<std::string> global;
  /// instruction index -> ids silenced on that instruction.
  std::map<size_t, std::set<std::string>> per_instruction;

  bool Ignores(std::string_view code, size_t instruction) const;
};

InlineIgnores ReadInlineIgnores(const Dockerfile& df);

/// Parses one comment's text (after '#', trimmed): "hadolint ignore=DL1,DL2".
/// Returns false if it is not an ignore pragma.
bool ParseIgnorePragma(std::string_view comment, bool* global, std::vector<std::string>* ids);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_LINT_CONFIG_H_
