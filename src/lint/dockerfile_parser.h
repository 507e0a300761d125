// ParseDockerfile: BuildKit's Dockerfile grammar into the AST of ast.h.
//
// Follows moby/buildkit frontend/dockerfile/parser (parser.go,
// line_parsers.go, split_command.go, directives.go): directives, escape
// character, continuations, comments inside continuations, exec-form JSON
// with fallback to shell form, flags, heredocs, ONBUILD. It is the parser
// only: the AST it builds reproduces BuildKit's Node tree (see ast_dump.h).
//
// Errors (Errc::kCorrupt / kTooLarge) are one line: "FILE:LINE: message",
// with BuildKit's messages ("file with no instructions", "ENV must have two
// arguments", "unterminated heredoc", "dockerfile line greater than max
// allowed size of 65535", ...).
#ifndef WHITTLE_LINT_DOCKERFILE_PARSER_H_
#define WHITTLE_LINT_DOCKERFILE_PARSER_H_

#include <string_view>

#include "lint/ast.h"
#include "util/status.h"

namespace whittle::lint {

/// Longest physical line accepted, without its newline (BuildKit's scanner
/// limit, bufio.MaxScanTokenSize - 1).
inline constexpr size_t kMaxLineLength = 64 * 1024 - 1;

/// Parses |text| (the whole file). |filename| is used in error messages and
/// stored in the result. |text| must outlive the returned Dockerfile (its
/// string_views point into it). Never throws; every input gives either a
/// Dockerfile or an error.
Result<Dockerfile> ParseDockerfile(std::string_view text, std::string_view filename);

/// The instruction kind for a keyword, case-insensitive ("run" -> kRun).
InstructionKind KindOfKeyword(std::string_view keyword);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_DOCKERFILE_PARSER_H_
