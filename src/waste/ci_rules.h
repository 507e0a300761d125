// CI rules for `whittle ci`: dive's three (.dive-ci, read as dive v0.13
// reads it) plus whittle's own, their configuration files and precedence,
// and their evaluation. Reporting is in ci_report.h.
//
// Precedence (later wins): all rules disabled; dive's defaults when asked
// (--dive-defaults); the .dive-ci `rules:` section; the .whittle.yaml `ci:`
// section. A rule missing from the files is disabled, not defaulted (dive
// #606). With no rules file at all, dive's defaults apply and a note says so.
//
// Values: "", "disabled", "off", "false" (any case, trimmed) disable a rule,
// as dive's isRuleDisabled; YAML booleans false/off resolve the same way.
// Fractions (lowestEfficiency, highestUserWastedPercent,
// maxReclaimablePercent) must parse as numbers within 0..1; sizes parse as
// go-humanize ParseBytes does (decimal "20Mb" = 20,000,000, binary "1MiB");
// maxLayers is a whole number. Any other value is an error naming the file
// and the key. Fail conditions are strict, as dive's: efficiency < threshold,
// or value > threshold.
#ifndef WHITTLE_WASTE_CI_RULES_H_
#define WHITTLE_WASTE_CI_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace whittle {

/// go-humanize ParseBytes (v1.0.1): digits, '.' and ',' (commas dropped),
/// then an optional unit among b, k/kb, ki/kib, m/mb, mi/mib ... e/eb/ei/eib
/// (case-insensitive, spaces around ignored). "-1" and "1BB" are errors.
Result<uint64_t> ParseHumanBytes(std::string_view s);

/// dive's isRuleDisabled.
bool IsDisabledRuleValue(std::string_view raw);

enum class RuleValueKind { kFraction, kBytes, kCount };

struct CiRule {
  std::string key;
  RuleValueKind kind = RuleValueKind::kFraction;
  bool dive = false;        // one of dive's three rules (always listed)
  bool enabled = false;
  bool configured = false;  // set by a file or defaults (listed even if disabled)
  std::string raw;          // the value as configured ("disabled" when off)
  double fraction = 0;      // kFraction threshold
  uint64_t count = 0;       // kBytes / kCount threshold
  std::string source;       // "FILE", "dive defaults"
};

/// The measured values rules compare against.
struct CiMetrics {
  double efficiency = 1.0;
  uint64_t wasted_bytes = 0;
  double user_wasted_percent = 0;
  uint64_t image_size = 0;  // content bytes of all layers (dive's sizeBytes)
  uint64_t blob_size = 0;   // bytes pulled: layer blobs + config
  uint64_t reclaimable_bytes = 0;
  double reclaimable_percent = 0;  // a fraction
  uint64_t layers = 0;
};

class CiRules {
 public:
  /// Every rule, disabled.
  CiRules();
  /// dive's defaults: lowestEfficiency 0.9, highestWastedBytes disabled,
  /// highestUserWastedPercent 0.1.
  void ApplyDiveDefaults(const std::string& source);
  /// Sets |key| from a YAML scalar. Errors (kUsage) name |source| and the key.
  Status Set(const std::string& key, const nlohmann::json& value, const std::string& source);
  /// True if |key| is a rule of this kind ("rules." prefix not included).
  bool Has(const std::string& key) const;
  bool IsDiveKey(const std::string& key) const;
  const std::vector<CiRule>& rules() const { return rules_; }

 private:
  std::vector<CiRule> rules_;
};

/// Applies a .dive-ci document (its `rules:` mapping). Unknown keys append
/// a warning to |warnings|. |name| is the file name for messages.
Status ApplyDiveCiDocument(const nlohmann::json& doc, const std::string& name, CiRules* rules,
                           std::vector<std::string>* warnings);
/// Applies the `ci:` mapping of a .whittle.yaml document; sets |*found| when
/// the section exists. Unknown keys in it append a warning.
Status ApplyWhittleCiDocument(const nlohmann::json& doc, const std::string& name, CiRules* rules,
                              std::vector<std::string>* warnings, bool* found);

struct CiConfigRequest {
  std::string dive_ci_path;  // --ci-config FILE; empty: ./.dive-ci if it exists
  std::string whittle_path;  // -c FILE; empty: ./.whittle.yaml if it exists
  bool dive_defaults = false;
  std::string directory = ".";  // where the implicit files are looked up
};

struct CiConfig {
  CiRules rules;
  std::vector<std::string> sources;   // files that provided rules
  std::vector<std::string> warnings;  // unknown keys ...
  bool used_dive_defaults = false;
  bool no_rules_file = false;  // dive's defaults applied because no file had rules
};

/// Loads the files per the precedence above. A named file that is missing
/// or unparsable is an error; so is a misconfigured value.
Result<CiConfig> LoadCiConfig(const CiConfigRequest& request);

enum class RuleStatus { kPass, kFail, kSkip };
std::string_view RuleStatusName(RuleStatus s);  // "PASS", "FAIL", "SKIP"

struct RuleResult {
  std::string key;
  RuleStatus status = RuleStatus::kSkip;
  std::string value;      // measured, as text ("" when skipped)
  std::string threshold;  // as configured ("disabled" when skipped)
  std::string message;    // one line: "0.98 >= 0.9", "32025 > 1"
};

/// Evaluates dive's three rules always (SKIP when disabled) and whittle's
/// others when configured.
std::vector<RuleResult> EvaluateCiRules(const CiRules& rules, const CiMetrics& metrics);

/// Shortest decimal text that reads back as |v|.
std::string ShortestDoubleText(double v);

}  // namespace whittle

#endif  // WHITTLE_WASTE_CI_RULES_H_
