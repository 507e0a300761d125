#include "support/corpus.h"

#include <algorithm>
#include <filesystem>

#include "util/file_util.h"

namespace whittle::testing {

std::vector<std::string> LoadCorpusDir(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> seeds;
  for (const auto& f : files) {
    auto text = ReadFileToString(f.string(), 64u << 20);
    seeds.push_back(text ? *text : std::string());
  }
  return seeds;
}

}  // namespace whittle::testing
