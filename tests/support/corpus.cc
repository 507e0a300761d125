#include "support/corpus.h"

#include <algorithm>
#include <filesystem>

#include "util/file_util.h"

namespace whittle::testing {

bool IsFuzzerFind(const std::string& file_name) {
  return file_name.size() == 40 && file_name.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::vector<std::string> LoadCorpusDir(const std::string& dir, CorpusFiles which) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    if (which == CorpusFiles::kSeeds && IsFuzzerFind(e.path().filename().string())) continue;
    files.push_back(e.path());
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
