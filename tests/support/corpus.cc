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
  for (const auto& f : files) seeds.push_back(ReadCorpusFile(f.string()));
  return seeds;
}

std::string ReadCorpusFile(const std::string& path) {
  auto text = ReadFileToString(path, 64u << 20);
  return text ? *text : std::string();
}

}  // namespace whittle::testing
