// Micro benchmark (run by hand, not by ctest): ClassifyKind and
// OwnershipIndex::Find over 10^6 paths built from the 2000 real Debian
// paths in tests/data/pkg/debian-paths.tsv (each repeated under 500
// distinct parent directories so hash lookups miss caches as in an image).
//
//   build/src/pkg/pkg_perftest
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "pkg/kinds.h"
#include "pkg/ownership.h"

int main() {
  using namespace whittle::pkg;
  std::ifstream in(std::string(WHITTLE_SOURCE_DIR) + "/tests/data/pkg/debian-paths.tsv");
  std::vector<std::pair<std::string, std::string>> base;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    base.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  std::vector<std::pair<std::string, std::string>> paths;
  OwnershipIndex idx;
  for (int copy = 0; copy < 500; ++copy) {
    const std::string root = copy == 0 ? "" : "/srv/copy" + std::to_string(copy);
    std::vector<std::string> owned;
    for (const auto& [owner, path] : base) {
      paths.emplace_back(owner, root + path);
      if (copy % 2 == 0) owned.push_back(root + path);
    }
    if (!owned.empty()) idx.AddPaths(Ecosystem::kDeb, "pkg" + std::to_string(copy % 50), owned);
  }
  auto time = [](const char* what, size_t n, auto fn) {
    auto t0 = std::chrono::steady_clock::now();
    size_t sink = fn();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%-28s %zu paths  %.3f s  %.0f ns/path  (%zu)\n", what, n, s, s * 1e9 / n, sink);
  };
  // Baselines in the same run (the machine may be shared and slow): a hash
  // of each path, and one hash-map lookup per path.
  time("baseline: std::hash(path)", paths.size(), [&] {
    size_t k = 0;
    for (const auto& [owner, path] : paths) k += std::hash<std::string>()(path) & 1;
    return k;
  });
  std::unordered_map<std::string, int> one;
  for (size_t i = 0; i < paths.size(); i += 2) one.emplace(paths[i].second, 1);
  time("baseline: unordered_map find", paths.size(), [&] {
    size_t k = 0;
    for (const auto& [owner, path] : paths) k += one.count(path);
    return k;
  });
  time("ClassifyKind (owned)", paths.size(), [&] {
    size_t k = 0;
    for (const auto& [owner, path] : paths) k += ClassifyKind(path, owner).size();
    return k;
  });
  time("ClassifyKind (unowned)", paths.size(), [&] {
    size_t k = 0;
    for (const auto& [owner, path] : paths) k += ClassifyKind(path, "").size();
    return k;
  });
  time("OwnershipIndex::Find", paths.size(), [&] {
    size_t k = 0;
    for (const auto& [owner, path] : paths) k += idx.Find(path) != kNoOwner;
    return k;
  });
  return 0;
}
