// DumpAst: the AST as BuildKit's Node.Dump() S-expressions, for
// `whittle lint --dump-ast` and for comparing against BuildKit's test cases.
//
// One line per instruction: `(run "apt-get update")`,
// `(copy ["--from=build"] "a" "/b")`, `(onbuild (run "x"))`. Strings are
// quoted like Go's strconv.Quote; the instruction name is lower-cased.
// The result has no trailing newline (BuildKit trims it).
#ifndef WHITTLE_LINT_AST_DUMP_H_
#define WHITTLE_LINT_AST_DUMP_H_

#include <string>
#include <string_view>

#include "lint/ast.h"

namespace whittle::lint {

std::string DumpAst(const Dockerfile& dockerfile);
/// One instruction without the surrounding parentheses: `run "x"`.
std::string DumpInstruction(const Instruction& instruction);
/// Go strconv.Quote: "a\"b\n" -> "\"a\\\"b\\n\"". Non-printable runes as
/// \u/\U escapes, invalid UTF-8 bytes as \xNN.
std::string GoQuote(std::string_view s);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_AST_DUMP_H_
