// TimeRuns: the timing loop of the micro benchmarks run by hand (not by
// ctest: explore_perftest, waste_perftest). Runs |fn| |runs| times and prints
// the median and minimum of the process CPU time and of the wall time, so a
// change to one piece is measured apart from the machine's noise.
#ifndef WHITTLE_UTIL_PERFTEST_TIMER_H_
#define WHITTLE_UTIL_PERFTEST_TIMER_H_

#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <vector>

namespace whittle {

inline double ProcessCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

inline void TimeRuns(const char* what, int runs, const std::function<void()>& fn) {
  std::vector<double> cpu, wall;
  for (int i = 0; i < runs; ++i) {
    double c0 = ProcessCpuSeconds(), w0 = WallSeconds();
    fn();
    cpu.push_back(ProcessCpuSeconds() - c0);
    wall.push_back(WallSeconds() - w0);
  }
  std::sort(cpu.begin(), cpu.end());
  std::sort(wall.begin(), wall.end());
  std::printf("%-14s cpu median %7.1f ms  min %7.1f ms   wall median %7.1f ms  min %7.1f ms\n", what,
              cpu[cpu.size() / 2] * 1e3, cpu[0] * 1e3, wall[wall.size() / 2] * 1e3, wall[0] * 1e3);
}

}  // namespace whittle

#endif  // WHITTLE_UTIL_PERFTEST_TIMER_H_
