// Micro benchmark (run by hand, not by ctest): the pieces of `whittle
// explore`'s start, each alone, on one image, so a change to one of them is
// measured apart from the machine's noise (bench/explore_first_screen_bench.py
// times the whole first screen through a terminal).
//
//   build/src/explore/explore_perftest IMAGE [RUNS]
//
// Prints, per piece, the median and minimum over RUNS (default 7) of the
// process CPU time and the wall time:
//   scan            the one pass, no bodies captured (what `profile` reads)
//   scan+capture    the same pass with the package capture rules (explore's)
//   fates           ClassifyEntries, medium buffers on slabs as explore has them
//   tree            LayerTree (nodes, then the top layer selected)
//   owners          PackageAttribution over the captured bodies
// The scan runs on one thread (-j 1) so CPU and wall agree on a quiet core.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "explore/layer_tree.h"
#include "scan/open_and_scan.h"
#include "sources/package_attribution.h"
#include "util/big_array.h"
#include "util/perftest_timer.h"
#include "waste/entry_fate.h"

int main(int argc, char** argv) {
  using namespace whittle;
  if (argc < 2) {
    std::fprintf(stderr, "usage: explore_perftest IMAGE [RUNS]\n");
    return 2;
  }
  const std::string ref = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  CaptureRules rules;
  AddPackageCaptureRules(&rules);
  auto scan_with = [&](const CaptureRules* capture) {
    ScanOptions options;
    options.threads = 1;
    options.capture = capture;
    auto got = OpenAndScanImage(ref, OpenOptions{}, options);
    if (!got) {
      std::fprintf(stderr, "explore_perftest: %s\n", got.error().message().c_str());
      std::exit(2);
    }
    return std::move(*got);
  };
  scan_with(&rules);                         // warm-up: the page cache, the allocator
  for (int round = 0; round < 2; ++round) {  // twice, alternated: the machine drifts
    TimeRuns("scan", runs, [&] { scan_with(nullptr); });
    TimeRuns("scan+capture", runs, [&] { scan_with(&rules); });
  }
  ScannedImage img = scan_with(&rules);
  size_t bodies = 0, bytes = 0;
  for (const LayerScan& l : img.scan.layers) {
    for (const CapturedBody& c : l.captured) {
      ++bodies;
      bytes += c.payload.size();
    }
  }
  std::printf("captured: %zu bodies, %zu bytes\n", bodies, bytes);
  TimeRuns("fates", runs, [&] {
    ScopedMediumBuffersOnSlabs slabs;  // as explore computes them
    ClassifyEntries(img.scan);
  });
  ImageFates fates = ClassifyEntries(img.scan);
  TimeRuns("tree", runs, [&] {
    LayerTree tree(img.scan, fates, LayerTree::NodesOnly{});
    tree.SelectLayer(img.scan.layers.size() - 1);
  });
  TimeRuns("owners", runs, [&] { PackageAttribution owners(img.scan, rules); });
  return 0;
}
