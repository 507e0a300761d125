// Small text helpers shared by the history parser and the instruction
// comparison: shell-invocation prefixes ("/bin/sh -c "), word joining,
// UTF-8 encoding. Internal to src/explain/.
#ifndef WHITTLE_EXPLAIN_TEXT_UTIL_H_
#define WHITTLE_EXPLAIN_TEXT_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::explain {

/// Length of a shell invocation at the start of |s| (single-spaced text)
/// plus the one space after it: "/bin/sh -c make" -> 11,
/// "/bin/bash -o pipefail -c x" -> 25, "cmd /S /C dir" -> 10. The program is
/// a known shell (sh, bash, ash, dash, zsh, ksh, mksh, cmd, powershell,
/// pwsh, by base name); options run up to the one that takes the command
/// (-c, -ec, -euxc, /C, -Command). 0 when |s| does not start with one.
size_t ShellPrefixLength(std::string_view s);

/// Words joined by single spaces.
std::string JoinWords(const std::vector<std::string>& words);

/// Appends code point |cp| as UTF-8 (invalid ones as U+FFFD).
void AppendUtf8(uint32_t cp, std::string* out);

/// |path| with duplicate and trailing slashes removed, "." segments
/// dropped and ".." applied (never above "/"); relative paths stay
/// relative ("static2/" -> "static2"), "/" stays "/". Used to compare COPY destinations and WORKDIRs.
std::string CleanPath(std::string_view path);

/// |path| made absolute against |dir| (an absolute path) when relative.
std::string ResolvePath(std::string_view dir, std::string_view path);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_TEXT_UTIL_H_
