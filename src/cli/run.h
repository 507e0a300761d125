// Entry point of the CLI: parses the verb and dispatches to its command.
#ifndef WHITTLE_CLI_RUN_H_
#define WHITTLE_CLI_RUN_H_

namespace whittle {

/// Runs whittle with |argv|; returns the process exit code (ExitCode).
int Run(int argc, char** argv);

}  // namespace whittle

#endif  // WHITTLE_CLI_RUN_H_
