// The Dockerfile parser's and linter's fuzz invariants, shared by the
// libFuzzer target (dockerfile_fuzz.cc) and its ctest replay
// (src/lint/dockerfile_fuzz_test.cc). Test-only.
//
// Checked for every input (tests/README.md, "Fuzzing"):
//  - ranges and views: every source range is ordered and inside the text,
//    every line number is a line of the file, every string_view points
//    into the text, every RUN's shell split stays inside its command.
//  - the AST dump: one line per instruction, and the same text on a second
//    dump, on a copy of the AST and on a re-parse under another file name.
//  - re-parse: parsing the same text again gives the same instructions,
//    comments, stages and warnings, or the same error.
//  - errors: one non-empty line "FILE:LINE: message", LINE inside the file.
//  - lint: every rule runs without crashing; findings name a known rule,
//    a line of the file and a column >= 1, carry a one-line message and
//    come sorted; LintText agrees with LintParsed; every output format
//    renders, and the JSON one is valid JSON with one entry per finding.
#ifndef WHITTLE_TESTS_FUZZ_DOCKERFILE_FUZZ_H_
#define WHITTLE_TESTS_FUZZ_DOCKERFILE_FUZZ_H_

#include <string>
#include <string_view>
#include <vector>

#include "lint/ast.h"
#include "lint/rules/rule.h"
#include "util/status.h"

namespace whittle::fuzz {

/// Lines of |text| as the parser numbers them: '\n'-terminated, plus a
/// last unterminated one.
int CountDockerfileLines(std::string_view text);

/// Structural invariants of one parse of |text| (ranges, lines, views,
/// dump shape). Returns "" or the first violation.
std::string CheckDockerfileAst(std::string_view text, const lint::Dockerfile& df);

/// Invariants of lint findings for a file of |lines| lines with
/// |instructions| instructions. Returns "" or the first violation.
std::string CheckFindings(const std::vector<lint::Finding>& findings, int lines, size_t instructions);

/// Invariants of a parse error of |text| named |filename|.
std::string CheckParseError(std::string_view text, std::string_view filename, const Status& error);

/// Everything above plus re-parse stability, for one input. Returns "" or
/// the first violation.
std::string CheckDockerfileInput(std::string_view text);

}  // namespace whittle::fuzz

#endif  // WHITTLE_TESTS_FUZZ_DOCKERFILE_FUZZ_H_
