#include "waste/waste_report.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "scan/history_labels.h"
#include "util/markdown.h"
#include "util/strings.h"
#include "waste/path_nodes.h"

namespace whittle {

namespace {

std::string LayerNum(uint32_t layer) { return layer == kNoLayer ? "-" : "#" + std::to_string(layer + 1); }

// Shortest text that reads back as the same double ("0.9844212134184309").
std::string ShortestDouble(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

std::string Percent(double fraction) { return StrFormat("%.2f%%", fraction * 100.0); }

}  // namespace

WasteReport AnalyzeWaste(const std::string& reference, const Image& image, const ImageScan& scan) {
  return MakeWasteReport(reference, image, scan, AnalyzeScanWaste(scan));
}

WasteAnalysis AnalyzeScanWaste(const ImageScan& scan) {
  WasteAnalysis a;
  PathNodes nodes(*scan.paths);  // each path's parent, found once for both
  a.dive = ComputeDiveMetrics(scan, nodes);
  a.waste = SummarizeWaste(scan, ClassifyEntries(scan, nodes));
  return a;
}

WasteReport MakeWasteReport(const std::string& reference, const Image& image, const ImageScan& scan,
                            WasteAnalysis analysis) {
  WasteReport r;
  r.image = reference;
  r.layer_labels = LayerLabels(image);
  for (const LayerScan& l : scan.layers) {
    std::string digest = l.blob_digest;
    if (digest.empty() && l.index < image.layers.size()) digest = image.layers[l.index].blob.digest;
    r.layer_digests.push_back(digest);
  }
  r.dive = std::move(analysis.dive);
  r.waste = std::move(analysis.waste);
  return r;
}

std::string FormatWasteText(const WasteReport& r, size_t max_rows) {
  const DiveMetrics& d = r.dive;
  const WasteSummary& w = r.waste;
  std::string out;
  out += StrFormat("Reclaimable: %s of %s content bytes (%s) are stored in layers but not visible\n",
                   FormatSizeWithUnit(w.reclaimable_bytes).c_str(), FormatSizeWithUnit(w.total_bytes).c_str(),
                   Percent(w.reclaimable_fraction).c_str());
  if (w.duplicate_bytes) {
    out += StrFormat("Duplicates:  %s of identical content at several visible paths\n",
                     FormatSizeWithUnit(*w.duplicate_bytes).c_str());
  }

  out += "\nReclaimable paths (where later layers overwrote, deleted or hid stored bytes):\n";
  if (w.groups.empty()) {
    out += "  (none)\n";
  } else {
    out += StrFormat("  %8s %6s  %-6s %-6s %-16s %s\n", "SIZE", "FILES", "STORED", "KILLED", "REASON", "PATH");
    size_t shown = max_rows == 0 ? w.groups.size() : std::min(max_rows, w.groups.size());
    for (size_t i = 0; i < shown; ++i) {
      const DeadGroup& g = w.groups[i];
      out += StrFormat("  %8s %6llu  %-6s %-6s %-16s %s\n", FormatSize(g.bytes).c_str(),
                       static_cast<unsigned long long>(g.files), LayerNum(g.layer).c_str(),
                       LayerNum(g.killer).c_str(), std::string(FateName(g.reason)).c_str(),
                       EscapeForMessage(g.path, 4096).c_str());
    }
    if (shown < w.groups.size()) {
      uint64_t bytes = 0, files = 0;
      for (size_t i = shown; i < w.groups.size(); ++i) {
        bytes += w.groups[i].bytes;
        files += w.groups[i].files;
      }
      out += StrFormat("  %8s %6llu  %-6s %-6s %-16s [%zu Others]\n", FormatSize(bytes).c_str(),
                       static_cast<unsigned long long>(files), "", "", "", w.groups.size() - shown);
    }
  }

  out += "\nPer layer (content bytes):\n";
  out += StrFormat("  %-6s %8s %8s %8s %8s %8s %8s  %s\n", "LAYER", "STORED", "DEAD", "OVERWR", "DELETED", "HIDDEN",
                   "KILLS", "CREATED BY");
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerWaste& l = w.layers[i];
    std::string label = i < r.layer_labels.size() ? r.layer_labels[i] : "";
    // Labels start with "#N "; the number is in the first column already.
    if (StartsWith(label, "#")) {
      size_t sp = label.find(' ');
      label = sp == std::string::npos ? "" : label.substr(sp + 1);
    }
    if (label.size() > 60) label = label.substr(0, 57) + "...";
    out += StrFormat("  %-6s %8s %8s %8s %8s %8s %8s  %s\n", LayerNum(static_cast<uint32_t>(i)).c_str(),
                     FormatSize(l.stored_bytes).c_str(), FormatSize(l.dead_bytes).c_str(),
                     FormatSize(l.overwritten_bytes).c_str(), FormatSize(l.deleted_bytes).c_str(),
                     FormatSize(l.hidden_bytes).c_str(), FormatSize(l.killed_bytes).c_str(), label.c_str());
  }

