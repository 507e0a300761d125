#include "report/history_view.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "scan/history_labels.h"
#include "util/markdown.h"
#include "util/strings.h"

namespace whittle {

namespace {

using ojson = nlohmann::ordered_json;

// "2024-05-01T10:11:12.123456789Z" -> "2024-05-01T10:11:12Z".
std::string ShortTime(const std::string& t) {
  size_t dot = t.find('.');
  if (dot == std::string::npos || dot < 19) return t;
  size_t end = dot + 1;
  while (end < t.size() && t[end] >= '0' && t[end] <= '9') ++end;
  return t.substr(0, dot) + t.substr(end);
}

std::string PadRight(const std::string& s, size_t w) {
  size_t n = Utf8Width(s);
  return n >= w ? s : s + std::string(w - n, ' ');
}

std::string PadLeft(const std::string& s, size_t w) {
  size_t n = Utf8Width(s);
  return n >= w ? s : std::string(w - n, ' ') + s;
}

ojson DigestOrNull(const std::string* d) { return d == nullptr || d->empty() ? ojson() : ojson(*d); }

ojson NumberOrNull(const std::optional<uint64_t>& n) { return n ? ojson(*n) : ojson(); }

std::string SizeOrDash(const std::optional<uint64_t>& n) { return n ? FormatSize(*n) : "-"; }

// Empty-layer entries keep the same keys: null layer/digests, zero sizes.
ojson JsonRow(const HistoryRow& r, const Image& image, const std::vector<LayerNumbers>& numbers) {
  const bool has_layer = r.layer >= 0;
  const LayerNumbers* l = has_layer ? &numbers[static_cast<size_t>(r.layer)] : nullptr;
  const LayerRef* ref = has_layer ? &image.layers[static_cast<size_t>(r.layer)] : nullptr;
  ojson o;
  o["layer"] = has_layer ? ojson(r.layer + 1) : ojson();
  o["created"] = r.created;
  o["createdBy"] = r.created_by;
  o["emptyLayer"] = !has_layer;
  o["size"] = l ? NumberOrNull(l->size) : ojson(0);
  o["tarSize"] = l ? NumberOrNull(l->tar) : ojson(0);
  o["blobSize"] = l ? NumberOrNull(l->blob) : ojson(0);
  o["files"] = l ? NumberOrNull(l->files) : ojson(0);
  o["digest"] = DigestOrNull(ref ? &ref->blob.digest : nullptr);
  o["diffId"] = DigestOrNull(ref ? &ref->diff_id : nullptr);
  return o;
}

// The table's columns, in order; the first three are left-aligned.
enum Column { kLayer, kCreated, kBy, kSize, kTar, kBlob, kFiles, kColumns };
using Cells = std::array<std::string, kColumns>;

Cells TableCells(const HistoryRow& r, const std::vector<LayerNumbers>& numbers) {
  Cells c;
  c[kCreated] = r.created.empty() ? "-" : ShortTime(r.created);
  c[kBy] = CollapseWhitespace(r.created_by);
  if (r.layer < 0) {
    c[kLayer] = "-";
    c[kSize] = c[kTar] = c[kBlob] = "0";
    c[kFiles] = "-";
    return c;
  }
  const LayerNumbers& l = numbers[static_cast<size_t>(r.layer)];
  c[kLayer] = "#" + std::to_string(r.layer + 1);
  c[kSize] = SizeOrDash(l.size);
  c[kTar] = SizeOrDash(l.tar);
  c[kBlob] = SizeOrDash(l.blob);
  c[kFiles] = l.files ? std::to_string(*l.files) : "-";
  return c;
}

// Cuts CREATED BY so that a row fits |terminal_width| (at least 12 columns
// of it stay).
void FitToTerminal(size_t terminal_width, std::vector<Cells>* rows, std::array<size_t, kColumns>* widths) {
  size_t fixed = 6 * 3;
  for (int col = 0; col < kColumns; ++col) {
    if (col != kBy) fixed += (*widths)[col];
  }
  size_t avail = terminal_width > fixed + 12 ? terminal_width - fixed : 12;
  if ((*widths)[kBy] <= avail) return;
  (*widths)[kBy] = avail;
  for (Cells& c : *rows) c[kBy] = ElideEnd(c[kBy], avail);
}

}  // namespace

std::vector<LayerNumbers> NumbersFromScan(const ImageScan& scan) {
  std::vector<LayerNumbers> out;
  for (const LayerScan& l : scan.layers) out.push_back({l.content_size, l.tar_size, l.blob_size, l.files});
  return out;
}

std::vector<LayerNumbers> NumbersFromManifest(const Image& image) {
  std::vector<LayerNumbers> out(image.layers.size());
  for (size_t i = 0; i < image.layers.size(); ++i) {
    int64_t size = image.layers[i].blob.size;
    if (size >= 0) out[i].blob = static_cast<uint64_t>(size);
  }
  return out;
}

std::vector<LayerNumbers> NumbersFromEngine(const std::vector<std::optional<uint64_t>>& sizes) {
  std::vector<LayerNumbers> out(sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) out[i].size = sizes[i];
  return out;
}

HistoryView BuildHistoryView(const Image& image, bool newest_first) {
  HistoryView view;
  std::vector<int> match = MatchHistoryToLayers(image);
  if (match.empty() || match[0] >= 0) {
    size_t next_layer = 0;
    for (const auto& h : image.history) {
      int layer = h.empty_layer ? -1 : static_cast<int>(next_layer++);
      view.rows.push_back({layer, h.created, h.created_by});
    }
  } else {
    view.history_mismatch = !image.history.empty();
    for (size_t i = 0; i < image.layers.size(); ++i) {
      view.rows.push_back({static_cast<int>(i), "", StrFormat("[layer %zu]", i + 1)});
    }
  }
  if (newest_first) std::reverse(view.rows.begin(), view.rows.end());
  return view;
}

std::string FormatHistoryJson(const HistoryView& view, const Image& image, const std::vector<LayerNumbers>& numbers) {
  ojson arr = ojson::array();
  for (const HistoryRow& r : view.rows) arr.push_back(JsonRow(r, image, numbers));
  return arr.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

std::string FormatHistoryTable(const HistoryView& view, const std::vector<LayerNumbers>& numbers,
                               const HistoryTableOptions& options) {
  std::vector<Cells> rows;
  rows.push_back({"LAYER", "CREATED", "CREATED BY", "SIZE", "TAR", "BLOB", "FILES"});
  for (const HistoryRow& r : view.rows) rows.push_back(TableCells(r, numbers));
  std::array<size_t, kColumns> widths{};
  for (const Cells& c : rows) {
    for (int col = 0; col < kColumns; ++col) widths[col] = std::max(widths[col], Utf8Width(c[col]));
  }
  if (!options.no_trunc && options.terminal_width > 0) FitToTerminal(options.terminal_width, &rows, &widths);
  std::string out;
  for (const Cells& c : rows) {
    for (int col = 0; col < kColumns; ++col) {
      if (col > 0) out += "   ";
      out += col <= kBy ? PadRight(c[col], widths[col]) : PadLeft(c[col], widths[col]);
    }
    out += '\n';
  }
  return out;
}

namespace {

std::string DelimitedField(const std::string& s, char sep) {
  if (sep == ',') return CsvQuote(s);
  std::string out = s;
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

std::string NumberOrEmpty(const std::optional<uint64_t>& n) { return n ? std::to_string(*n) : ""; }

}  // namespace

std::string FormatHistoryDelimited(const HistoryView& view, const Image& image,
                                   const std::vector<LayerNumbers>& numbers, char sep) {
  const char* kHeader[] = {"layer", "created", "createdBy", "emptyLayer", "size",
                           "tarSize", "blobSize", "files", "digest", "diffId"};
  std::string out;
  for (size_t i = 0; i < std::size(kHeader); ++i) out += std::string(i ? 1 : 0, sep) + kHeader[i];
  out += '\n';
  for (const HistoryRow& r : view.rows) {
    const bool has_layer = r.layer >= 0;
    const LayerNumbers* l = has_layer ? &numbers[static_cast<size_t>(r.layer)] : nullptr;
    const LayerRef* ref = has_layer ? &image.layers[static_cast<size_t>(r.layer)] : nullptr;
    const std::string zero = "0";
    std::vector<std::string> cells = {has_layer ? std::to_string(r.layer + 1) : "",
                                      DelimitedField(r.created, sep),
                                      DelimitedField(r.created_by, sep),
                                      has_layer ? "false" : "true",
                                      l ? NumberOrEmpty(l->size) : zero,
                                      l ? NumberOrEmpty(l->tar) : zero,
                                      l ? NumberOrEmpty(l->blob) : zero,
                                      l ? NumberOrEmpty(l->files) : zero,
                                      ref ? ref->blob.digest : "",
                                      ref ? ref->diff_id : ""};
    for (size_t i = 0; i < cells.size(); ++i) out += std::string(i ? 1 : 0, sep) + cells[i];
    out += '\n';
  }
  return out;
}

std::string FormatHistoryMarkdown(const HistoryView& view, const std::vector<LayerNumbers>& numbers) {
  std::vector<std::vector<std::string>> rows;
  for (const HistoryRow& r : view.rows) {
    Cells c = TableCells(r, numbers);
    c[kBy] = MarkdownCell(c[kBy]);
    c[kCreated] = MarkdownCell(c[kCreated]);
    rows.emplace_back(c.begin(), c.end());
  }
  // The total of each column over the layers, when every layer's is known.
  auto total = [&numbers](std::optional<uint64_t> LayerNumbers::*field, bool as_size) -> std::string {
    uint64_t sum = 0;
    for (const LayerNumbers& l : numbers) {
      if (!(l.*field)) return "-";
      sum += *(l.*field);
    }
    return as_size ? FormatSize(sum) : std::to_string(sum);
  };
  rows.push_back({"**Total**", "", StrFormat("%zu layers", numbers.size()), total(&LayerNumbers::size, true),
                  total(&LayerNumbers::tar, true), total(&LayerNumbers::blob, true),
                  total(&LayerNumbers::files, false)});
  return MarkdownTable({"Layer", "Created", "Created by", "Size", "Tar", "Blob", "Files"},
                       {false, false, false, true, true, true, true}, rows);
}

}  // namespace whittle
