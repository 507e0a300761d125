// The fixer: `whittle fix` as a library call. It lints the Dockerfile,
// hands each finding that has a rewrite (rewrite.h) to it, applies the
// planned edits, and repeats on the new text until nothing more applies.
//
//   round:  parse -> lint -> plans for merge findings (DL3059, WS002)
//           -> none? plans for in-RUN findings (DL3009, DL3015, ...)
//           -> none? done: what is still found is refused, with why
//           -> else apply the edits (EditSet), next round
//
// Merges get rounds of their own because they change what the in-RUN fixes
// see: `RUN apt-get update` + `RUN apt-get install` become one RUN before
// DL3009 adds the cleanup to it. Rounds end at a fixed point, so running
// the fixer on its own output changes nothing (idempotence), and every
// round's output is parsed again: an edit that broke the file would be an
// internal error, never written.
//
// Which findings: the lint configuration (.whittle.yaml `lint:`,
// .hadolint.yaml, inline `# hadolint ignore=` pragmas) applies as for
// `whittle lint`, then --rules / --ignore select among the rewrites.
// Lines in the result are lines of the input, even after merges moved them.
#ifndef WHITTLE_FIX_FIXER_H_
#define WHITTLE_FIX_FIXER_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "fix/edit.h"
#include "lint/linter.h"
#include "util/status.h"

namespace whittle::fix {

/// Rounds are capped; a fixed point comes in two or three.
inline constexpr int kMaxRounds = 16;

struct FixOptions {
  lint::LintOptions lint;      // config, --target, --context
  std::set<std::string> only;  // --rules: just these ids (empty: every rewrite)
  std::set<std::string> skip;  // --ignore
};

struct AppliedRewrite {
  std::string id;
  int line = 0;         // the finding's line, in the input
  std::string summary;  // "added --no-install-recommends to apt-get install"
  std::string before;   // the instruction(s), as they were
  std::string after;    // the same with this rewrite's edits
};

struct Refusal {
  std::string id;  // a rewrite's lint id, or "*" (see unreadable.h)
  int line = 0;
  std::string why;
};

/// Advice that is never applied (a cache mount instead of a cleanup...).
struct Suggestion {
  std::string id;
  int line = 0;
  std::string text;
};

struct FixResult {
  std::string text;  // the fixed Dockerfile; the input when nothing applied
  bool changed = false;
  int rounds = 0;
  std::vector<AppliedRewrite> applied;  // in the order applied
  std::vector<Refusal> refusals;        // sorted by line, id
  std::vector<Suggestion> suggestions;  // sorted by line, id

  /// The input line of |line| / |column| (1-based) in |text|.
  int OriginalLine(int line, int column = 1) const;

  // Internal: what OriginalLine needs.
  std::vector<EditSet> round_edits;
  std::vector<size_t> input_line_starts;
  std::vector<size_t> output_line_starts;
};

/// Checks --rules / --ignore ids: each must name a rewrite. Returns a usage
/// error naming the bad id and the valid ones.
Status CheckRewriteIds(const std::set<std::string>& ids);

/// Fixes |text| (named |path| in messages and for the build context).
/// Errors: the input does not parse ("PATH:LINE: message", Errc::kCorrupt),
/// an unknown --target (kUsage), or an internal error.
Result<FixResult> FixText(std::string_view text, const std::string& path, const FixOptions& options);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_FIXER_H_
