// Printers over a finished DiffOutput: the diff table, CSV/TSV and JSON.
// Like the profile printers they never compute sizes.
#include <utility>

#include <nlohmann/json.hpp>

#include "report/printers.h"
#include "report/table_row.h"
#include "util/strings.h"

namespace whittle {

namespace {


// "    OLD     NEW    DELTA  CHANGE" for one domain: 7 + 1 + 7 + 1 + 8 + 2 + 6.
constexpr size_t kDomainWidth = 34;

std::string DomainCells(uint64_t old_size, uint64_t new_size, int64_t delta) {
  return StrFormat("%7s %7s %8s  %6s", FormatSize(old_size).c_str(), FormatSize(new_size).c_str(),
                   FormatSignedSize(delta).c_str(), ChangeCell(old_size, new_size).c_str());
}

void PrintDiffRow(const DiffRow& row, size_t indent, const TableOptions& opt, std::string* out) {
  std::string line(indent, ' ');
  if (opt.domain != Domain::kTar) line += DomainCells(row.old_blob, row.new_blob, row.delta_blob());
  if (opt.domain == Domain::kBoth) line += "  ";
  if (opt.domain != Domain::kBlob) line += DomainCells(row.old_tar, row.new_tar, row.delta_tar());
  AppendTableRow(std::move(line), row.name, opt, out);
}

void PrintDiffTree(const DiffRow& row, size_t indent, const TableOptions& opt, std::string* out) {
  for (const auto& c : row.children) {
    PrintDiffRow(c, indent, opt, out);
    PrintDiffTree(c, indent + 2, opt, out);
  }
}

template <typename Fn>
void ForEachDiffLeaf(const DiffRow& row, std::vector<const std::string*>* path, Fn&& fn) {
  if (row.children.empty()) {
    fn(*path, row);
    return;
  }
  for (const auto& c : row.children) {
    path->push_back(&c.name);
    ForEachDiffLeaf(c, path, fn);
    path->pop_back();
  }
}

const char* Status(const DiffRow& r) {
  if (r.others) return "others";
  if (!r.in_old) return "new";
  if (!r.in_new) return "deleted";
  return r.old_blob == r.new_blob && r.old_tar == r.new_tar ? "unchanged" : "changed";
}

}  // namespace

std::string FormatDiffTable(const DiffOutput& out, const TableOptions& opt) {
  std::string head1, head2, rule;
  std::string cols = StrFormat("%7s %7s %8s  %6s", "OLD", "NEW", "DELTA", "CHANGE");
  if (opt.domain != Domain::kTar) {
    head1 += CenterInWidth("BLOB SIZE", kDomainWidth);
    head2 += cols;
    rule += std::string(kDomainWidth, '-');
  }
  if (opt.domain == Domain::kBoth) {
    head1 += "  ";
    head2 += "  ";
    rule += "  ";
  }
  if (opt.domain != Domain::kBlob) {
    head1 += CenterInWidth("TAR SIZE", kDomainWidth);
    head2 += cols;
    rule += std::string(kDomainWidth, '-');
  }
  while (!head1.empty() && head1.back() == ' ') head1.pop_back();
  std::string s = head1 + "\n" + head2 + "\n" + rule + "\n";
  PrintDiffTree(out.total, 0, opt, &s);
  PrintDiffRow(out.total, 0, opt, &s);
  if (out.total.children.empty()) s += "(no differences)\n";
  return s;
}

std::string FormatDiffDelimited(const DiffOutput& out, char sep) {
  auto field = [sep](const std::string& v) {
    if (sep == ',') return CsvQuote(v);
    std::string t = v;
    for (char& c : t) {
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    return t;
  };
  std::string s;
  for (const auto& name : out.source_names) s += field(name) + sep;
  const char* cols[] = {"oldBlobSize", "newBlobSize", "deltaBlobSize", "oldTarSize", "newTarSize", "deltaTarSize"};
  for (size_t i = 0; i < 6; ++i) {
    s += cols[i];
    s += i + 1 < 6 ? sep : '\n';
  }
  if (out.total.children.empty()) return s;
  std::vector<const std::string*> path;
  ForEachDiffLeaf(out.total, &path, [&](const std::vector<const std::string*>& labels, const DiffRow& r) {
    for (size_t k = 0; k < out.source_names.size(); ++k) {
      s += k < labels.size() ? field(*labels[k]) : "";
      s += sep;
    }
    s += StrFormat("%llu%c%llu%c%lld%c%llu%c%llu%c%lld\n", static_cast<unsigned long long>(r.old_blob), sep,
                   static_cast<unsigned long long>(r.new_blob), sep, static_cast<long long>(r.delta_blob()), sep,
                   static_cast<unsigned long long>(r.old_tar), sep, static_cast<unsigned long long>(r.new_tar), sep,
                   static_cast<long long>(r.delta_tar()));
  });
  return s;
}

std::string FormatDiffJson(const DiffOutput& out) {
  nlohmann::ordered_json j;
  j["dataSources"] = out.source_names;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::vector<const std::string*> path;
  auto sizes = [](const DiffRow& r) {
    nlohmann::ordered_json o;
    o["oldBlobSize"] = r.old_blob;
    o["newBlobSize"] = r.new_blob;
    o["deltaBlobSize"] = r.delta_blob();
    o["oldTarSize"] = r.old_tar;
    o["newTarSize"] = r.new_tar;
    o["deltaTarSize"] = r.delta_tar();
    return o;
  };
  if (!out.total.children.empty()) {
    ForEachDiffLeaf(out.total, &path, [&](const std::vector<const std::string*>& labels, const DiffRow& r) {
      nlohmann::ordered_json row;
      for (size_t k = 0; k < out.source_names.size() && k < labels.size(); ++k) {
        row[out.source_names[k]] = *labels[k];
      }
      row["status"] = Status(r);
      row.update(sizes(r));
      rows.push_back(std::move(row));
    });
  }
  j["rows"] = std::move(rows);
  j["total"] = sizes(out.total);
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace whittle
