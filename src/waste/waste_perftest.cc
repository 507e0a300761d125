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
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "scan/open_and_scan.h"
#include "waste/dive_metrics.h"
#include "waste/entry_fate.h"
#include "waste/waste_summary.h"

namespace {

double CpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void Time(const char* what, int runs, const std::function<void()>& fn) {
  std::vector<double> cpu, wall;
  for (int i = 0; i < runs; ++i) {
    double c0 = CpuSeconds(), w0 = WallSeconds();
    fn();
    cpu.push_back(CpuSeconds() - c0);
    wall.push_back(WallSeconds() - w0);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  std::printf("%-10s cpu median %7.1f ms  min %7.1f ms   wall median %7.1f ms  min %7.1f ms\n", what,
              cpu[cpu.size() / 2] * 1e3, cpu[0] * 1e3, wall[wall.size() / 2] * 1e3, wall[0] * 1e3);
}

}  // namespace

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
  Time("scan", runs, [&] { scan(); });
  ScannedImage img = scan();
  size_t entries = 0;
  for (const LayerScan& l : img.scan.layers) entries += l.entries.size();
  std::printf("%zu layers, %zu entries, %zu paths\n", img.scan.layers.size(), entries, img.scan.paths->size());
  for (int round = 0; round < 2; ++round) {  // twice, alternated: the machine drifts
    Time("fates", runs, [&] { ClassifyEntries(img.scan); });
    ImageFates fates = ClassifyEntries(img.scan);
    Time("summary", runs, [&] { SummarizeWaste(img.scan, fates); });
    Time("dive", runs, [&] { ComputeDiveMetrics(img.scan); });
  }
  return 0;
}
