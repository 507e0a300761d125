// Small string helpers shared by every module: printf-style formatting,
// human (IEC) and raw size formatting, path normalisation, splitting.
#ifndef WHITTLE_UTIL_STRINGS_H_
#define WHITTLE_UTIL_STRINGS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace whittle {

/// printf into a std::string.
std::string StrFormat(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// Binary IEC size for humans, at most 6 chars before the unit suffix:
/// 0 -> "0", 1023 -> "1023", 1536 -> "1.50Ki", 141*2^20 -> "141Mi".
/// Three significant digits, as bloaty prints (STYLE.md §10).
std::string FormatSize(uint64_t bytes);
/// Same with a sign for diff mode: "+1.50Ki", "-20", "0".
std::string FormatSignedSize(int64_t bytes);
/// Same with a "B" suffix where a unit is wanted in prose: "1.50 KiB", "20 B".
std::string FormatSizeWithUnit(uint64_t bytes);

/// Normalises a path read from a tar or a user to absolute, clean form:
/// "./a//b/" -> "/a/b", "a/./b" -> "/a/b", "" or "." or "./" -> "/".
/// ".." components that would climb above the root are dropped and
/// |*escaped| (if given) is set to true, so callers can warn about them.
std::string NormalizePath(std::string_view path, bool* escaped = nullptr);

/// The last component of a slash-separated path, trailing slashes ignored:
/// "/usr/bin/pip3" -> "pip3", "a/b/" -> "b", "pip" -> "pip", "/" -> "".
std::string_view BaseName(std::string_view path);

/// Splits on |sep|; keeps empty fields.
std::vector<std::string_view> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string_view TrimWhitespace(std::string_view s);

/// Quotes a string for a one-line diagnostic: printable ASCII as is, the rest
/// as \xNN escapes; longer than |max| is cut with "...".
std::string EscapeForMessage(std::string_view s, size_t max = 200);

/// Collapses every run of whitespace (space, tab, CR, LF) to one space and
/// drops it at both ends: multi-line commands become one-line labels.
std::string CollapseWhitespace(std::string_view s);

/// Display width of UTF-8 text, counted in code points (not bytes).
size_t Utf8Width(std::string_view s);
/// Shortens |s| to |width| columns by cutting its middle with "…" (keeps
/// the start and the file name); returned as is when it fits or width < 5.
std::string ElideMiddle(std::string_view s, size_t width);
/// Shortens |s| to |width| columns by cutting its end with "…".
std::string ElideEnd(std::string_view s, size_t width);

/// One CSV field per RFC 4180: quoted (with "" for ") only when it holds a
/// comma, a quote or a line break.
std::string CsvQuote(std::string_view s);

/// Text for an XML attribute or element: & < > " ' escaped; control
/// characters XML 1.0 cannot carry (all below 0x20 but tab, LF, CR) become '?'.
std::string XmlEscape(std::string_view s);

/// Edits that turn |a| into |b|: insertions, deletions, substitutions and
/// swaps of two adjacent characters, each counting 1 (the optimal string
/// alignment distance), so "histroy" is 1 away from "history".
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace whittle

#endif  // WHITTLE_UTIL_STRINGS_H_
