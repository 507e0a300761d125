// Replays the image JSON fuzz target's invariants (tests/fuzz/image_json_fuzz.h)
// as a normal test: every seed in tests/fuzz/corpus/image_json (real manifests,
// indexes and configs from docker save, buildx, skopeo and buildah, plus
// broken ones), then deterministic mutations aimed at JSON structure and
// types. Every input must satisfy the invariants (one-line errors, valid
// digests and sizes, a lossless round trip); the checks themselves are
// shown to fail on doctored results.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/image_json_fuzz.h"
#include "image/image_config.h"
#include "image/manifest.h"
#include "support/corpus.h"

namespace whittle {
namespace {

std::vector<std::string> LoadCorpus(testing::CorpusFiles which = testing::CorpusFiles::kAll) {
  return testing::LoadCorpusDir(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/image_json", which);
}

using fuzz::CheckImageConfig;
using fuzz::CheckImageJsonInput;
using fuzz::CheckManifestDoc;

// True when |s| parses (the selector byte picks the parser).
bool Parses(const std::string& s) {
  if (s.empty()) return false;
  std::string_view text = std::string_view(s).substr(1);
  if (s[0] & 1) return ParseManifestDoc(text, "x").has_value();
  Image image;
  return ParseImageConfig(text, "x", &image).ok();
}

TEST(ImageJsonFuzzReplay, Corpus) {
  std::vector<std::string> seeds = LoadCorpus();
  ASSERT_GE(seeds.size(), 10u);
  size_t ok = 0;
  for (size_t i = 0; i < seeds.size(); ++i) {
    EXPECT_EQ(CheckImageJsonInput(seeds[i]), "") << "seed " << i;
    ok += Parses(seeds[i]);
  }
  // Both outcomes are reached, so both sets of checks run.
  EXPECT_GE(ok, 8u);
  EXPECT_GE(seeds.size() - ok, 2u);
}

// The checks are not vacuous: results doctored by one field fail them.
TEST(ImageJsonFuzzReplay, ChecksCatchDoctoredResults) {
  const std::string text =
      testing::ReadCorpusFile(std::string(WHITTLE_SOURCE_DIR) + "/tests/fuzz/corpus/image_json/oci-manifest.json").substr(1);
  Result<ManifestDoc> good = ParseManifestDoc(text, "fuzz:manifest");
  ASSERT_TRUE(good.has_value()) << good.error().message();
  ASSERT_FALSE(good->layers.empty());
  ASSERT_EQ(CheckManifestDoc(text, good), "");
  auto doctored = [&](auto edit) {
    ManifestDoc d = *good;
    edit(&d);
    return CheckManifestDoc(text, Result<ManifestDoc>(std::move(d)));
  };
  EXPECT_NE(doctored([](ManifestDoc* d) { d->layers[0].digest.pop_back(); }).find("accepted digest"),
            std::string::npos);
  EXPECT_NE(doctored([](ManifestDoc* d) { d->config.size = -2; }).find("accepted size"), std::string::npos);
  EXPECT_NE(doctored([](ManifestDoc* d) { d->is_index = true; }).find("index with a config"), std::string::npos);
  EXPECT_NE(doctored([](ManifestDoc* d) { d->media_type = "text/plain"; }).find("unknown media type"),
            std::string::npos);
  auto error = [&](Errc code, const std::string& msg) {
    return CheckManifestDoc(text, Result<ManifestDoc>(Status(code, msg)));
  };
  EXPECT_NE(error(Errc::kCorrupt, "").find("empty"), std::string::npos);
  EXPECT_NE(error(Errc::kCorrupt, "fuzz:manifest: a\nb").find("one line"), std::string::npos);
  EXPECT_NE(error(Errc::kCorrupt, "layers[0]: bad").find("name the document"), std::string::npos);
  EXPECT_NE(error(Errc::kCorrupt, "fuzz:manifest: invalid JSON at byte 99999").find("names byte"), std::string::npos);
  EXPECT_NE(error(Errc::kIo, "fuzz:manifest: read failed").find("error kind"), std::string::npos);

  Image image;
  image.diff_ids = {"sha256:" + std::string(63, 'a')};
  EXPECT_NE(CheckImageConfig("{}", Status::Ok(), image).find("diff_ids[0]"), std::string::npos);
  EXPECT_NE(CheckImageConfig("{}", Status(Errc::kCorrupt, "fuzz:config: x\ny"), Image()).find("one line"),
            std::string::npos);
}

TEST(ImageJsonFuzzReplay, DeterministicMutations) {
  // The curated seeds only: the fuzzer's finds (merged into the corpus) are
  // mostly near-misses that no longer parse, which would move the mix.
  std::vector<std::string> seeds = LoadCorpus(testing::CorpusFiles::kSeeds);
  ASSERT_FALSE(seeds.empty());
  std::mt19937_64 rng(0x15a6e7a5);
  auto pick = [&](uint64_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  // Replacements that change a value's JSON type or shape.
  static const char* const kTokens[] = {
      "null", "true", "-1", "-2",       "-9223372036854775808", "1e400",       "18446744073709551616",
      "\"\"", "[]",   "{}", "[[[[[[[[", "\"sha256:../../x\"",   "\"\\u0000\"", "0.5"};
  size_t ok = 0;
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
    ASSERT_EQ(CheckImageJsonInput(s), "") << "iteration " << it;
    ok += Parses(s);
  }
  // Enough mutants still parse for the round-trip checks to run often.
  EXPECT_GE(ok, 300u);
  EXPECT_LE(ok, 5400u);
}

}  // namespace
}  // namespace whittle
