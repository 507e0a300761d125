// DiveMetrics: dive v0.13's image efficiency numbers, reproduced exactly so
// that .dive-ci thresholds migrate unchanged (github.com/wagoodman/dive,
// dive/filetree/efficiency.go and dive/image/analysis.go). These are dive's
// definitions, defects included (docs/waste.md lists them); whittle's own,
// truthful accounting is in entry_fate.h / waste_summary.h.
//
// What dive does, restated:
// - each layer is a file tree built from its tar members (AddPath): missing
//   parent directories are implied with an empty payload (not a directory,
//   size 0); opaque markers ".wh..wh..*" are never added;
// - for each layer, every LEAF of its tree (a node without children: files,
//   links, empty directories, whiteouts, implied...) is visited depth-first,
//   children in byte order, and charged to its path (a whiteout ".wh.X" to X):
//   a regular leaf with its size; a whiteout with the total size of the
//   subtree it deletes if that path is a directory in the stack of the lower
//   layers, else 0; a whiteout whose path is absent from that stack stops
//   the visit of the rest of that layer (dive's error path);
// - per path: count of visits, cumulative size, smallest visit size;
//   efficiency = sum(smallest) / sum(cumulative), 1.0 when the sum is 0;
// - inefficient files: paths visited at least twice, ordered as dive lists
//   them (largest cumulative size first; ties: the path that reached two
//   visits later comes first); wastedBytes = their cumulative sizes summed;
// - sizeBytes = sum of layer sizes (sum of member sizes), userSizeBytes the
//   same without the first layer, userWastedPercent = wasted / userSize.
// whittle differs in one documented place: where dive's division gives NaN
// or +Inf (no user bytes), userWastedPercent is 0.
//
// Cost: dive re-stacks all lower layers for every whiteout it meets; here the
// stack of lower layers is maintained incrementally (one pass per layer) and
// a directory whiteout's size is summed over the subtree it then removes, so
// the total is near-linear in entries.
#ifndef WHITTLE_WASTE_DIVE_METRICS_H_
#define WHITTLE_WASTE_DIVE_METRICS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "scan/layer_scan.h"

namespace whittle {

struct InefficientFile {
  std::string path;
  uint32_t count = 0;      // how many layer visits charged the path
  uint64_t size_bytes = 0; // cumulative size of those visits
};

struct DiveMetrics {
  double efficiency = 1.0;
  uint64_t size_bytes = 0;
  uint64_t user_size_bytes = 0;
  uint64_t wasted_bytes = 0;
  double user_wasted_percent = 0.0;  // a fraction, as dive's
  std::vector<InefficientFile> inefficient_files;  // dive's order
  std::vector<uint64_t> layer_sizes;               // dive's per-layer Size
};

DiveMetrics ComputeDiveMetrics(const ImageScan& scan);

class PathNodes;
/// The same, on the directory tree of |scan|'s paths |nodes| was made for
/// (waste/path_nodes.h), which ClassifyEntries may share.
DiveMetrics ComputeDiveMetrics(const ImageScan& scan, PathNodes& nodes);

}  // namespace whittle

#endif  // WHITTLE_WASTE_DIVE_METRICS_H_
