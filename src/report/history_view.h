// HistoryView: `whittle history`, the config history matched to the layers
// it made, and its two printers (a docker-history-like table and JSON).
// Sizes come from the finished ImageScan, or, for an image whose layers were
// not read (docker://, docker-daemon: without --scan), from what the
// manifest or the Engine says; nothing is recomputed here.
//
// What it is not: the layer labels other reports use ("#N INSTRUCTION",
// scan/history_labels.h); this view also keeps the empty-layer entries.
#ifndef WHITTLE_REPORT_HISTORY_VIEW_H_
#define WHITTLE_REPORT_HISTORY_VIEW_H_

#include <cstdint>
#include <optional>
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

/// One layer's sizes as far as they are known; unknown prints "-" in the
/// table and null in JSON.
struct LayerNumbers {
  std::optional<uint64_t> size;   // file contents (`docker history` SIZE)
  std::optional<uint64_t> tar;    // the uncompressed layer tar
  std::optional<uint64_t> blob;   // bytes as stored or pulled
  std::optional<uint64_t> files;  // regular files, symlinks, hard links
};

/// Every number, for each layer of a finished scan.
std::vector<LayerNumbers> NumbersFromScan(const ImageScan& scan);

/// BLOB only (the manifest descriptors' sizes; unknown where the manifest
/// has none), for an image opened but not scanned.
std::vector<LayerNumbers> NumbersFromManifest(const Image& image);

/// SIZE only, as an Engine reports it (docker-daemon: without --scan).
std::vector<LayerNumbers> NumbersFromEngine(const std::vector<std::optional<uint64_t>>& sizes);

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
/// |numbers| has one entry per layer of |image|.
std::string FormatHistoryJson(const HistoryView& view, const Image& image, const std::vector<LayerNumbers>& numbers);

/// One line per row with the JSON keys as header: layer (empty for entries
/// that made no layer), created, createdBy, emptyLayer, size, tarSize,
/// blobSize, files, digest, diffId; sizes in bytes, unknown ones empty.
/// |sep| ',' quotes fields per RFC 4180; '\t' turns tabs and line breaks in
/// a field into spaces.
std::string FormatHistoryDelimited(const HistoryView& view, const Image& image,
                                   const std::vector<LayerNumbers>& numbers, char sep);

/// The table as GitHub markdown (a CI job summary): Layer, Created, Created
/// by (never cut), Size, Tar, Blob, Files, then a total row of the layers.
std::string FormatHistoryMarkdown(const HistoryView& view, const std::vector<LayerNumbers>& numbers);

struct HistoryTableOptions {
  /// The terminal's width, 0 when not a terminal: CREATED BY is cut to fit.
  size_t terminal_width = 0;
  bool no_trunc = false;  // never cut CREATED BY
};

/// LAYER CREATED CREATED-BY SIZE TAR BLOB FILES, columns separated by three
/// spaces and padded to the widest cell (sizes right-aligned, IEC units,
/// "-" when unknown).
std::string FormatHistoryTable(const HistoryView& view, const std::vector<LayerNumbers>& numbers,
                               const HistoryTableOptions& options);

}  // namespace whittle

#endif  // WHITTLE_REPORT_HISTORY_VIEW_H_
