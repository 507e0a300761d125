// Entry point of the CLI: picks the verb and hands over to its row
// (cli/commands.cc, cli/verb_runner.h).
//
//   whittle VERB [OPTION]... ARG...
//   whittle [OPTION]... IMAGE        a bare image is `profile`
//
// A first word that is no verb is an image unless it looks like a typo of
// one: it does not exist as a path, has no '/', ':' or '.', and is within
// a couple of edits of a verb name ("histroy" -> "did you mean 'history'?").
#ifndef WHITTLE_CLI_RUN_H_
#define WHITTLE_CLI_RUN_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/console.h"
#include "util/status.h"

namespace whittle {

/// Runs whittle with |argv|; returns the process exit status (ExitCode).
int Run(int argc, char** argv);

/// Runs the command line |args| (argv without the program name) on
/// |console|; Run() is this on the process's console.
ExitCode RunCommandLine(const std::vector<std::string>& args, Console& console);

/// `whittle --help`: the synopsis, the verb table and the image references.
std::string TopLevelUsage();

/// True when |word| must be an image, not a misspelt verb: it names an
/// existing path, or has a '/', ':' (transport or tag) or '.' in it.
bool LooksLikeImage(const std::string& word);

/// The verb |word| is probably a misspelling of: the closest by
/// EditDistance, at most 1 edit away for names shorter than 5 letters and 2
/// for longer ones (ties: table order). Null when none is that close.
const char* SuggestVerb(std::string_view word);

}  // namespace whittle

#endif  // WHITTLE_CLI_RUN_H_
