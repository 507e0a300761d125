// Replays the tar fuzz target (tests/fuzz/tar_fuzz.cc) as a normal test:
// over every seed in tests/fuzz/corpus/tar, then over deterministic random
// mutations of them. Mutations that touch a header block usually get their
// checksum repaired so they reach the field parsers instead of stopping at
// the checksum. The assertion is "no crash" (run under ASan/UBSan in CI);
// the target itself traps if the byte accounting breaks.
#include <gtest/gtest.h>

#include "support/corpus.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
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
  return testing::LoadCorpusDir(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/tar");
}

int RunTarget(const std::string& s) {
  return LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

void RepairChecksum(std::string* s, size_t block) {
  size_t off = block * 512;
  if (off + 512 > s->size()) return;
  char* b = s->data() + off;
  std::memset(b + 148, ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(b[i]);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%06o", sum & 0777777);
  std::memcpy(b + 148, buf, 6);
  b[154] = '\0';
}

TEST(TarFuzzReplay, Corpus) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_GE(seeds.size(), 15u);
  for (const std::string& s : seeds) EXPECT_EQ(RunTarget(s), 0);
}

TEST(TarFuzzReplay, DeterministicMutations) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_FALSE(seeds.empty());
  std::mt19937_64 rng(0x7a7c0ffee);
  auto pick = [&](uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  static const char kSpecial[] = {'\0', '\x80', '\xff', '0', '7', '9', ' ', '\n', '=', '/', '.', 'x', 'g',
                                  'L',  'K',    'S',    '5', '1', '2'};
  static const char* const kNumbers[] = {"77777777777", "99999999999", "-1", "\x80\x7f\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                                         "00000000000", "30000000000", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"};
  const size_t kIterations = 4000;
  for (size_t it = 0; it < kIterations; ++it) {
    std::string s = seeds[pick(seeds.size())];
    int edits = 1 + static_cast<int>(pick(4));
    for (int k = 0; k < edits && !s.empty(); ++k) {
      size_t pos = pick(s.size());
      switch (pick(7)) {
        case 0: s[pos] = static_cast<char>(s[pos] ^ (1 << pick(8))); break;
        case 1: s[pos] = kSpecial[pick(sizeof kSpecial)]; break;
        case 2: s.resize(pos); break;
        case 3: {  // overwrite a numeric field of a header block
          static const size_t kFields[] = {100, 108, 116, 124, 136, 483};
          size_t off = (pos / 512) * 512 + kFields[pick(6)];
          std::string v = kNumbers[pick(std::size(kNumbers))];
          if (v.size() > 12) v.resize(12);
          if (off + v.size() <= s.size()) s.replace(off, v.size(), v);
          break;
        }
        case 4: s.insert((pos / 512) * 512, std::string(512, '\0')); break;
        case 5: s.erase((pos / 512) * 512, 512); break;
        case 6: s[(pos / 512) * 512 + 156 < s.size() ? (pos / 512) * 512 + 156 : pos] = kSpecial[pick(sizeof kSpecial)]; break;
      }
      if (!s.empty() && pick(4) != 0) RepairChecksum(&s, pick(s.size()) / 512);
      if (!s.empty() && pick(2) == 0) RepairChecksum(&s, pos / 512);
    }
    ASSERT_EQ(RunTarget(s), 0);
  }
}

}  // namespace
}  // namespace whittle
