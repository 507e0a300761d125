// Replays the image JSON fuzz target (tests/fuzz/image_json_fuzz.cc) as a
// normal test: every seed in tests/fuzz/corpus/json (real manifests, indexes
// and configs from docker save, buildx, skopeo and buildah, plus broken
// ones), then deterministic mutations aimed at JSON structure and types.
// The assertion is "no crash, no exception" (run under ASan/UBSan in CI).
#include <gtest/gtest.h>

#include "support/corpus.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace whittle {
namespace {

std::vector<std::string> LoadCorpus() {
  return testing::LoadCorpusDir(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/json");
}

int RunTarget(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(ImageJsonFuzzReplay, Corpus) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_GE(seeds.size(), 10u);
  for (const std::string& s : seeds) EXPECT_EQ(RunTarget(s), 0);
}

TEST(ImageJsonFuzzReplay, DeterministicMutations) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_FALSE(seeds.empty());
  std::mt19937_64 rng(0x15a6e7a5);
  auto pick = [&](uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  // Replacements that change a value's JSON type or shape.
  static const char* const kTokens[] = {"null", "true", "-1", "1e400", "18446744073709551616", "\"\"", "[]",
                                        "{}", "[[[[[[[[", "\"sha256:../../x\"", "\"\\u0000\"", "0.5"};
  for (size_t it = 0; it < 6000; ++it) {
    std::string s = seeds[pick(seeds.size())];
    int edits = 1 + static_cast<int>(pick(3));
    for (int k = 0; k < edits && s.size() > 1; ++k) {
      size_t pos = 1 + pick(s.size() - 1);  // keep the selector byte
      switch (pick(5)) {
        case 0: s[pos] = static_cast<char>(s[pos] ^ (1 << pick(8))); break;
        case 1: s.resize(pos); break;
        case 2: s.erase(pos, 1 + pick(16)); break;
        case 3: {  // replace the value after a ':' with another type
          size_t colon = s.find(':', pos);
          if (colon == std::string::npos) break;
          size_t end = s.find_first_of(",}]", colon);
          if (end == std::string::npos) end = s.size();
          s.replace(colon + 1, end - colon - 1, kTokens[pick(sizeof kTokens / sizeof *kTokens)]);
          break;
        }
        default: s.insert(pos, kTokens[pick(sizeof kTokens / sizeof *kTokens)]); break;
      }
    }
    ASSERT_EQ(RunTarget(s), 0) << "iteration " << it;
  }
}

}  // namespace
}  // namespace whittle
