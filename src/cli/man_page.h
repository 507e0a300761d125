// whittle(1): the man page, made at build time by the hidden `whittle
// --help-man` from the texts `--help` prints (the top-level usage, and each
// verb's usage from its row in cli/commands.cc), so the two cannot drift.
// One section per verb; the help text is set verbatim (no-fill), so what
// `man whittle` shows for a verb is what `whittle VERB --help` prints.
#ifndef WHITTLE_CLI_MAN_PAGE_H_
#define WHITTLE_CLI_MAN_PAGE_H_

#include <string>
#include <string_view>

namespace whittle {

/// The roff source of whittle(1).
std::string ManPage();

/// |text| as roff lines that print it verbatim: backslashes and hyphens
/// escaped, a leading '.' or '\'' guarded.
std::string RoffVerbatim(std::string_view text);

}  // namespace whittle

#endif  // WHITTLE_CLI_MAN_PAGE_H_
