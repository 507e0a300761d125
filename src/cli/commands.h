// The verb table. Each verb lives in its own file (cli/<verb>_command.cc)
// and receives the arguments after the verb. It returns an ExitCode value:
// 0 ok, 1 a check failed, 2 error. Diagnostics go to stderr prefixed
// "whittle: " (see cli/common.h).
#ifndef WHITTLE_CLI_COMMANDS_H_
#define WHITTLE_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace whittle {

using Args = std::vector<std::string>;

int RunHistory(const Args& args);  // cli/history_command.cc
int RunProfile(const Args& args);  // cli/profile_command.cc
int RunWaste(const Args& args);    // cli/waste_command.cc
int RunCi(const Args& args);       // cli/ci_command.cc
int RunLint(const Args& args);     // cli/lint_command.cc
int RunFix(const Args& args);      // cli/fix_command.cc

struct Command {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

/// All verbs, in the order `whittle --help` lists them.
const std::vector<Command>& Commands();

}  // namespace whittle

#endif  // WHITTLE_CLI_COMMANDS_H_
