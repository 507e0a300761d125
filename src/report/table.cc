#include <algorithm>
#include <utility>

#include "report/printers.h"
#include "report/table_row.h"
#include "util/strings.h"

namespace whittle {

namespace {

std::string PercentCell(double p) {
  if (p >= 99.95) return "100.0%";
  return StrFormat("%5.1f%%", p);
}

std::string Column(double pct, uint64_t size) {
  std::string s = FormatSize(size);
  return StrFormat("%6s %7s", PercentCell(pct).c_str(), s.c_str());
}

void PrintRow(const RollupRow& row, size_t indent, const TableOptions& opt, std::string* out) {
  std::string line(indent, ' ');
  if (opt.domain != Domain::kTar) line += Column(row.blob_percent, row.blob);
  if (opt.domain == Domain::kBoth) line += "  ";
  if (opt.domain != Domain::kBlob) line += Column(row.tar_percent, row.tar);
  AppendTableRow(std::move(line), row.name, opt, out);
}

void PrintTree(const RollupRow& row, size_t indent, const TableOptions& opt, std::string* out) {
  for (const auto& c : row.children) {
    PrintRow(c, indent, opt, out);
    PrintTree(c, indent + 2, opt, out);
  }
}

}  // namespace

std::string FormatTable(const RollupOutput& out, const TableOptions& opt) {
  std::string s;
  const size_t kCol = 14;
  std::string head, rule;
  if (opt.domain != Domain::kTar) {
    head += CenterInWidth("BLOB SIZE", kCol);
    rule += std::string(kCol, '-');
  }
  if (opt.domain == Domain::kBoth) {
    head += "  ";
    rule += "  ";
  }
  if (opt.domain != Domain::kBlob) {
    head += CenterInWidth("TAR SIZE", kCol);
    rule += std::string(kCol, '-');
  }
  while (!head.empty() && head.back() == ' ') head.pop_back();
  s += head + "\n" + rule + "\n";
  PrintTree(out.total, 0, opt, &s);
  PrintRow(out.total, 0, opt, &s);
  if (out.filtered) {
    s += "--source-filter left out " + FormatSize(out.omitted_blob) + " BLOB and " + FormatSize(out.omitted_tar) +
         " TAR bytes (TOTAL is what matched)\n";
  }
  return s;
}

}  // namespace whittle
