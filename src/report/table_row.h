// The parts the tty tables of report/ share (table.cc: profile rollups,
// diff_printers.cc: diffs): a row's label after its size columns, and a
// heading centred over a column group.
#ifndef WHITTLE_REPORT_TABLE_ROW_H_
#define WHITTLE_REPORT_TABLE_ROW_H_

#include <string>

#include "report/printers.h"

namespace whittle {

/// Appends to |out| the row begun in |line| (indent and size columns), then
/// four spaces, |label| and a newline. The label is elided in the middle to
/// options.label_width (0: never) and, when options.line_width is set, to
/// what the line leaves of it, at least 20 columns.
void AppendTableRow(std::string line, const std::string& label, const TableOptions& options, std::string* out);

/// |text| padded with spaces on both sides to |width| (the extra one on the
/// right); unchanged when it is not shorter.
std::string CenterInWidth(const std::string& text, size_t width);

}  // namespace whittle

#endif  // WHITTLE_REPORT_TABLE_ROW_H_
