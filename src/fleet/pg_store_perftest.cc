// Not a test: `pg_store_perftest URL ITEMS WORKERS` measures the PostgreSQL
// store's Claim+Complete rate. It migrates the database at URL, queues
// ITEMS references, and forks WORKERS processes, each with its own
// connection, that claim and complete until the queue is empty. Each image
// has 8 layers (3 shared by every image, 5 of its own) and 3 findings,
// the shape of a typical application image. Prints the wall time, the
// rate, the workers' CPU and the server's CPU (the postgres processes' and
// their exited children's user+system time from /proc, when the server runs
// on this machine and no other postgres does).
// The database should be empty: items already done are not claimed again.
#include <dirent.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "fleet/pg_store.h"

namespace {

using whittle::fleet::FleetStore;

double ServerCpuSeconds() {
  double ticks = 0;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return 0;
  while (dirent* e = readdir(proc)) {
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    size_t close = line.rfind(')');
    if (close == std::string::npos || line.find("(postgres)") == std::string::npos) continue;
    // Fields after the command: state is 3rd overall; utime, stime, cutime
    // and cstime are 14th to 17th. A backend that has exited counts in its
    // parent's (the postmaster's) cutime and cstime.
    std::vector<std::string> f;
    size_t at = close + 2;
    for (size_t sp; (sp = line.find(' ', at)) != std::string::npos; at = sp + 1) f.push_back(line.substr(at, sp - at));
    for (size_t i = 11; i <= 14 && i < f.size(); ++i) ticks += std::atof(f[i].c_str());
  }
  closedir(proc);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

bool Work(const std::string& url, int w) {
  auto store = whittle::fleet::OpenPgFleetStore(url);
  if (!store.has_value()) {
    fprintf(stderr, "worker %d: %s\n", w, store.error().message().c_str());
    return false;
  }
  for (;;) {
    auto item = (*store)->Claim({"perf" + std::to_string(w), 900});
    if (!item.has_value()) {
      fprintf(stderr, "worker %d: %s\n", w, item.error().message().c_str());
      return false;
    }
    if (!item->has_value()) return true;
    const whittle::fleet::WorkItem& it = **item;
    whittle::fleet::ImageRow row;
    row.repository = it.repository;
    row.digest = "sha256:image-" + std::to_string(it.id);
    row.tags = {it.reference.substr(it.reference.rfind(':') + 1)};
    for (int l = 0; l < 8; ++l) {
      std::string name = l < 3 ? "base" + std::to_string(l) : std::to_string(it.id) + "-" + std::to_string(l);
      row.layers.push_back({"sha256:layer-" + name, "sha256:diff-" + name, 50'000'000, 20'000'000, 3000});
      row.size += 50'000'000;
    }
    row.pull_size = row.size / 2;
    row.reclaimable = row.size / 10;
    row.findings = {{"toolchain", "multi-stage", "gcc and make in the final stage", 180'000'000},
                    {"caches", "clean-in-same-layer", "apt lists", 40'000'000},
                    {"duplicates", "dedupe", "files overwritten by a later layer", 3'000'000}};
    whittle::Status st = (*store)->Complete(it, row);
    if (!st.ok()) {
      fprintf(stderr, "worker %d: %s\n", w, st.message().c_str());
      return false;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s URL ITEMS WORKERS\n", argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const int items = std::atoi(argv[2]);
  const int workers = std::atoi(argv[3]);
  {
    auto store = whittle::fleet::OpenPgFleetStore(url);
    if (!store.has_value()) {
      fprintf(stderr, "%s\n", store.error().message().c_str());
      return 2;
    }
    whittle::Status st = (*store)->Migrate();
    std::vector<whittle::fleet::WorkItem> list;
    for (int i = 0; i < items; ++i) {
      std::string repo = "registry.perf/team" + std::to_string(i % 50) + "/app" + std::to_string(i % 400);
      list.push_back({0, repo + ":v" + std::to_string(i), repo});
    }
    if (st.ok()) st = (*store)->Enqueue(list);
    if (!st.ok()) {
      fprintf(stderr, "%s\n", st.message().c_str());
      return 2;
    }
  }
  double server0 = ServerCpuSeconds();
  auto t0 = std::chrono::steady_clock::now();
  std::vector<pid_t> pids;
  for (int w = 0; w < workers; ++w) {
    pid_t pid = fork();
    if (pid == 0) _exit(Work(url, w) ? 0 : 1);
    pids.push_back(pid);
  }
  int failed = 0;
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failed;
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double server = ServerCpuSeconds() - server0;
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  double client = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  double load[1] = {0};
  getloadavg(load, 1);
  printf(
      "%d items, %d workers: %.2f s wall, %.0f Claim+Complete/s; workers' CPU %.2f s (%.2f ms/item), "
      "server CPU %.2f s (%.2f ms/item); load average %.1f\n",
      items, workers, wall, items / wall, client, 1000 * client / items, server, 1000 * server / items, load[0]);
  return failed ? 1 : 0;
}
