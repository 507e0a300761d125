// Printers over a finished RollupOutput (STYLE.md §10). They never compute
// sizes; they only lay out what the rollup holds.
#ifndef WHITTLE_REPORT_PRINTERS_H_
#define WHITTLE_REPORT_PRINTERS_H_

#include <string>

#include "model/rollup.h"
#include "model/rollup_diff.h"

namespace whittle {

enum class Domain { kBlob, kTar, kBoth };

struct TableOptions {
  Domain domain = Domain::kBoth;
  /// Labels longer than this are cut in the middle with "…"; 0 = never.
  size_t label_width = 80;
  /// When non-zero (a terminal's width), labels are also cut so that no
  /// row is wider than this.
  size_t line_width = 0;
};

/// The human table: one "percent size" column pair per domain, children
/// indented two spaces under their parent, TOTAL last.
std::string FormatTable(const RollupOutput& out, const TableOptions& options);

/// One row per leaf: one column per data source, then blobSize, tarSize in
/// raw bytes. No TOTAL row. |sep| is ',' (RFC 4180 quoting) or '\t' (tabs
/// and newlines in labels replaced by spaces).
std::string FormatDelimited(const RollupOutput& out, char sep);

/// {"dataSources": [...], "rows": [{<source>: label, ..., "blobSize", "tarSize"}],
///  "total": {"blobSize", "tarSize"}} — the CSV rows plus the total, and
///  "omitted": {"blobSize", "tarSize"} when a --source-filter left bytes out.
std::string FormatJson(const RollupOutput& out);

/// The diff table: per domain OLD, NEW, signed DELTA and CHANGE
/// (ChangeCell), children indented under their parent, TOTAL last.
std::string FormatDiffTable(const DiffOutput& out, const TableOptions& options);

/// One row per leaf: a column per data source, then oldBlobSize,
/// newBlobSize, deltaBlobSize, oldTarSize, newTarSize, deltaTarSize.
std::string FormatDiffDelimited(const DiffOutput& out, char sep);

/// {"dataSources", "rows": [{<source>: label, ..., "status": new|deleted|
/// changed|unchanged|others, "oldBlobSize", ... "deltaTarSize"}], "total": {...}}.
std::string FormatDiffJson(const DiffOutput& out);

}  // namespace whittle

#endif  // WHITTLE_REPORT_PRINTERS_H_
