// Shell completions for bash, zsh and fish, made at build time by the hidden
// `whittle --completions SHELL` from the tables the CLI itself runs on: the
// verb table (cli/commands.cc), each verb's declared options
// (VerbOptions), its --format set, the data sources (sources/data_source.h)
// and the image transports (image/transport.h). Only the few options whose
// values are a fixed word list keep that list here (OptionChoices); a test
// feeds each word to the verb's own parser, so the list cannot drift either.
#ifndef WHITTLE_CLI_COMPLETION_H_
#define WHITTLE_CLI_COMPLETION_H_

#include <string>
#include <string_view>
#include <vector>

#include "cli/verb.h"
#include "util/status.h"

namespace whittle {

/// How an option's value is completed.
struct OptionValues {
  std::vector<std::string> words;  // fixed choices; empty: none
  bool comma_list = false;         // several words joined by ',' (-d)
  bool files = false;              // a path
};

/// The values option |name| of |spec| takes (|name| is its long form).
OptionValues OptionChoices(const VerbSpec& spec, std::string_view name);

/// The transport prefixes an IMAGE may start with ("docker-archive:", ...).
std::vector<std::string> TransportPrefixes();

/// The completion script for |shell| ("bash", "zsh" or "fish"); kUsage
/// error for any other name.
Result<std::string> CompletionScript(std::string_view shell);

}  // namespace whittle

#endif  // WHITTLE_CLI_COMPLETION_H_
