// HistoryView: `whittle history`, the config history matched to the layers
// it made, and its two printers (a docker-history-like table and JSON).
// Sizes come from the finished ImageScan; nothing is recomputed here.
//
// What it is not: the layer labels other reports use ("#N INSTRUCTION",
// scan/history_labels.h); this view also keeps the empty-layer entries.
#ifndef WHITTLE_REPORT_HISTORY_VIEW_H_
#define WHITTLE_REPORT_HISTORY_VIEW_H_

#include <string>
#include <vector>

#include "image/image.h"
#include "scan/layer_scan.h"

namespace whittle {

struct HistoryRow {
  int layer = -1;          // 0-based index of the layer it made; -1 for none
  std::string created;     // as in the config ("" when unknown)
  std::string created_by;  // the instruction, or "[layer N]" without history
};

struct HistoryView {
  /// Oldest first, or newest first when asked.
  std::vector<HistoryRow> rows;
  /// The config has history entries, but they do not match the layers one
  /// to one; |rows| then has one "[layer N]" row per layer.
  bool history_mismatch = false;
};

/// One row per config history entry (when the entries that made layers
/// match the layers), else one row per layer.
HistoryView BuildHistoryView(const Image& image, bool newest_first);

/// A JSON array, one object per row, with the same keys for every row:
/// layer (1-based, null for empty entries), created, createdBy, emptyLayer,
/// size, tarSize, blobSize, files, digest and diffId (null when unknown).
std::string FormatHistoryJson(const HistoryView& view, const Image& image, const ImageScan& scan);

struct HistoryTableOptions {
  /// The terminal's width, 0 when not a terminal: CREATED BY is cut to fit.
  size_t terminal_width = 0;
  bool no_trunc = false;  // never cut CREATED BY
};

/// LAYER CREATED CREATED-BY SIZE TAR BLOB FILES, columns separated by three
/// spaces and padded to the widest cell (sizes right-aligned, IEC units).
std::string FormatHistoryTable(const HistoryView& view, const ImageScan& scan, const HistoryTableOptions& options);

}  // namespace whittle

#endif  // WHITTLE_REPORT_HISTORY_VIEW_H_
