#include <nlohmann/json.hpp>

#include "report/printers.h"
#include "util/strings.h"

namespace whittle {

namespace {

// Walks to the leaves, carrying the label of each level.
template <typename Fn>
void ForEachLeaf(const RollupRow& row, std::vector<const std::string*>* path, Fn&& fn) {
  if (row.children.empty()) {
    fn(*path, row);
    return;
  }
  for (const auto& c : row.children) {
    path->push_back(&c.name);
    ForEachLeaf(c, path, fn);
    path->pop_back();
  }
}

std::string TsvField(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

}  // namespace

std::string FormatDelimited(const RollupOutput& out, char sep) {
  auto field = [sep](const std::string& s) { return sep == ',' ? CsvQuote(s) : TsvField(s); };
  std::string s;
  for (const auto& name : out.source_names) {
    s += field(name);
    s += sep;
  }
  s += "blobSize";
  s += sep;
  s += "tarSize\n";
  std::vector<const std::string*> path;
  if (out.total.children.empty()) return s;
  ForEachLeaf(out.total, &path, [&](const std::vector<const std::string*>& labels, const RollupRow& row) {
    for (size_t k = 0; k < out.source_names.size(); ++k) {
      s += k < labels.size() ? field(*labels[k]) : "";
      s += sep;
    }
    s += std::to_string(row.blob);
    s += sep;
    s += std::to_string(row.tar);
    s += '\n';
  });
  return s;
}

std::string FormatJson(const RollupOutput& out) {
  nlohmann::ordered_json j;
  j["dataSources"] = out.source_names;
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::vector<const std::string*> path;
  if (!out.total.children.empty()) {
    ForEachLeaf(out.total, &path, [&](const std::vector<const std::string*>& labels, const RollupRow& row) {
      nlohmann::ordered_json r;
      for (size_t k = 0; k < out.source_names.size() && k < labels.size(); ++k) {
        r[out.source_names[k]] = *labels[k];
      }
      r["blobSize"] = row.blob;
      r["tarSize"] = row.tar;
      rows.push_back(std::move(r));
    });
  }
  j["rows"] = std::move(rows);
  j["total"] = {{"blobSize", out.total.blob}, {"tarSize", out.total.tar}};
  if (out.filtered) j["omitted"] = {{"blobSize", out.omitted_blob}, {"tarSize", out.omitted_tar}};
  // Replace invalid UTF-8 in labels rather than failing: names come from tars.
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace whittle
