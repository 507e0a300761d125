#include "waste/ci_metrics.h"

namespace whittle {

CiMetrics MeasureForCi(const WasteReport& report, const Image& image, const ImageScan& scan) {
  CiMetrics m;
  m.efficiency = report.dive.efficiency;
  m.wasted_bytes = report.dive.wasted_bytes;
  m.user_wasted_percent = report.dive.user_wasted_percent;
  m.image_size = report.dive.size_bytes;
  m.blob_size = image.config_json.size();
  for (const LayerScan& l : scan.layers) m.blob_size += l.blob_size;
  m.reclaimable_bytes = report.waste.reclaimable_bytes;
  m.reclaimable_percent = report.waste.reclaimable_fraction;
  m.layers = scan.layers.size();
  return m;
}

}  // namespace whittle
