// The verb table (cli/commands.cc), and what each verb's file exports to
// it: its usage text and its Verb. A verb's file is cli/<verb>_command.cc.
#ifndef WHITTLE_CLI_COMMANDS_H_
#define WHITTLE_CLI_COMMANDS_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "cli/verb.h"

namespace whittle {

/// Every verb, in the order `whittle --help` lists them.
std::span<const VerbSpec> Commands();
/// The verb named |name|, or null.
const VerbSpec* FindCommand(std::string_view name);

extern const char kProfileUsage[];  // cli/profile_command.cc
std::unique_ptr<Verb> NewProfileVerb();
extern const char kDiffUsage[];  // cli/diff_command.cc
std::unique_ptr<Verb> NewDiffVerb();
extern const char kFixUsage[];  // cli/fix_command.cc
std::string FixUsageMore();     // the rewrites, after kFixUsage
std::unique_ptr<Verb> NewFixVerb();
extern const char kExplainUsage[];  // cli/explain_command.cc
std::unique_ptr<Verb> NewExplainVerb();
extern const char kHistoryUsage[];  // cli/history_command.cc
std::unique_ptr<Verb> NewHistoryVerb();
extern const char kWasteUsage[];  // cli/waste_command.cc
std::unique_ptr<Verb> NewWasteVerb();
extern const char kReportUsage[];  // cli/report_command.cc
std::unique_ptr<Verb> NewReportVerb();
extern const char kCiUsage[];  // cli/ci_command.cc
std::unique_ptr<Verb> NewCiVerb();
extern const char kCompactUsage[];  // cli/compact_command.cc
std::unique_ptr<Verb> NewCompactVerb();
extern const char kExploreUsage[];  // cli/explore_command.cc
std::unique_ptr<Verb> NewExploreVerb();
extern const char kScanUsage[];  // cli/scan_command.cc
std::unique_ptr<Verb> NewScanVerb();
extern const char kLintUsage[];  // cli/lint_command.cc
std::unique_ptr<Verb> NewLintVerb();

}  // namespace whittle

#endif  // WHITTLE_CLI_COMMANDS_H_
