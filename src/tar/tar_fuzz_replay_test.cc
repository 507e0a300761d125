// Replays the tar fuzz target's invariants (tests/fuzz/tar_fuzz.h) as a
// normal test: over every seed in tests/fuzz/corpus/tar, then over
// deterministic random mutations of them. Mutations that touch a header
// block usually get their checksum repaired so they reach the field parsers
// instead of stopping at the checksum. Each input must satisfy every
// invariant (accounting, bounds, re-parse stability, one-line errors); the
// checks themselves are shown to fail on doctored parses.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/tar_fuzz.h"
#include "support/corpus.h"

namespace whittle {
namespace {

std::vector<std::string> LoadCorpus(testing::CorpusFiles which = testing::CorpusFiles::kAll) {
  return testing::LoadCorpusDir(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/tar", which);
}

using fuzz::CheckTarInput;
using fuzz::CheckTarParse;
using fuzz::ParseTarForFuzz;
using fuzz::TarParse;
using fuzz::TarReadMode;

std::string SeedNamed(const std::string& name) {
  return testing::ReadCorpusFile(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/tar/" + name);
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
  size_t ok = 0;
  for (size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_EQ(CheckTarInput(seeds[i]), "") << "seed " << i;
    if (ParseTarForFuzz(seeds[i], TarReadMode::kReadBodies).ok) ++ok;
  }
  // The corpus reaches both outcomes, so both sets of checks run.
  EXPECT_GE(ok, 10u);
  EXPECT_GE(seeds.size() - ok, 5u);
}

TEST(TarFuzzReplay, DeterministicMutations) {
  // The curated seeds: the mix below is tuned to them, not to libFuzzer's finds.
  std::vector<std::string> seeds = LoadCorpus(testing::CorpusFiles::kSeeds);
  ASSERT_FALSE(seeds.empty());
  std::mt19937_64 rng(0x7a7c0ffee);
  auto pick = [&](uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  static const char kSpecial[] = {'\0', '\x80', '\xff', '0', '7', '9', ' ', '\n', '=', '/', '.', 'x', 'g',
                                  'L',  'K',    'S',    '5', '1', '2'};
  static const char* const kNumbers[] = {"77777777777", "99999999999", "-1", "\x80\x7f\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
                                         "00000000000", "30000000000", "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"};
  const size_t kIterations = 4000;
  size_t ok = 0, members = 0;
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
    ASSERT_EQ(CheckTarInput(s), "") << "iteration " << it;
    TarParse p = ParseTarForFuzz(s, TarReadMode::kReadBodies);
    ok += p.ok;
    members += p.entries.size();
  }
  // Mutations must get past the checksum into the field parsers often
  // enough for the run to mean something.
  EXPECT_GE(ok, kIterations / 10);
  EXPECT_LE(ok, kIterations * 9 / 10);
  EXPECT_GE(members, kIterations);
}

// The checks are not vacuous: a parse doctored by one byte or one block
// fails them.
TEST(TarFuzzReplay, ChecksCatchDoctoredParses) {
  std::string input = SeedNamed("pax.tar");
  TarParse good = ParseTarForFuzz(input, TarReadMode::kReadBodies);
  ASSERT_TRUE(good.ok) << good.error;
  ASSERT_GE(good.entries.size(), 2u);
  ASSERT_EQ(CheckTarParse(input, good), "");
  size_t with_data = 0;
  while (with_data < good.entries.size() && good.data[with_data].empty()) ++with_data;
  ASSERT_LT(with_data, good.entries.size());

  struct Case {
    const char* name;
    std::function<void(TarParse*)> doctor;
    const char* want;  // a piece of the violation
  };
  const Case kCases[] = {
      {"second member one byte late", [](TarParse* p) { ++p->entries[1].header_offset; },
       "does not start where the previous member ended"},
      {"data offset off by one", [](TarParse* p) { ++p->entries[0].data_offset; }, "data_offset"},
      {"padding off by one", [](TarParse* p) { ++p->entries[0].padding; }, "padding"},
      {"header block short", [](TarParse* p) { p->entries[0].header_size -= 1; }, "multiple of 512"},
      {"end of archive a block early", [](TarParse* p) { p->end_offset -= 512; }, "add up to"},
      {"stream a byte short", [](TarParse* p) { --p->total_size; }, "total_size"},
      {"data byte flipped", [with_data](TarParse* p) { p->data[with_data][0] ^= 1; }, "differ from the input"},
      {"data cut short", [with_data](TarParse* p) { p->data[with_data].pop_back(); }, "before stored_size"},
      {"path not normalised", [](TarParse* p) { p->entries[0].path += "/"; }, "normalised"},
      {"error on two lines",
       [](TarParse* p) {
         p->ok = false;
         p->error = "fuzz.tar: tar header at offset 0: bad\nthing";
       },
       "not one line"},
      {"error without an offset",
       [](TarParse* p) {
         p->ok = false;
         p->error = "fuzz.tar: something broke";
       },
       "names no offset"},
      {"error offset past the end",
       [&input](TarParse* p) {
         p->ok = false;
         p->error = "fuzz.tar: tar header at offset " + std::to_string(input.size() + 512) + ": bad";
       },
       "past the end"},
  };
  for (const Case& c : kCases) {
    TarParse p = good;
    c.doctor(&p);
    std::string got = CheckTarParse(input, p);
    EXPECT_NE(got.find(c.want), std::string::npos) << c.name << ": got \"" << got << "\"";
  }
}

}  // namespace
}  // namespace whittle
