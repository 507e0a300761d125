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
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "explore/layer_tree.h"
#include "scan/open_and_scan.h"
#include "sources/package_attribution.h"
#include "util/big_array.h"
#include "waste/entry_fate.h"

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
  std::printf("%-14s cpu median %7.1f ms  min %7.1f ms   wall median %7.1f ms  min %7.1f ms\n", what,
              cpu[cpu.size() / 2] * 1e3, cpu[0] * 1e3, wall[wall.size() / 2] * 1e3, wall[0] * 1e3);
}

}  // namespace

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
    Time("scan", runs, [&] { scan_with(nullptr); });
    Time("scan+capture", runs, [&] { scan_with(&rules); });
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
  Time("fates", runs, [&] {
    ScopedMediumBuffersOnSlabs slabs;  // as explore computes them
    ClassifyEntries(img.scan);
  });
  ImageFates fates = ClassifyEntries(img.scan);
  Time("tree", runs, [&] {
    LayerTree tree(img.scan, fates, LayerTree::NodesOnly{});
    tree.SelectLayer(img.scan.layers.size() - 1);
  });
  Time("owners", runs, [&] { PackageAttribution owners(img.scan, rules); });
  return 0;
}
