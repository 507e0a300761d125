// Test helpers for the fixer: the round-trip properties every fix must
// have, checked on any Dockerfile text.
#ifndef WHITTLE_FIX_FIX_TEST_UTIL_H_
#define WHITTLE_FIX_FIX_TEST_UTIL_H_

#include <string>
#include <vector>

#include "fix/fixer.h"

namespace whittle::fix::testing {

/// "LINE:COL CODE" for every finding of |text| (no context, default config),
/// or "parse error: ..." .
std::vector<std::string> LintLines(const std::string& text);

/// Runs FixText and checks, with gtest expectations:
///   - an unparsable input gives the parser's error and nothing else;
///   - the output parses with the BuildKit-compatible parser;
///   - no new finding: every finding of the output (its line mapped back to
///     the input) was a finding of the input (same id, same line);
///   - every input finding that has a selected rewrite is fixed (gone) or
///     refused with a reason, and every refusal names a finding or a RUN;
///   - no rewrite: the output is the input, byte for byte;
///   - idempotence: fixing the output changes nothing.
/// Returns the result (or the error) for further checks.
Result<FixResult> CheckRoundTrip(const std::string& name, const std::string& text,
                                 const FixOptions& options = FixOptions());

/// The notes a reader sees, one per line: "LINE: ID fixed: summary",
/// "LINE: ID not fixed: why", "LINE: ID suggestion: text".
std::string Notes(const FixResult& r);

}  // namespace whittle::fix::testing

#endif  // WHITTLE_FIX_FIX_TEST_UTIL_H_
