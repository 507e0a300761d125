// Replays one fuzz target's checked-in inputs as an ordinary ctest in every
// build (g++ included): each file of tests/fuzz/corpus/TARGET (the minimised
// seed corpus) and of tests/fuzz/regressions/TARGET (one file per bug the
// fuzzer found, named after the bug) goes through the target's own
// LLVMFuzzerTestOneInput, the function the clang libFuzzer binary runs.
// A target reports a broken invariant by aborting or trapping, so a
// regression that comes back fails this test; the input's name is printed
// first so the failing file is known. Built once per target, with
// WHITTLE_FUZZ_TARGET naming it (tests/fuzz/CMakeLists.txt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "support/corpus.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace whittle {
namespace {

std::vector<std::string> FilesOf(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file()) names.push_back(e.path().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Runs every file of |dir|; returns how many there were.
size_t ReplayDir(const std::string& dir) {
  std::vector<std::string> files = FilesOf(dir);
  for (const std::string& f : files) {
    std::string bytes = testing::ReadCorpusFile(f);
    std::fprintf(stderr, "replay %s (%zu bytes)\n", f.c_str(), bytes.size());
    EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()), 0) << f;
  }
  return files.size();
}

const std::string kFuzzDir = std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/";

TEST(FuzzReplay, Corpus) {
  // Every target has a seed corpus; an empty or missing one means the
  // target's name and its directory have drifted apart.
  EXPECT_GT(ReplayDir(kFuzzDir + "corpus/" WHITTLE_FUZZ_TARGET), 0u);
}

TEST(FuzzReplay, Regressions) {
  // Absent until the fuzzer finds something in this target.
  ReplayDir(kFuzzDir + "regressions/" WHITTLE_FUZZ_TARGET);
}

TEST(FuzzReplay, HasDictionary) {
  EXPECT_TRUE(std::filesystem::is_regular_file(kFuzzDir + WHITTLE_FUZZ_TARGET ".dict"));
}

}  // namespace
}  // namespace whittle
