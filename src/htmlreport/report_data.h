// ReportData: everything `whittle report` shows, as the one JSON document
// the HTML page embeds and `report --json` prints (issue 12). Built from the
// analyses the other verbs print, never recomputed another way:
//
//   header      waste's dive metrics and reclaimable bytes (waste/), the
//               profile TOTAL in BLOB and TAR bytes (sources/image_profile)
//   layers      profile -d layers,waste: per layer, live against
//               reclaimable (overwritten, deleted, hidden-by-opaque) bytes
//   tree        the final filesystem (live members, waste/entry_fate.h),
//               kind per file (the `kinds` source's table), cut to a node
//               budget (htmlreport/fs_tree.h)
//   waste       waste's dead-bytes groups, largest first, capped
//   explain     explain --json, when a Dockerfile is given
//   diff        diff --json over `kinds` and `paths`, when a base is given
//
// Layer numbers are 1-based, as in every report. The schema is in
// docs/report.md.
#ifndef WHITTLE_HTMLREPORT_REPORT_DATA_H_
#define WHITTLE_HTMLREPORT_REPORT_DATA_H_

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explain/explain.h"
#include "image/image.h"
#include "scan/body_capture.h"
#include "scan/layer_scan.h"
#include "sources/data_source.h"
#include "util/status.h"

namespace whittle::htmlreport {

/// The embedded-data budget (docs/report.md "Scale").
struct ReportBudget {
  size_t tree_nodes = 20000;  // nodes of the filesystem tree (fs_tree.h)
  size_t waste_rows = 1000;   // dead-bytes groups; the rest in one "others" row
  size_t diff_rows = 100;     // rows of the paths diff before "[N Others]"
};

struct ReportInput {
  std::string reference;                    // IMAGE as typed
  const Image* image = nullptr;             // not owned, not null
  const ImageScan* scan = nullptr;          // not owned, not null
  /// The image's source inputs, built with |capture| (package owners feed
  /// the kinds); not owned, not null.
  SourceInputs* inputs = nullptr;
  /// The capture rules both scans ran with; not owned, may be null.
  const CaptureRules* capture = nullptr;
  /// explain's report when --dockerfile was given; not owned, may be null.
  const explain::ExplainReport* explain = nullptr;
  /// --base: the old image, scanned with |capture|; null without.
  std::string base_reference;
  const Image* base_image = nullptr;
  const ImageScan* base_scan = nullptr;
  ReportBudget budget;
};

/// Builds the document. Warnings met on the way (malformed package
/// databases) are appended to |warnings|. Fails only when an accounting
/// invariant breaks (kInternal), as profile does.
Result<nlohmann::json> BuildReportData(const ReportInput& in, std::vector<std::string>* warnings);

/// `report --json`: the document, indented, newline-terminated. Invalid
/// UTF-8 in paths is replaced, as in every JSON printer.
std::string FormatReportJson(const nlohmann::json& data);

}  // namespace whittle::htmlreport

#endif  // WHITTLE_HTMLREPORT_REPORT_DATA_H_
