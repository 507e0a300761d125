// The numbers `whittle ci` checks its rules against, gathered from one
// analysed image: dive's metrics, whittle's reclaimable bytes, the pulled
// size and the layer count. Rules (ci_rules.h) and printers (ci_report.h)
// never look at the image; this is the one place that does.
#ifndef WHITTLE_WASTE_CI_METRICS_H_
#define WHITTLE_WASTE_CI_METRICS_H_

#include "image/image.h"
#include "scan/layer_scan.h"
#include "waste/ci_rules.h"
#include "waste/waste_report.h"

namespace whittle {

/// CiMetrics of |image|, scanned as |scan| and analysed as |report|
/// (AnalyzeWaste over the same image and scan). blob_size is what a pull
/// transfers: every layer blob plus the config.
CiMetrics MeasureForCi(const WasteReport& report, const Image& image, const ImageScan& scan);

}  // namespace whittle

#endif  // WHITTLE_WASTE_CI_METRICS_H_
