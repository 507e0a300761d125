// Replays the history-matcher fuzz target (tests/fuzz/history_match_fuzz.cc)
// over seeds made from the real test data (every Dockerfile with every
// history in tests/data/explain) and over deterministic mutations of them:
// the target traps on any broken invariant.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "image/image_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace whittle::explain {
namespace {

const std::string kData = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/explain/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A config's history in the fuzz target's line format.
std::string HistoryLines(const std::string& config) {
  Image image;
  Status st = ParseImageConfig(ReadFile(kData + config), config, &image);
  EXPECT_TRUE(st.ok()) << st.message();
  std::string out;
  for (const HistoryEntry& h : image.history) {
    out += h.empty_layer ? '1' : '0';
    for (char c : h.created_by) {
      if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    if (!h.comment.empty()) out += "\t" + h.comment;
    out += "\n";
  }
  return out;
}

std::vector<std::string> Seeds() {
  const char* const kDockerfiles[] = {"Dockerfile.naive", "Dockerfile.slim", "Dockerfile.stages", "Dockerfile.heredoc"};
  const char* const kConfigs[] = {"driftwood-naive.buildah.config.json", "driftwood-naive.buildkit.config.json",
                                  "driftwood-slim.buildah.config.json",  "driftwood-slim.buildkit.config.json",
                                  "stages.buildkit.config.json",         "stages.classic-build.config.json",
                                  "stages.buildah.config.json",          "heredoc.buildkit-synthesized.config.json"};
  std::vector<std::string> seeds;
  for (const char* d : kDockerfiles) {
    for (const char* c : kConfigs) seeds.push_back(ReadFile(kData + d) + "\n#---\n" + HistoryLines(c));
  }
  return seeds;
}

void FuzzOne(const std::string& s) { LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size()); }

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

TEST(HistoryMatchFuzz, ReplaySeeds) {
  std::vector<std::string> seeds = Seeds();
  ASSERT_EQ(seeds.size(), 32u);
  for (const std::string& s : seeds) FuzzOne(s);
}

TEST(HistoryMatchFuzz, DeterministicMutations) {
  std::vector<std::string> seeds = Seeds();
  // Tokens from the forms builders write, to steer mutations there.
  const char* const kTokens[] = {"\n",
                                 "\n0",
                                 "\n1",
                                 "/bin/sh -c ",
                                 "#(nop) ",
                                 " # buildkit",
                                 "|2 A=1 B=x y ",
                                 "RUN ",
                                 "COPY ",
                                 " in ",
                                 "dir:",
                                 "[\"",
                                 "\" \"",
                                 "]",
                                 "map[",
                                 ":{}",
                                 "&{[",
                                 "\tFROM x",
                                 "\tbuildkit.dockerfile.v0",
                                 "\\n",
                                 "<<EOF\n",
                                 "$A",
                                 "FROM ",
                                 " AS ",
                                 "WORKDIR ",
                                 "\xFF",
                                 "\\"};
  Rng rng{0x2545F4914F6CDD1DULL};
  for (int iter = 0; iter < 1500; ++iter) {
    std::string s = seeds[rng.Below(seeds.size())];
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
          if (!s.empty()) s.erase(rng.Below(s.size()), 1 + rng.Below(64));
          break;
        case 3:  // duplicate a span (repeated lines: repeated instructions or entries)
          if (!s.empty()) {
            size_t b = rng.Below(s.size());
            s.insert(pos, s.substr(b, 1 + rng.Below(200)));
          }
          break;
        default:  // splice another seed
          s.insert(pos, seeds[rng.Below(seeds.size())].substr(rng.Below(400), 200));
          break;
      }
    }
    FuzzOne(s);
  }
}

TEST(HistoryMatchFuzz, LongInputs) {
  std::string df = "FROM x\n";
  for (int i = 0; i < 3000; ++i) df += "RUN echo " + std::to_string(i % 7) + "\n";
  std::string history;
  for (int i = 0; i < 3000; ++i) history += "0/bin/sh -c echo " + std::to_string(i % 5) + "\n";
  FuzzOne(df + "\n#---\n" + history);
  FuzzOne("FROM x\nRUN " + std::string(60000, 'a') + "\n#---\n0RUN |1 " + std::string(60000, 'a') + "\n");
  FuzzOne("FROM x\n#---\n0|99999 " + std::string(5000, ' ') + "x\n0|100001 a=b\n");
}

}  // namespace
}  // namespace whittle::explain
