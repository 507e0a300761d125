// Times the blob pipeline (file -> SHA-256 check -> decompress -> drain)
// against the reference CLI on the same file, and prints the ratio.
//
//   io_perftest FILE.gz|FILE.zst [runs]
//
// Modes timed: no hashing, inline hashing, background hashing. The target
// (issue 2) is <= 1.15x `igzip -dc` / `zstd -dc` including the digest check.
#include <sys/resource.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "io/decompress.h"
#include "io/file_source.h"
#include "io/hashing_source.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double CpuNow() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double ChildCpuNow() {
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// CPU time of the calling thread only: on an idle machine the pipeline's
// wall time is about the consumer thread's CPU time.
double ThreadCpuNow() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: io_perftest FILE.gz|FILE.zst [runs]\n");
    return 2;
  }
  std::string path = argv[1];
  int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  bool zstd = EndsWith(path, ".zst");
  Compression c = zstd ? Compression::kZstd : Compression::kGzip;
  std::string baseline = std::string(zstd ? "zstd -q -dc '" : "igzip -dc '") + path + "' > /dev/null";

  // The digest, computed once (warms the page cache too).
  std::string digest;
  {
    auto src = HashingSource::Make(*OpenFileSource(path), "", -1, HashThreading::kInline);
    auto n = Drain(*src);
    if (!n.has_value()) {
      std::fprintf(stderr, "%s\n", n.error().message().c_str());
      return 2;
    }
    digest = src->digest();
  }

  struct Mode {
    const char* name;
    int hash;  // 0 none, 1 inline, 2 background
    std::vector<double> times;
    std::vector<double> cpu;
    std::vector<double> main_cpu;
  };
  Mode modes[] = {{"no digest check", 0, {}}, {"inline hashing", 1, {}}, {"background hashing", 2, {}}};
  std::vector<double> base;
  std::vector<double> base_cpu;
  for (int r = 0; r < runs; ++r) {
    double t0 = Now();
    double cc0 = ChildCpuNow();
    if (std::system(baseline.c_str()) != 0) {
      std::fprintf(stderr, "baseline failed: %s\n", baseline.c_str());
      return 2;
    }
    base.push_back(Now() - t0);
    base_cpu.push_back(ChildCpuNow() - cc0);
    for (Mode& m : modes) {
      t0 = Now();
      double c0 = CpuNow();
      double m0 = ThreadCpuNow();
      auto file = OpenFileSource(path);
      if (!file.has_value()) return 2;
      std::unique_ptr<ByteSource> src = std::move(*file);
      if (m.hash != 0) {
        src = HashingSource::Make(std::move(src), digest, -1,
                                  m.hash == 1 ? HashThreading::kInline : HashThreading::kBackground);
      }
      src = MakeDecompressor(c, std::move(src));
      auto n = Drain(*src);
      if (!n.has_value()) {
        std::fprintf(stderr, "%s\n", n.error().message().c_str());
        return 2;
      }
      m.times.push_back(Now() - t0);
      m.cpu.push_back(CpuNow() - c0);
      m.main_cpu.push_back(ThreadCpuNow() - m0);
    }
  }
  double b = Median(base);
  std::printf("%-22s %7.3f s  (cpu %.3f s)\n", zstd ? "zstd -dc" : "igzip -dc", b, Median(base_cpu));
  for (const Mode& m : modes) {
    double t = Median(m.times);
    std::printf("%-22s %7.3f s  %.3fx  (cpu %.3f s, consumer thread %.3f s)\n", m.name, t, t / b,
                Median(m.cpu), Median(m.main_cpu));
  }
  return 0;
}

}  // namespace
}  // namespace whittle

int main(int argc, char** argv) { return whittle::Main(argc, argv); }
