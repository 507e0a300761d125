// GitLab's code-quality report (a subset of the Code Climate spec): a JSON
// array of issues, each {description, check_name, fingerprint, severity,
// location: {path, lines: {begin}}}, which GitLab shows in merge requests
// (artifacts:reports:codequality). `lint` and `explain` print it with
// --format codequality.
#ifndef WHITTLE_UTIL_CODE_QUALITY_H_
#define WHITTLE_UTIL_CODE_QUALITY_H_

#include <string>
#include <vector>

namespace whittle {

struct CodeQualityIssue {
  std::string check_name;   // the rule: "DL3009", "toolchain"
  std::string description;  // one line
  std::string path;         // relative to the repository, as given
  int line = 1;             // 1-based; values below 1 print as 1
  /// GitLab's scale: "info", "minor", "major", "critical" or "blocker".
  std::string severity;
};

/// GitLab's severity for lint's levels: error -> critical, warning -> major,
/// info -> info, style -> minor (anything else -> info).
const char* CodeQualitySeverity(const std::string& lint_level);

/// The report. Each fingerprint is the SHA-256 (hex) of check, path, line
/// and description, so it is stable across runs and distinct per issue.
std::string FormatCodeQuality(const std::vector<CodeQualityIssue>& issues);

}  // namespace whittle

#endif  // WHITTLE_UTIL_CODE_QUALITY_H_
