// UnreadableRuns: the RUNs `whittle fix` cannot read, so it can neither see
// nor fix what they do, reported as "not fixed: why" rather than passed
// over in silence.
//
// The lint rules stay quiet on a RUN the shell splitter does not understand
// (`if`/`for`, a command substitution as the command, `$PKG install ...`).
// The fixer still wants to say "line 12 installs with apt-get, and I did
// not touch it". So it probes the words the splitter did read, with the
// same predicates the rules use (command_match.h), after dropping shell
// keywords, wrappers and leading variables (`$SUDO apt-get install`); each
// rule whose predicate matches gets a refusal. A command hidden entirely by
// a variable (`$PKG install curl`) gets the id "*": any package rewrite.
//
// Only shipping stages are probed, as the rules only judge those.
#ifndef WHITTLE_FIX_UNREADABLE_H_
#define WHITTLE_FIX_UNREADABLE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "lint/rules/context.h"

namespace whittle::fix {

struct UnreadableRun {
  size_t instruction = 0;
  std::string id;   // the rule that would have applied, or "*"
  std::string why;  // "shell not understood (shell keyword 'if')"
};

/// One entry per (RUN, rule id) in instruction order.
std::vector<UnreadableRun> FindUnreadableRuns(const lint::RuleContext& ctx);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_UNREADABLE_H_
