// Internal to the Dockerfile parser: the character-level helpers that mirror
// BuildKit's Go behaviour (unicode.IsSpace, strings.TrimSpace,
// encoding/json for exec form, parseWords, extractBuilderFlags, the shell
// word lexer used to find heredoc markers). Not part of the lint API.
#ifndef WHITTLE_LINT_DOCKERFILE_PARSER_TEXT_H_
#define WHITTLE_LINT_DOCKERFILE_PARSER_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::lint::internal {

/// Decodes one UTF-8 rune at s[pos] like Go's utf8.DecodeRuneInString:
/// invalid input gives U+FFFD with width 1. |pos| must be < s.size().
uint32_t DecodeRune(std::string_view s, size_t pos, size_t* width);
void AppendRune(std::string* out, uint32_t rune);
/// Go's unicode.IsSpace.
bool IsGoSpace(uint32_t rune);
/// unicode.IsSpace(rune(b)) for a single byte (what BuildKit does when it
/// indexes a string byte by byte).
bool IsGoSpaceByte(unsigned char b);
/// [\t\v\f\r ] — BuildKit's tokenWhitespace / reWhitespace class.
inline bool IsTokenWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r';
}

/// Go strings.TrimSpace / TrimLeftFunc(unicode.IsSpace), returning the
/// trimmed view (offsets into |s| recoverable by pointer difference).
std::string_view GoTrimSpace(std::string_view s);
std::string_view GoTrimLeftSpace(std::string_view s);
std::string_view GoTrimRightSpace(std::string_view s);

enum class JsonArrayStatus {
  kOk,             // a JSON array of strings
  kNotJson,        // not a JSON array at all (BuildKit falls back to shell form)
  kNotStringArray, // valid JSON array with a non-string element (an error)
};
/// Parses |s| like BuildKit's parseJSON (leading whitespace allowed, must
/// start with '[', json.Unmarshal rules: trailing whitespace only, invalid
/// UTF-8 becomes U+FFFD, nesting depth capped at 10000).
JsonArrayStatus ParseJsonStringArray(std::string_view s, std::vector<std::string>* out);

/// BuildKit parseWords: splits on unicode spaces, keeps quotes, the escape
/// token escapes the next rune outside single quotes (and is kept).
std::vector<std::string> ParseWords(std::string_view s, char escape);

struct FlagWord {
  std::string raw;    // BuildKit's flag string (bytes >= 0x80 re-encoded as BuildKit does)
  std::string clean;  // same, with the original bytes
  size_t begin = 0;   // offset of the word in the input
  size_t end = 0;
};
/// BuildKit extractBuilderFlags: leading `--flag` words; returns the offset
/// in |s| where the arguments start (s.size() if none).
size_t ExtractBuilderFlags(std::string_view s, std::vector<FlagWord>* flags);

struct ShellWord {
  std::string text;
  size_t begin = 0;
  size_t end = 0;
};
/// A shell-word lexer close to BuildKit's shell.Lex.ProcessWords with an
/// empty environment and SkipUnsetEnv: '...' and "..." quoting, backslash
/// escapes, `$` kept literally. |raw_quotes| keeps quote characters,
/// |raw_escapes| keeps backslashes. Returns false on an unterminated quote.
bool LexShellWords(std::string_view s, bool raw_quotes, bool raw_escapes,
                   std::vector<ShellWord>* words);

/// Removes quotes the way the Dockerfile word processor does for ENV/ARG/
/// LABEL values: '..' literal, ".." with |escape| escaping " $ and itself,
/// |escape| + c outside quotes gives c. No variable expansion.
std::string UnquoteWord(std::string_view s, char escape);

}  // namespace whittle::lint::internal

#endif  // WHITTLE_LINT_DOCKERFILE_PARSER_TEXT_H_
