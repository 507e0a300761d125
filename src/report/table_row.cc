#include "report/table_row.h"

#include <algorithm>

#include "util/strings.h"

namespace whittle {

void AppendTableRow(std::string line, const std::string& label, const TableOptions& options, std::string* out) {
  line += "    ";
  size_t width = options.label_width;
  if (width && options.line_width) {
    size_t room = options.line_width > line.size() + 20 ? options.line_width - line.size() : 20;
    width = std::min(width, room);
  }
  line += width ? ElideMiddle(label, width) : label;
  *out += line;
  *out += '\n';
}

std::string CenterInWidth(const std::string& text, size_t width) {
  if (text.size() >= width) return text;
  size_t left = (width - text.size()) / 2;
  return std::string(left, ' ') + text + std::string(width - text.size() - left, ' ');
}

}  // namespace whittle