  out += "\ndive-compatible metrics (computed as dive v0.13 does):\n";
  out += StrFormat("  efficiency:         %.4f%%  (%s)\n", d.efficiency * 100.0, ShortestDouble(d.efficiency).c_str());
  out += StrFormat("  sizeBytes:          %llu  (%s)\n", static_cast<unsigned long long>(d.size_bytes),
                   FormatSizeWithUnit(d.size_bytes).c_str());
  out += StrFormat("  userSizeBytes:      %llu  (%s)\n", static_cast<unsigned long long>(d.user_size_bytes),
                   FormatSizeWithUnit(d.user_size_bytes).c_str());
  out += StrFormat("  wastedBytes:        %llu  (%s)\n", static_cast<unsigned long long>(d.wasted_bytes),
                   FormatSizeWithUnit(d.wasted_bytes).c_str());
  out += StrFormat("  userWastedPercent:  %.4f%%  (%s)\n", d.user_wasted_percent * 100.0,
                   ShortestDouble(d.user_wasted_percent).c_str());
  out += "  inefficient files:";
  if (d.inefficient_files.empty()) {
    out += " (none)\n";
  } else {
    out += StrFormat("\n  %7s %12s  %s\n", "COUNT", "WASTED", "PATH");
    size_t shown = max_rows == 0 ? d.inefficient_files.size() : std::min(max_rows, d.inefficient_files.size());
    for (size_t i = 0; i < shown; ++i) {
      const InefficientFile& f = d.inefficient_files[i];
      out += StrFormat("  %7u %12s  %s\n", f.count, FormatSize(f.size_bytes).c_str(),
                       EscapeForMessage(f.path, 4096).c_str());
    }
    if (shown < d.inefficient_files.size()) {
      uint64_t bytes = 0;
      for (size_t i = shown; i < d.inefficient_files.size(); ++i) bytes += d.inefficient_files[i].size_bytes;
      out += StrFormat("  %7s %12s  [%zu Others]\n", "", FormatSize(bytes).c_str(), d.inefficient_files.size() - shown);
    }
  }
  return out;
}

std::string FormatWasteJson(const WasteReport& r) {
  using nlohmann::json;
  const DiveMetrics& d = r.dive;
  const WasteSummary& w = r.waste;
  json j = json::object();
  j["image"] = r.image;
  j["efficiency"] = d.efficiency;
  j["sizeBytes"] = d.size_bytes;
  j["userSizeBytes"] = d.user_size_bytes;
  j["wastedBytes"] = d.wasted_bytes;
  j["userWastedPercent"] = d.user_wasted_percent;
  json files = json::array();
  for (const InefficientFile& f : d.inefficient_files) {
    files.push_back({{"path", f.path}, {"count", f.count}, {"sizeBytes", f.size_bytes}});
  }
  j["inefficientFiles"] = std::move(files);
  j["reclaimableBytes"] = w.reclaimable_bytes;
  j["reclaimablePercent"] = w.reclaimable_fraction;
  j["duplicateBytes"] = w.duplicate_bytes ? json(*w.duplicate_bytes) : json(nullptr);
  j["contentBytes"] = w.total_bytes;
  json layers = json::array();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerWaste& l = w.layers[i];
    json o = {{"layer", i + 1},
              {"label", i < r.layer_labels.size() ? r.layer_labels[i] : ""},
              {"digest", i < r.layer_digests.size() ? r.layer_digests[i] : ""},
              {"storedBytes", l.stored_bytes},
              {"deadBytes", l.dead_bytes},
              {"overwrittenBytes", l.overwritten_bytes},
              {"deletedBytes", l.deleted_bytes},
              {"hiddenBytes", l.hidden_bytes},
              {"killedBytes", l.killed_bytes},
              {"deadFiles", l.dead_files},
              {"diveSizeBytes", i < d.layer_sizes.size() ? d.layer_sizes[i] : 0}};
    layers.push_back(std::move(o));
  }
  j["layers"] = std::move(layers);
  json paths = json::array();
  for (const DeadGroup& g : w.groups) {
    paths.push_back({{"path", g.path},
                     {"storedIn", g.layer + 1},
                     {"killedBy", g.killer == kNoLayer ? json(nullptr) : json(g.killer + 1)},
                     {"reason", std::string(FateName(g.reason))},
                     {"files", g.files},
                     {"sizeBytes", g.bytes}});
  }
  j["paths"] = std::move(paths);
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string FormatWasteMarkdown(const WasteReport& r, size_t max_rows) {
  const DiveMetrics& d = r.dive;
  const WasteSummary& w = r.waste;
  std::string out = StrFormat("**%s**: %s of %s content bytes (%s) are stored in layers but not visible",
                              MarkdownCell(r.image).c_str(), FormatSizeWithUnit(w.reclaimable_bytes).c_str(),
                              FormatSizeWithUnit(w.total_bytes).c_str(), Percent(w.reclaimable_fraction).c_str());
  out += StrFormat("; dive efficiency %.4f%%, wasted %s", d.efficiency * 100.0, FormatSizeWithUnit(d.wasted_bytes).c_str());
  if (w.duplicate_bytes) out += StrFormat("; duplicates %s", FormatSizeWithUnit(*w.duplicate_bytes).c_str());
  out += "\n\n";
  std::vector<std::vector<std::string>> layers;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerWaste& l = w.layers[i];
    std::string label = i < r.layer_labels.size() ? r.layer_labels[i] : "";
    if (StartsWith(label, "#")) {
      size_t sp = label.find(' ');
      label = sp == std::string::npos ? "" : label.substr(sp + 1);
    }
    layers.push_back({LayerNum(static_cast<uint32_t>(i)), MarkdownCell(ElideEnd(label, 60)),
                      FormatSize(l.stored_bytes), FormatSize(l.dead_bytes), FormatSize(l.overwritten_bytes),
                      FormatSize(l.deleted_bytes), FormatSize(l.hidden_bytes), FormatSize(l.killed_bytes)});
  }
  out += MarkdownTable({"Layer", "Created by", "Stored", "Dead", "Overwritten", "Deleted", "Hidden", "Kills"},
                       {false, false, true, true, true, true, true, true}, layers);
  out += "\nReclaimable paths:\n\n";
  if (w.groups.empty()) return out + "None.\n";
  std::vector<std::vector<std::string>> paths;
  size_t shown = max_rows == 0 ? w.groups.size() : std::min(max_rows, w.groups.size());
  for (size_t i = 0; i < shown; ++i) {
    const DeadGroup& g = w.groups[i];
    paths.push_back({FormatSize(g.bytes), std::to_string(g.files), LayerNum(g.layer), LayerNum(g.killer),
                     std::string(FateName(g.reason)), MarkdownCell(g.path)});
  }
  if (shown < w.groups.size()) {
    uint64_t bytes = 0, files = 0;
    for (size_t i = shown; i < w.groups.size(); ++i) {
      bytes += w.groups[i].bytes;
      files += w.groups[i].files;
    }
    paths.push_back({FormatSize(bytes), std::to_string(files), "", "", "",
                     MarkdownCell(StrFormat("[%zu Others]", w.groups.size() - shown))});
  }
  out += MarkdownTable({"Size", "Files", "Stored", "Killed", "Reason", "Path"},
                       {true, true, false, false, false, false}, paths);
  return out;
}

std::string FormatWasteCsv(const WasteReport& r) {
  std::string out = "path,storedIn,killedBy,reason,files,sizeBytes\n";
  for (const DeadGroup& g : r.waste.groups) {
    out += StrFormat("%s,%u,%u,%s,%llu,%llu\n", CsvQuote(g.path).c_str(), g.layer + 1, g.killer + 1,
                     std::string(FateName(g.reason)).c_str(), static_cast<unsigned long long>(g.files),
                     static_cast<unsigned long long>(g.bytes));
  }
  return out;
}

std::string FormatWasteTsv(const WasteReport& r) {
  std::string out = "path\tstoredIn\tkilledBy\treason\tfiles\tsizeBytes\n";
  for (const DeadGroup& g : r.waste.groups) {
    std::string path = g.path;
    for (char& c : path) {
      if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    }
    out += StrFormat("%s\t%u\t%u\t%s\t%llu\t%llu\n", path.c_str(), g.layer + 1, g.killer + 1,
                     std::string(FateName(g.reason)).c_str(), static_cast<unsigned long long>(g.files),
                     static_cast<unsigned long long>(g.bytes));
  }
  return out;
}

}  // namespace whittle
