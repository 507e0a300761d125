// Replays the Dockerfile fuzz target (tests/fuzz/dockerfile_fuzz.cc) over
// the checked-in corpus and over deterministic mutations of it, as a normal
// test: the target traps on any broken invariant.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lint/linter.h"
#include "util/file_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

std::vector<std::string> LoadCorpus() {
  std::vector<std::string> out;
  fs::path dir = fs::path(WHITTLE_SOURCE_DIR) / "tests/fuzz/corpus/dockerfile";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    auto text = whittle::ReadFileToString(p.string(), whittle::lint::kMaxDockerfileBytes);
    EXPECT_TRUE(text.has_value()) << text.error().message();
    out.push_back(text ? *text : std::string());
  }
  return out;
}

void FuzzOne(const std::string& s) {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// xorshift64*: deterministic, so a failure reproduces.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
};

TEST(DockerfileFuzz, ReplayCorpus) {
  std::vector<std::string> corpus = LoadCorpus();
  ASSERT_GE(corpus.size(), 38u);
  for (const std::string& s : corpus) FuzzOne(s);
}

TEST(DockerfileFuzz, DeterministicMutations) {
  std::vector<std::string> corpus = LoadCorpus();
  ASSERT_FALSE(corpus.empty());
  // Tokens that steer mutations into the interesting parts of the grammar.
  const char* const kTokens[] = {"\\\n", "`\n", "\n", "<<EOF\n", "<<-'E'\n", "3<<X", "EOF\n",
                                 "[\"a\"", "]", "\"", "'", "--mount=type=cache ", "ONBUILD ",
                                 "# escape=`\n", "\xEF\xBB\xBF", "${A:-", "}", "&&", "sh -c '",
                                 "\t", "#", "=", "\xC2\xA0", "\xFF", "\r\n", "(", ")", "{ ", "$("};
  Rng rng{0x9E3779B97F4A7C15ULL};
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = corpus[rng.Below(corpus.size())];
    int edits = 1 + static_cast<int>(rng.Below(8));
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng.Below(s.size() + 1);
      switch (rng.Below(5)) {
        case 0:  // flip a byte
          if (!s.empty()) s[rng.Below(s.size())] = static_cast<char>(rng.Next());
          break;
        case 1:  // insert a token
          s.insert(pos, kTokens[rng.Below(sizeof(kTokens) / sizeof(kTokens[0]))]);
          break;
        case 2:  // delete a span
          if (!s.empty()) s.erase(rng.Below(s.size()), 1 + rng.Below(16));
          break;
        case 3:  // duplicate a span
          if (!s.empty()) {
            size_t b = rng.Below(s.size());
            s.insert(pos, s.substr(b, 1 + rng.Below(32)));
          }
          break;
        default:  // splice another corpus file
          s.insert(pos, corpus[rng.Below(corpus.size())].substr(0, 64));
          break;
      }
    }
    FuzzOne(s);
  }
}

TEST(DockerfileFuzz, LongAndDeepInputs) {
  FuzzOne("FROM a\nRUN " + std::string(70000, 'x') + "\n");
  std::string onbuild;
  for (int i = 0; i < 5000; ++i) onbuild += "ONBUILD ";
  FuzzOne(onbuild + "RUN x\n");
  std::string json = "CMD " + std::string(20000, '[') + std::string(20000, ']') + "\n";
  FuzzOne(json);
  std::string cont = "FROM a\nRUN a";
  for (int i = 0; i < 20000; ++i) cont += " \\\n b";
  FuzzOne(cont + "\n");
  std::string heredocs = "FROM a\nRUN";
  for (int i = 0; i < 2000; ++i) heredocs += " <<E" + std::to_string(i);
  FuzzOne(heredocs + "\n");
}

}  // namespace
