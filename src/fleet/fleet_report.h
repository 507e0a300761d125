// FleetReport: what `whittle scan --report` prints from a fleet store: the
// images with the most reclaimable bytes, the layers most images share, and
// each explain finding summed over the fleet. A pure function of the rows
// (FleetStore::Images), so one process or four shards filling the same
// store print the same bytes.
//
// Order, every table: the measure descending, ties by digest (images,
// layers) or id (findings), so output never depends on scan order.
#ifndef WHITTLE_FLEET_FLEET_REPORT_H_
#define WHITTLE_FLEET_FLEET_REPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fleet/fleet_store.h"

namespace whittle::fleet {

struct SharedLayer {
  LayerRow layer;
  size_t images = 0;  // images that hold it
};

struct FleetFinding {
  std::string id;
  std::string lever;
  size_t images = 0;   // images where explain found it (among their top findings)
  uint64_t bytes = 0;  // summed over those images
};

struct FleetReport {
  size_t images = 0;
  uint64_t size = 0;         // every image's layers, counted per image
  uint64_t pull_size = 0;
  uint64_t reclaimable = 0;
  size_t layers = 0;             // distinct layers
  uint64_t layer_bytes = 0;      // distinct layers' tar bytes: stored once
  uint64_t layer_pull_bytes = 0; // distinct layers' blob bytes
  std::vector<ImageRow> top_images;      // by reclaimable
  std::vector<SharedLayer> shared_layers;  // by images, then size
  std::vector<FleetFinding> findings;     // by bytes
};

/// Builds the report over |images|: every image, layer and finding (the
/// printers cut the tty tables to |rows|).
FleetReport BuildFleetReport(const std::vector<ImageRow>& images);

/// Three tables, each cut to |rows| rows (0: all), sizes in IEC units.
std::string FormatFleetReportText(const FleetReport& r, size_t rows);
/// One CSV with a `section` column (image, layer, finding); every row, raw bytes.
std::string FormatFleetReportCsv(const FleetReport& r);
/// One JSON object, lowerCamelCase keys, every row, raw bytes.
std::string FormatFleetReportJson(const FleetReport& r);

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_FLEET_REPORT_H_
