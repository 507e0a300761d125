// The raw map: every byte range of every layer with the label it gets, in
// both domains (STYLE.md §10 `--raw-map`, bloaty's debug view). A debug
// view, but in the product: it shows the attribution the rollup sums, and
// a test checks it has no gaps and no overlaps.
#ifndef WHITTLE_REPORT_RAW_MAP_H_
#define WHITTLE_REPORT_RAW_MAP_H_

#include <string>

#include "image/image.h"
#include "scan/layer_scan.h"

namespace whittle {

/// One block per layer:
///
///   layer #1 ADD file:… in /: tar 1376256, blob 1376256
///       TAR_START      TAR_END   BLOB_START     BLOB_END  PART     PATH
///               0          512            0          512  header   /bin/
///
/// PART is header, data, padding or end ([end of archive]). Ranges are
/// half-open and contiguous from 0 to the layer's size in each domain.
std::string FormatRawMap(const Image& image, const ImageScan& scan);

}  // namespace whittle

#endif  // WHITTLE_REPORT_RAW_MAP_H_
