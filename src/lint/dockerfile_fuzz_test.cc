// Replays the Dockerfile fuzz target's invariants (tests/fuzz/dockerfile_fuzz.h)
// over the checked-in corpus and over deterministic mutations of it, as a
// normal test: every input must satisfy them (ranges and lines inside the
// file, a deterministic AST dump, re-parse stability, one-line errors, sane
// lint findings); the checks themselves are shown to fail on doctored
// results.
#include "fuzz/dockerfile_fuzz.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "lint/dockerfile_parser.h"
#include "lint/linter.h"
#include "support/corpus.h"
#include "util/file_util.h"

namespace {

namespace fs = std::filesystem;

/// The corpus, or only its curated seeds (|seeds_only|).
std::vector<std::string> LoadCorpus(bool seeds_only = false) {
  std::vector<std::string> out;
  fs::path dir = fs::path(WHITTLE_SOURCE_DIR) / "tests/fuzz/corpus/dockerfile";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && !(seeds_only && whittle::testing::IsFuzzerFind(e.path().filename().string()))) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& p : files) {
    auto text = whittle::ReadFileToString(p.string(), whittle::lint::kMaxDockerfileBytes);
    EXPECT_TRUE(text.has_value()) << text.error().message();
    out.push_back(text ? *text : std::string());
  }
  return out;
}

// Checks one input; returns whether it parsed (for coverage counts).
bool FuzzOne(const std::string& s) {
  EXPECT_EQ(whittle::fuzz::CheckDockerfileInput(s), "") << "input: " << s.substr(0, 200);
  return whittle::lint::ParseDockerfile(s, "x").has_value();
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
  size_t ok = 0;
  for (const std::string& s : corpus) ok += FuzzOne(s);
  // Both outcomes are reached, so both sets of checks run.
  EXPECT_GE(ok, 30u);
  EXPECT_GE(corpus.size() - ok, 4u);
}

TEST(DockerfileFuzz, DeterministicMutations) {
  // From the curated seeds: the fuzzer's finds are replayed as they are
  // (ReplayCorpus), and mostly parse, which would skew the mix below.
  std::vector<std::string> corpus = LoadCorpus(/*seeds_only=*/true);
  ASSERT_GE(corpus.size(), 38u);
  // Tokens that steer mutations into the interesting parts of the grammar.
  const char* const kTokens[] = {"\\\n", "`\n", "\n", "<<EOF\n", "<<-'E'\n", "3<<X", "EOF\n",
                                 "[\"a\"", "]", "\"", "'", "--mount=type=cache ", "ONBUILD ",
                                 "# escape=`\n", "\xEF\xBB\xBF", "${A:-", "}", "&&", "sh -c '",
                                 "\t", "#", "=", "\xC2\xA0", "\xFF", "\r\n", "(", ")", "{ ", "$("};
  Rng rng{0x9E3779B97F4A7C15ULL};
  size_t ok = 0;
  const int kIterations = 20000;
  for (int iter = 0; iter < kIterations; ++iter) {
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
    ok += FuzzOne(s);
    if (::testing::Test::HasFailure()) break;  // one reported violation is enough
  }
  EXPECT_GE(ok, kIterations / 10u);
  EXPECT_LE(ok, kIterations * 9u / 10u);
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

namespace {

// The checks are not vacuous: results doctored by one line or one byte
// fail them.
TEST(DockerfileFuzz, ChecksCatchDoctoredResults) {
  using whittle::fuzz::CheckDockerfileAst;
  using whittle::fuzz::CheckFindings;
  using whittle::fuzz::CheckParseError;
  const std::string text = "FROM debian:12\nRUN apt-get update\n";
  auto df = whittle::lint::ParseDockerfile(text, "fuzz");
  ASSERT_TRUE(df.has_value());
  ASSERT_EQ(CheckDockerfileAst(text, *df), "");
  {
    auto d = *df;
    d.instructions[1].range.end_offset = text.size() + 1;
    EXPECT_NE(CheckDockerfileAst(text, d).find("past the text"), std::string::npos);
  }
  {
    auto d = *df;
    d.instructions[1].range.end.line = 3;  // a 2-line file
    EXPECT_NE(CheckDockerfileAst(text, d).find("outside a 2-line file"), std::string::npos);
  }
  {
    auto d = *df;
    d.instructions[1].keyword_range.start.line = 0;
    EXPECT_NE(CheckDockerfileAst(text, d).find("not a line number"), std::string::npos);
  }
  {
    auto d = *df;
    d.instructions.push_back(d.instructions[1]);  // dump lines still match, but they overlap
    EXPECT_NE(CheckDockerfileAst(text, d).find("overlaps"), std::string::npos);
  }
  whittle::lint::Finding f;
  f.code = "DL3009";
  f.line = 2;
  f.column = 1;
  f.message = "Delete the apt-get lists after installing something";
  EXPECT_EQ(CheckFindings({f}, 2, 2), "");
  auto finding = [&](auto edit) {
    whittle::lint::Finding g = f;
    edit(&g);
    return CheckFindings({g}, 2, 2);
  };
  EXPECT_NE(finding([](auto* g) { g->line = 3; }).find("outside"), std::string::npos);
  EXPECT_NE(finding([](auto* g) { g->column = 0; }).find("column"), std::string::npos);
  EXPECT_NE(finding([](auto* g) { g->code = "XX0000"; }).find("unknown rule"), std::string::npos);
  EXPECT_NE(finding([](auto* g) { g->message += "\nmore"; }).find("one line"), std::string::npos);
  EXPECT_NE(finding([](auto* g) { g->instruction = 2; }).find("names instruction"), std::string::npos);
  whittle::lint::Finding early = f;
  early.line = 1;
  EXPECT_NE(CheckFindings({f, early}, 2, 2).find("out of order"), std::string::npos);

  using whittle::Errc;
  using whittle::Status;
  EXPECT_EQ(CheckParseError(text, "fuzz", Status(Errc::kCorrupt, "fuzz:2: bad")), "");
  EXPECT_NE(CheckParseError(text, "fuzz", Status(Errc::kCorrupt, "fuzz:3: bad")).find("line 3"), std::string::npos);
  EXPECT_NE(CheckParseError(text, "fuzz", Status(Errc::kCorrupt, "fuzz: bad")).find("FILE:LINE"), std::string::npos);
  EXPECT_NE(CheckParseError(text, "fuzz", Status(Errc::kCorrupt, "fuzz:1: a\nb")).find("one line"), std::string::npos);
}

}  // namespace

namespace {

// Regression (found by the fuzz replay): a lone continuation on the last
// line makes an instruction without text; its range started at line 0,
// offset 0 instead of where it is.
TEST(DockerfileFuzz, LoneContinuationAtEofIsAnchoredOnItsLine) {
  const std::string text = "FROM a\nRUN x\n \\\n";
  auto df = whittle::lint::ParseDockerfile(text, "x");
  ASSERT_TRUE(df.has_value());
  ASSERT_EQ(df->instructions.size(), 3u);
  const auto& ins = df->instructions[2];
  EXPECT_EQ(ins.range.start.line, 3);
  EXPECT_EQ(ins.range.start.column, 2);
  EXPECT_EQ(ins.range.begin_offset, 14u);
  EXPECT_EQ(ins.range.end_offset, 15u);
  EXPECT_EQ(whittle::fuzz::CheckDockerfileInput(text), "");
}

}  // namespace
