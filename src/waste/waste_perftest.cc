// Micro benchmark (run by hand, not by ctest): the pieces of `whittle waste`
// after the scan, each alone, on one image, so a change to one of them is
// measured apart from the machine's noise (bench/waste_scale_bench.sh times
// the whole verb against `profile`).
//
//   build/src/waste/waste_perftest IMAGE [RUNS]
//
// Prints, per piece, the median and minimum over RUNS (default 7) of the
// process CPU time and the wall time:
//   scan       the one pass (what `profile` reads), one thread
//   fates      ClassifyEntries (whittle's reclaimable bytes)
//   summary    SummarizeWaste over those fates
//   dive       ComputeDiveMetrics (dive's efficiency and inefficient files)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "scan/open_and_scan.h"
#include "util/perftest_timer.h"
#include "waste/dive_metrics.h"
#include "waste/entry_fate.h"
#include "waste/waste_summary.h"

int main(int argc, char** argv) {
  using namespace whittle;
  if (argc < 2) {
    std::fprintf(stderr, "usage: waste_perftest IMAGE [RUNS]\n");
    return 2;
  }
  const std::string ref = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 7;
  auto scan = [&] {
    ScanOptions options;
    options.threads = 1;
    auto got = OpenAndScanImage(ref, OpenOptions{}, options);
    if (!got) {
      std::fprintf(stderr, "waste_perftest: %s\n", got.error().message().c_str());
      std::exit(2);
    }
    return std::move(*got);
  };
  scan();  // warm-up: the page cache, the allocator
  TimeRuns("scan", runs, [&] { scan(); });
  ScannedImage img = scan();
  size_t entries = 0;
  for (const LayerScan& l : img.scan.layers) entries += l.entries.size();
  std::printf("%zu layers, %zu entries, %zu paths\n", img.scan.layers.size(), entries, img.scan.paths->size());
  for (int round = 0; round < 2; ++round) {  // twice, alternated: the machine drifts
    TimeRuns("fates", runs, [&] { ClassifyEntries(img.scan); });
    ImageFates fates = ClassifyEntries(img.scan);
    TimeRuns("summary", runs, [&] { SummarizeWaste(img.scan, fates); });
    TimeRuns("dive", runs, [&] { ComputeDiveMetrics(img.scan); });
  }
  return 0;
}
