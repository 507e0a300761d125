// WasteSummary: whittle's own "reclaimable bytes" report, rolled up from the
// per-member fates of entry_fate.h: per layer (stored / dead by reason /
// killed in lower layers) and per kill root (the path where a later layer
// overwrote, deleted or hid what a lower layer stored).
//
// Bytes are content bytes (LayerEntry::size), as dive counts: headers and
// padding are in `profile`, not here. Hard links carry no bytes; the data of
// a file is charged once, to the member holding it.
#ifndef WHITTLE_WASTE_WASTE_SUMMARY_H_
#define WHITTLE_WASTE_WASTE_SUMMARY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scan/layer_scan.h"
#include "waste/entry_fate.h"

namespace whittle {

struct LayerWaste {
  uint64_t stored_bytes = 0;       // content bytes the layer stores
  uint64_t dead_bytes = 0;         // of those, not visible in the final filesystem
  uint64_t overwritten_bytes = 0;  // dead_bytes split by reason
  uint64_t deleted_bytes = 0;
  uint64_t hidden_bytes = 0;
  uint64_t killed_bytes = 0;       // bytes of this or lower layers that this layer made dead
  uint64_t dead_files = 0;         // dead members with content bytes
};

/// Dead bytes grouped by where and how they died.
struct DeadGroup {
  std::string path;        // the kill root: overwritten path, deleted path, opaque dir
  uint32_t layer = 0;      // 0-based layer that stored the bytes
  uint32_t killer = 0;     // 0-based layer that made them dead
  Fate reason = Fate::kOverwritten;
  uint64_t files = 0;      // dead members with content bytes
  uint64_t bytes = 0;
};

struct WasteSummary {
  uint64_t total_bytes = 0;        // content bytes of all layers
  uint64_t reclaimable_bytes = 0;  // sum of dead bytes
  double reclaimable_fraction = 0; // reclaimable / total; 0 when total is 0
  std::vector<LayerWaste> layers;
  /// Largest first; ties by layer, then path.
  std::vector<DeadGroup> groups;
  /// Identical content at several visible paths (bytes of the copies beyond
  /// the first); empty unless content hashes were computed (--hash).
  std::optional<uint64_t> duplicate_bytes;
};

WasteSummary SummarizeWaste(const ImageScan& scan, const ImageFates& fates);

}  // namespace whittle

#endif  // WHITTLE_WASTE_WASTE_SUMMARY_H_
