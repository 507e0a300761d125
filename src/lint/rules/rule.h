// The lint rule table: severities, findings, and the list of every rule
// whittle knows with its stable id.
//
// Ids: hadolint's (DLxxxx) where the rule is the same, so existing ignore
// lists and overrides keep working; whittle's own are "WS" + three digits,
// never renumbered. Each rule is documented in docs/rules.md.
//
// What it is not: the rules' logic (rules/*.cc) or their configuration
// (lint_config.h). A rule is a plain function over a RuleContext
// (rules/context.h) that appends Findings.
#ifndef WHITTLE_LINT_RULES_RULE_H_
#define WHITTLE_LINT_RULES_RULE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::lint {

/// Ordered from most to least severe; kNone means "never reported".
enum class Severity { kError = 0, kWarning = 1, kInfo = 2, kStyle = 3, kNone = 4 };

/// "error", "warning", "info", "style", "none".
const char* SeverityName(Severity s);
/// Parses the names above (also "ignore" = none, as hadolint accepts).
std::optional<Severity> ParseSeverity(std::string_view s);
/// True when |s| is at least as severe as |threshold| (and neither is none).
bool ReachesThreshold(Severity s, Severity threshold);

struct Finding {
  std::string code;  // "DL3009", "WS002"
  Severity severity = Severity::kInfo;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
  std::string message;
  /// The instruction the finding is about (index in Dockerfile::instructions)
  /// for inline `# hadolint ignore=` pragmas; kNoInstruction if none.
  size_t instruction = kNoInstruction;

  static constexpr size_t kNoInstruction = static_cast<size_t>(-1);
};

/// Which stages a rule looks at (see RuleContext::StageRole).
enum class RuleScope {
  kShipping,  // only stages whose layers end up in the target image
  kBuilt,     // every stage the target build executes (shipping or not)
  kFile,      // every stage of the file, built or not: policy rules, and
              // WS009 (BuildKit refuses the whole file)
};

class RuleContext;
using RuleCheck = void (*)(const RuleContext& ctx, std::vector<Finding>* out);

struct Rule {
  const char* code;
  Severity severity;    // default, before `override:` in the config
  RuleScope scope;
  const char* title;    // one line, for SARIF rule metadata and docs
  RuleCheck check;
};

/// Every rule, in id order.
const std::vector<Rule>& AllRules();
/// The rule with |code|, or null.
const Rule* FindRule(std::string_view code);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_RULES_RULE_H_
