// Runs one verb row (cli/verb.h): the setup every verb shares, done once.
#ifndef WHITTLE_CLI_VERB_RUNNER_H_
#define WHITTLE_CLI_VERB_RUNNER_H_

#include <string>
#include <vector>

#include "cli/console.h"
#include "cli/verb.h"

namespace whittle {

/// Runs |spec| with |args| (what follows the verb on the command line):
///   1. declares the shared options and the verb's own, then parses |args|;
///      --help prints spec.usage and returns kOk;
///   2. checks the operands against spec.needs;
///   3. Verb::Prepare(), then opens and scans the image(s) |needs| names;
///   4. Verb::Run().
/// A usage error prints "whittle: MESSAGE (see 'whittle VERB --help')";
/// any other error prints "whittle: MESSAGE". Both are one line on the
/// console's stderr, and the exit code comes from ExitCodeFor.
ExitCode RunVerb(const VerbSpec& spec, const std::vector<std::string>& args, Console& console);

/// The options RunVerb declares for |spec|, shared and own, in order: what
/// the shell completions and the man page list.
std::vector<FlagSet::Declared> VerbOptions(const VerbSpec& spec);

/// |spec|'s --help text: spec.usage, then spec.usage_more() if any.
std::string VerbHelp(const VerbSpec& spec);

}  // namespace whittle

#endif  // WHITTLE_CLI_VERB_RUNNER_H_
