// FixSession: one `whittle fix` run, from a request (the parsed command
// line) to what to print and which files to write. The CLI verb only parses
// arguments, calls RunFixSession() and prints the outcome.
//
// Outputs, by mode:
//   default   stdout: the unified diff (`git apply` accepts it)
//   --write   Dockerfile.orig, then the Dockerfile replaced atomically
//   --check   nothing written; exit 1 when a rewrite would apply
//   --json    stdout: one JSON document (rewrites, refusals, suggestions,
//             the diff, the .dockerignore suggestion, proposals)
// Notes (stderr, "PATH:LINE: ID fixed|not fixed|suggestion: ...") in every
// mode but --json.
//
// The .dockerignore suggestion is made when asked (--dockerignore, or
// --stdout, which prints it instead of the diff), and otherwise when a
// COPY/ADD takes the whole build context and no .dockerignore applies. It
// is written to "<Dockerfile>.dockerignore.suggested" (default, --write and
// --json modes), never to .dockerignore itself. --suggest-multistage prints
// the proposals instead of the diff (in --json: a "multistage" array).
#ifndef WHITTLE_FIX_SESSION_H_
#define WHITTLE_FIX_SESSION_H_

#include <set>
#include <string>
#include <vector>

#include "fix/fixer.h"
#include "util/status.h"

namespace whittle::fix {

enum class FixMode { kDiff, kWrite, kCheck, kJson };

struct FixRequest {
  std::string path;         // the Dockerfile ("-" = stdin)
  FixMode mode = FixMode::kDiff;
  std::string config_path;  // -c; "" = discover ./.whittle.yaml, ./.hadolint.yaml
  std::string target;       // --target
  std::string context_dir;  // --context; "" = the Dockerfile's directory
  std::set<std::string> only;  // --rules
  std::set<std::string> skip;  // --ignore
  bool dockerignore = false;        // --dockerignore
  bool dockerignore_stdout = false; // --stdout
  bool suggest_multistage = false;  // --suggest-multistage
};

struct FixOutcome {
  std::string out;                 // for stdout
  std::vector<std::string> notes;  // for stderr, one line each, without "whittle: "
  int exit_code = 0;               // 0, or 1 for --check with changes pending
};

/// Runs the request. Errors (exit 2): usage (bad ids, conflicting
/// options), unreadable or unparsable input ("PATH:LINE: message"), a
/// failed write. Nothing is written when an error is returned.
Result<FixOutcome> RunFixSession(const FixRequest& req);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_SESSION_H_
