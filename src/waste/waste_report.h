// Printers for `whittle waste`: the readable report, JSON and CSV over one
// finished analysis (dive's metrics + whittle's reclaimable summary). Pure
// functions returning text; the verb writes it.
#ifndef WHITTLE_WASTE_WASTE_REPORT_H_
#define WHITTLE_WASTE_WASTE_REPORT_H_

#include <string>
#include <vector>

#include "image/image.h"
#include "scan/layer_scan.h"
#include "waste/dive_metrics.h"
#include "waste/waste_summary.h"

namespace whittle {

/// What a report says that follows from the layers' scans alone (not from
/// the reference, the config's history or the options that shape the
/// text): what the per-image result cache keeps (cache/waste_cache.h).
struct WasteAnalysis {
  DiveMetrics dive;
  WasteSummary waste;
};

struct WasteReport {
  std::string image;                      // the reference as typed
  std::vector<std::string> layer_labels;  // "#N INSTRUCTION", one per layer
  std::vector<std::string> layer_digests; // blob digests ("" when unknown)
  DiveMetrics dive;
  WasteSummary waste;
};

/// Runs both analyses over a scanned image: MakeWasteReport of
/// AnalyzeScanWaste.
WasteReport AnalyzeWaste(const std::string& reference, const Image& image, const ImageScan& scan);

/// dive's metrics and whittle's summary of |scan| (entries needed).
WasteAnalysis AnalyzeScanWaste(const ImageScan& scan);

/// The report of |analysis|, made of |scan| (whose layers' entries are not
/// read: a totals-only scan will do) for |image| opened as |reference|.
WasteReport MakeWasteReport(const std::string& reference, const Image& image, const ImageScan& scan,
                            WasteAnalysis analysis);

/// Human report. |max_rows| caps the path table (0 = all); the rest is
/// summarised in one "[N Others]" row so totals still add up.
std::string FormatWasteText(const WasteReport& r, size_t max_rows);
/// JSON object with dive's keys (efficiency, sizeBytes, userSizeBytes,
/// wastedBytes, userWastedPercent, inefficientFiles) and whittle's
/// (reclaimableBytes, reclaimablePercent, duplicateBytes, layers, paths).
/// Layer numbers are 1-based, as in every report.
std::string FormatWasteJson(const WasteReport& r);
/// GitHub markdown for a CI job summary: the reclaimable bytes and dive's
/// efficiency, a per-layer table (stored, dead, overwritten, deleted,
/// hidden), and the reclaimable paths (|max_rows| of them, 0 = all, the rest
/// in one "[N Others]" row).
std::string FormatWasteMarkdown(const WasteReport& r, size_t max_rows);
/// One row per dead-bytes group: path,storedIn,killedBy,reason,files,sizeBytes.
std::string FormatWasteCsv(const WasteReport& r);
/// The same rows tab-separated; tabs and line breaks in a path become spaces.
std::string FormatWasteTsv(const WasteReport& r);

}  // namespace whittle

#endif  // WHITTLE_WASTE_WASTE_REPORT_H_
