#include "cache/waste_cache.h"

#include <gtest/gtest.h>

#include "cache/cache_test_util.h"
#include "cache/waste_codec.h"
#include "io/test_util.h"

namespace whittle {
namespace {

using testing::TempDir;


using testing::OpenDiveImage;

struct Fixture : testing::CacheDir {

  // One whittle run: a fresh image and cache, the analysis, the flush.
  struct Run {
    WasteScan result;
    size_t layer_hits = 0;
    size_t result_hits = 0;
    std::string json;  // the report as `waste --json` prints it
  };
  Run RunOnce(ScanOptions options = {}, uint64_t max_bytes = kDefaultCacheMaxBytes) {
    Run run;
    Image image = OpenDiveImage();
    LayerCache cache(Options(max_bytes));
    auto scanned = ScanImageForWaste(image, options, &cache);
    EXPECT_TRUE(scanned.has_value()) << scanned.error().message();
    if (!scanned) return run;
    cache.Flush();
    run.result = std::move(*scanned);
    run.layer_hits = cache.hits();
    run.result_hits = cache.result_hits();
    run.json = FormatWasteJson(MakeWasteReport("dive", image, run.result.scan, run.result.analysis));
    return run;
  }

};

std::string ColdJson() {
  Image image = OpenDiveImage();
  auto scan = ScanImage(image, ScanOptions{});
  EXPECT_TRUE(scan.has_value());
  return scan ? FormatWasteJson(AnalyzeWaste("dive", image, *scan)) : "";
}

TEST(WasteCache, TheSecondRunReadsNoLayerAndReportsTheSame) {
  Fixture f;
  const std::string cold = ColdJson();
  Fixture::Run first = f.RunOnce();
  EXPECT_FALSE(first.result.from_cache);
  EXPECT_EQ(first.json, cold);
  Fixture::Run second = f.RunOnce();
  EXPECT_TRUE(second.result.from_cache);
  EXPECT_EQ(second.result_hits, 1u);
  EXPECT_EQ(second.layer_hits, 0u);  // no layer scan was even decoded
  EXPECT_EQ(second.json, cold);
  ASSERT_EQ(second.result.scan.layers.size(), first.result.scan.layers.size());
  for (size_t i = 0; i < first.result.scan.layers.size(); ++i) {
    const LayerScan& a = first.result.scan.layers[i];
    const LayerScan& b = second.result.scan.layers[i];
    EXPECT_EQ(b.index, a.index);
    EXPECT_EQ(b.blob_digest, a.blob_digest);
    EXPECT_EQ(b.diff_id, a.diff_id);
    EXPECT_EQ(b.tar_size, a.tar_size);
    EXPECT_EQ(b.blob_size, a.blob_size);
    EXPECT_EQ(b.warnings, a.warnings);
  }
  EXPECT_TRUE(f.warnings.empty());
}

TEST(WasteCache, TheKeyNamesEveryLayerInOrderAndEveryScanOption) {
  Image image = OpenDiveImage();
  ASSERT_GE(image.layers.size(), 3u);
  std::vector<LayerCacheKey> keys;
  const std::string base = WasteResultKey(image, ScanOptions{}, &keys);
  ASSERT_EQ(base.size(), 64u);
  EXPECT_EQ(keys.size(), image.layers.size());
  EXPECT_EQ(WasteResultKey(image, ScanOptions{}, &keys), base);  // deterministic
  std::vector<std::string> seen = {base};
  auto expect_new = [&](const std::string& key, const char* what) {
    ASSERT_EQ(key.size(), 64u) << what;
    for (const std::string& s : seen) EXPECT_NE(key, s) << what;
    seen.push_back(key);
  };
  ScanOptions hashed;
  hashed.hash_contents = true;
  expect_new(WasteResultKey(image, hashed, &keys), "--hash");
  CaptureRules rules(1);
  rules[0].name = "dpkg status";
  ScanOptions captured;
  captured.capture = &rules;
  expect_new(WasteResultKey(image, captured, &keys), "capture rules");
  {
    Image other = OpenDiveImage();
    std::swap(other.layers[1], other.layers[2]);
    expect_new(WasteResultKey(other, ScanOptions{}, &keys), "layer order");
  }
  {
    Image other = OpenDiveImage();
    other.layers.pop_back();
    expect_new(WasteResultKey(other, ScanOptions{}, &keys), "one layer fewer");
  }
  {
    Image other = OpenDiveImage();
    other.layers[1].blob.digest = "sha256:" + std::string(64, '7');
    expect_new(WasteResultKey(other, ScanOptions{}, &keys), "another layer");
  }
  {
    Image other = OpenDiveImage();
    other.layers.back().diff_id = "sha256:" + std::string(64, '8');
    expect_new(WasteResultKey(other, ScanOptions{}, &keys), "another diff_id");
  }
  // Never cached: under --verify, or with a layer the cache cannot name.
  ScanOptions verify;
  verify.verify = true;
  EXPECT_EQ(WasteResultKey(image, verify, &keys), "");
  EXPECT_TRUE(keys.empty());
  Image nameless = OpenDiveImage();
  nameless.layers[0].blob.digest.clear();
  EXPECT_EQ(WasteResultKey(nameless, ScanOptions{}, &keys), "");
}

TEST(WasteCache, HashedAndPlainRunsKeepTheirOwnResults) {
  Fixture f;
  ScanOptions hashed;
  hashed.hash_contents = true;
  Fixture::Run plain = f.RunOnce();
  Fixture::Run hashed_cold = f.RunOnce(hashed);
  EXPECT_FALSE(hashed_cold.result.from_cache);
  EXPECT_TRUE(hashed_cold.result.analysis.waste.duplicate_bytes.has_value());
  EXPECT_FALSE(plain.result.analysis.waste.duplicate_bytes.has_value());
  Fixture::Run hashed_warm = f.RunOnce(hashed);
  EXPECT_TRUE(hashed_warm.result.from_cache);
  EXPECT_EQ(hashed_warm.json, hashed_cold.json);
  Fixture::Run plain_warm = f.RunOnce();
  EXPECT_TRUE(plain_warm.result.from_cache);
  EXPECT_EQ(plain_warm.json, plain.json);
}

TEST(WasteCache, VerifyNeitherReadsNorFillsIt) {
  Fixture f;
  ScanOptions verify;
  verify.verify = true;
  Fixture::Run verified = f.RunOnce(verify);
  EXPECT_FALSE(verified.result.from_cache);
  EXPECT_EQ(f.Sql("SELECT COUNT(*) FROM layers"), "0");
  f.RunOnce();
  Fixture::Run again = f.RunOnce(verify);
  EXPECT_FALSE(again.result.from_cache);
  EXPECT_EQ(again.result_hits, 0u);
  EXPECT_EQ(again.json, verified.json);
}

TEST(WasteCache, ADamagedRowIsReportedOnceAndRebuilt) {
  Fixture f;
  const std::string cold = f.RunOnce().json;
  std::vector<LayerCacheKey> keys;
  Image image = OpenDiveImage();
  const std::string row = WasteResultKey(image, ScanOptions{}, &keys);
  ASSERT_EQ(f.Sql("SELECT COUNT(*) FROM layer_values WHERE key='" + row + "'"), "1");
  // Flip one byte in the middle of the stored result, as a bad sector would.
  f.Sql("UPDATE layer_values SET value = substr(value, 1, length(value) / 2) || x'a5' || "
        "substr(value, length(value) / 2 + 2) WHERE key='" + row + "'");
  Fixture::Run damaged = f.RunOnce();
  EXPECT_FALSE(damaged.result.from_cache);
  EXPECT_EQ(damaged.json, cold);
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_NE(f.warnings[0].find("is damaged"), std::string::npos) << f.warnings[0];
  EXPECT_NE(f.warnings[0].find("cached waste analysis"), std::string::npos) << f.warnings[0];
  Fixture::Run rebuilt = f.RunOnce();
  EXPECT_TRUE(rebuilt.result.from_cache);
  EXPECT_EQ(rebuilt.json, cold);
  EXPECT_EQ(f.warnings.size(), 1u);
}

TEST(WasteCache, AnotherSchemaVersionIsDroppedWithItsResults) {
  Fixture f;
  const std::string cold = f.RunOnce().json;
  f.Sql("PRAGMA user_version=99");
  Fixture::Run dropped = f.RunOnce();
  EXPECT_FALSE(dropped.result.from_cache);
  EXPECT_EQ(dropped.json, cold);
  EXPECT_EQ(f.Sql("PRAGMA user_version"), std::to_string(kCacheSchemaVersion));
  EXPECT_TRUE(f.RunOnce().result.from_cache);
}

TEST(WasteCache, CountedInTheBoundAndEvictedOnItsOwn) {
  Fixture f;
  f.RunOnce();
  std::vector<LayerCacheKey> keys;
  Image image = OpenDiveImage();
  const std::string row = WasteResultKey(image, ScanOptions{}, &keys);
  const uint64_t result_bytes = std::stoull(f.Sql("SELECT bytes FROM layers WHERE key='" + row + "'"));
  const uint64_t total = std::stoull(f.Sql("SELECT SUM(bytes) FROM layers"));
  const uint64_t layer_bytes = std::stoull(f.Sql("SELECT SUM(length(value)) FROM layer_values WHERE key<>'" + row + "'"));
  EXPECT_EQ(result_bytes, std::stoull(f.Sql("SELECT length(value) FROM layer_values WHERE key='" + row + "'")));
  EXPECT_EQ(total, layer_bytes + result_bytes);
  EXPECT_EQ(f.Sql("SELECT digest FROM layers WHERE key='" + row + "'"), "waste " + image.config.digest);

  // A bound one byte short: the least recently used row goes. The result,
  // used last, stays, and answers alone: it needs no layer scan.
  const uint64_t rows = std::stoull(f.Sql("SELECT COUNT(*) FROM layers"));
  Fixture::Run tight = f.RunOnce(ScanOptions{}, total - 1);
  EXPECT_TRUE(tight.result.from_cache);
  EXPECT_LE(std::stoull(f.Sql("SELECT SUM(bytes) FROM layers")), total - 1);
  EXPECT_EQ(f.Sql("SELECT COUNT(*) FROM layers WHERE key='" + row + "'"), "1");
  EXPECT_EQ(std::stoull(f.Sql("SELECT COUNT(*) FROM layers")), rows - 1);  // one scan evicted
  Fixture::Run after = f.RunOnce(ScanOptions{}, total - 1);
  EXPECT_TRUE(after.result.from_cache);

  // A bound below the result's own size: not kept at all.
  Fixture small;
  Fixture::Run a = small.RunOnce(ScanOptions{}, result_bytes - 1);
  EXPECT_FALSE(a.result.from_cache);
  Fixture::Run b = small.RunOnce(ScanOptions{}, result_bytes - 1);
  EXPECT_FALSE(b.result.from_cache);
  EXPECT_EQ(b.json, a.json);
  EXPECT_EQ(small.Sql("SELECT COUNT(*) FROM layers WHERE key='" + row + "'"), "0");
}

TEST(WasteCache, OffWithoutACache) {
  Image image = OpenDiveImage();
  auto scanned = ScanImageForWaste(image, ScanOptions{}, nullptr);
  ASSERT_TRUE(scanned.has_value());
  EXPECT_FALSE(scanned->from_cache);
  EXPECT_EQ(FormatWasteJson(MakeWasteReport("dive", image, scanned->scan, scanned->analysis)), ColdJson());
}

}  // namespace
}  // namespace whittle
