// GitHub-flavoured markdown tables, for the --format markdown reports that
// CI job summaries show (`history`, `waste`, `explain`). Text in, text out.
#ifndef WHITTLE_UTIL_MARKDOWN_H_
#define WHITTLE_UTIL_MARKDOWN_H_

#include <string>
#include <string_view>
#include <vector>

namespace whittle {

/// |text| safe inside one table cell: '|' and '\\' escaped, '<', '>', '&'
/// as entities (no HTML gets through), backticks and '*', '_', '[' escaped
/// so a path or an instruction prints as typed; control characters,
/// including line breaks, become spaces.
std::string MarkdownCell(std::string_view text);

/// A table: |header| cells, |right| says which columns are right-aligned
/// (numbers), then |rows| (cells already escaped with MarkdownCell or
/// deliberately formatted). Every row must have header.size() cells.
std::string MarkdownTable(const std::vector<std::string>& header, const std::vector<bool>& right,
                          const std::vector<std::vector<std::string>>& rows);

}  // namespace whittle

#endif  // WHITTLE_UTIL_MARKDOWN_H_
