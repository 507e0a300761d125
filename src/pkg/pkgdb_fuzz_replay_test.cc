// Replays the package-database fuzz target (tests/fuzz/pkgdb_fuzz.cc) as a
// normal test: every seed in tests/fuzz/corpus/pkgdb (real databases written
// by dpkg, rpm, pip and go, and hand-written apk and RECORD files), every
// seed under every other parser, then deterministic mutations. It asserts
// on CheckPkgdbInput's verdict, so a broken invariant (a relative or
// unnormalised path, an empty name, an unstable re-parse, an owner that did
// not list the path) fails with the reason; the seeds must also parse, so
// the checks run on real successes and not only on clean errors.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "support/corpus.h"
#include "util/strings.h"

// As in tests/fuzz/pkgdb_fuzz.cc.
struct PkgdbOutcome {
  bool parsed = false;
  std::string violation;
};
PkgdbOutcome CheckPkgdbInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace whittle {
namespace {

// The curated seeds (real databases, each of which parses); the inputs
// libFuzzer added need not parse, and fuzz_replay_pkgdb replays every file
// of the corpus through the fuzz target.
std::vector<std::string> LoadCorpus() {
  return testing::LoadCorpusDir(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/pkgdb",
                                testing::CorpusFiles::kSeeds);
}

PkgdbOutcome Check(const std::string& s) {
  return CheckPkgdbInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

TEST(PkgdbFuzzReplay, SeedsParseAndHoldTheInvariants) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_GE(seeds.size(), 12u);
  std::vector<int> per_parser(6, 0);
  for (const std::string& s : seeds) {
    PkgdbOutcome o = Check(s);
    EXPECT_TRUE(o.parsed) << "seed for parser " << int(static_cast<uint8_t>(s[0]) % 6) << " does not parse";
    EXPECT_EQ(o.violation, "");
    ++per_parser[static_cast<uint8_t>(s[0]) % 6];
  }
  for (int k = 0; k < 6; ++k) EXPECT_GE(per_parser[k], 1) << "no seed for parser " << k;
}

TEST(PkgdbFuzzReplay, EverySeedUnderEveryParser) {
  for (std::string s : LoadCorpus()) {
    for (int sel = 0; sel < 6; ++sel) {
      s[0] = static_cast<char>(sel);
      EXPECT_EQ(Check(s).violation, "") << "parser " << sel;
      EXPECT_EQ(LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size()), 0);
    }
  }
}

TEST(PkgdbFuzzReplay, DeterministicMutations) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_FALSE(seeds.empty());
  std::mt19937_64 rng(0x9a7db5eed);
  auto pick = [&](uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  // Bytes that matter to these formats: separators, field letters, NUL,
  // high bytes, quotes, and big-endian counts for rpm headers.
  static const char* const kTokens[] = {"\n",
                                        "\n\n",
                                        " ",
                                        ":",
                                        "P:",
                                        "F:",
                                        "R:",
                                        "../",
                                        "/",
                                        "\"",
                                        ",",
                                        "\r\n",
                                        "\x00",
                                        "\xff",
                                        "Status: install ok installed\n",
                                        "\x00\x00\xff\xff",
                                        "\x7f\xff\xff\xff",
                                        "\x00\x00\x04\x4c",
                                        "\x00\x00\x00\x08"};
  size_t parsed = 0;
  const size_t kIterations = 6000;
  for (size_t it = 0; it < kIterations; ++it) {
    std::string s = seeds[pick(seeds.size())];
    int edits = 1 + static_cast<int>(pick(3));
    for (int k = 0; k < edits && s.size() > 1; ++k) {
      size_t pos = 1 + pick(s.size() - 1);  // keep the selector byte
      switch (pick(5)) {
        case 0:
          s[pos] = static_cast<char>(s[pos] ^ (1 << pick(8)));
          break;
        case 1:
          s.resize(pos);
          break;
        case 2:
          s.erase(pos, 1 + pick(16));
          break;
        case 3: {
          const char* t = kTokens[pick(std::size(kTokens))];
          size_t len = std::string_view(t).empty() ? 1 : std::string_view(t).size();
          s.insert(pos, std::string(t, len));
          break;
        }
        case 4: {  // overwrite 4 bytes with a token (rpm counts and offsets)
          const char* t = kTokens[15 + pick(4)];
          if (pos + 4 <= s.size()) s.replace(pos, 4, std::string(t, 4));
          break;
        }
      }
    }
    PkgdbOutcome o = Check(s);
    ASSERT_EQ(o.violation, "") << "iteration " << it << ": " << EscapeForMessage(s, 400);
    if (o.parsed) ++parsed;
  }
  // Enough mutants still parse that the invariants are exercised, not
  // only the error paths.
  EXPECT_GT(parsed, kIterations / 10);
}

}  // namespace
}  // namespace whittle
