#include "cache/layer_cache.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/byte_source.h"
#include "cache/cache_test_util.h"
#include "io/test_util.h"
#include "support/tar_builder.h"

namespace whittle {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

struct Fixture : testing::CacheDir {
  LayerRef layer;
  LayerCacheKey key;
  PathInterner paths;
  LayerScan scan;

  Fixture() {
    std::string tar = testing::BuildTar(
        {testing::Dir("etc/"), testing::File("etc/a", "alpha"), testing::File("etc/b", std::string(3000, 'b'))});
    auto src = MakeMemorySource(tar, "img.tar:l1");
    EXPECT_TRUE(ScanLayerTar(*src, paths, &scan).ok());
    scan.blob_size = tar.size();
    layer.blob.digest = "sha256:" + std::string(64, '1');
    layer.blob.location = "img.tar:l1";
    layer.diff_id = layer.blob.digest;
    ScanOptions options;
    EXPECT_TRUE(TryMakeLayerCacheKey(layer, options, &key));
  }
  void StoreOnce() {
    LayerCache cache(Options());
    cache.Store(key, layer, scan, paths);
    cache.Flush();
    EXPECT_EQ(cache.written(), 1u);
  }
  bool Load(LayerCache& cache, LayerScan* out, const LayerCacheKey& k) {
    PathInterner p;
    return cache.TryLoad(k, layer, scan.blob_size, p, /*totals_only=*/false, out);
  }
};

TEST(LayerCache, StoredScanComesBackInANewProcess) {
  Fixture f;
  f.StoreOnce();
  LayerCache cache(f.Options());
  PathInterner p;
  LayerScan out;
  ASSERT_TRUE(cache.TryLoad(f.key, f.layer, f.scan.blob_size, p, /*totals_only=*/false, &out));
  ASSERT_EQ(out.entries.size(), f.scan.entries.size());
  EXPECT_EQ(p.Get(out.entries[1].path), "/etc/a");
  EXPECT_EQ(out.tar_size, f.scan.tar_size);
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_TRUE(f.warnings.empty());
}

TEST(LayerCache, AnyKeyFieldOrABlobOfAnotherSizeMisses) {
  Fixture f;
  f.StoreOnce();
  LayerCache cache(f.Options());
  LayerScan out;
  LayerCacheKey k = f.key;
  k.hash_contents = true;
  EXPECT_FALSE(f.Load(cache, &out, k));
  k = f.key;
  k.capture_rules = {"dpkg status"};
  EXPECT_FALSE(f.Load(cache, &out, k));
  k = f.key;
  k.blob_digest = "sha256:" + std::string(64, '2');
  EXPECT_FALSE(f.Load(cache, &out, k));
  k = f.key;
  k.compression = Compression::kGzip;
  EXPECT_FALSE(f.Load(cache, &out, k));
  PathInterner p;
  EXPECT_FALSE(cache.TryLoad(f.key, f.layer, f.scan.blob_size - 1, p, /*totals_only=*/false, &out));
  EXPECT_TRUE(out.entries.empty());
  EXPECT_TRUE(f.Load(cache, &out, f.key));
}

TEST(LayerCache, AScribbledFileIsReportedAndRebuilt) {
  Fixture f;
  f.StoreOnce();
  {
    std::string bytes = ReadFile(f.DbPath());
    ASSERT_GT(bytes.size(), 4096u);
    for (size_t i = 0; i < 100; ++i) bytes[i] = static_cast<char>(0xa5);  // the header
    WriteFile(f.DbPath(), bytes);
  }
  {
    LayerCache cache(f.Options());
    LayerScan out;
    EXPECT_FALSE(f.Load(cache, &out, f.key));
    ASSERT_EQ(f.warnings.size(), 1u);
    EXPECT_NE(f.warnings[0].find("is damaged"), std::string::npos) << f.warnings[0];
    EXPECT_NE(f.warnings[0].find("rebuilding it"), std::string::npos) << f.warnings[0];
    EXPECT_TRUE(cache.enabled());
    cache.Store(f.key, f.layer, f.scan, f.paths);
  }
  LayerCache again(f.Options());
  LayerScan out;
  EXPECT_TRUE(f.Load(again, &out, f.key));
  EXPECT_EQ(f.warnings.size(), 1u);
}

TEST(LayerCache, AValueThatFailsItsChecksumIsNeverUsed) {
  Fixture f;
  f.StoreOnce();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(f.DbPath().c_str(), &db), SQLITE_OK);
  // Flip one byte in the middle of the stored value, as a bad sector would.
  std::string value;
  {
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT value FROM layer_values", -1, &s, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    value.assign(static_cast<const char*>(sqlite3_column_blob(s, 0)), sqlite3_column_bytes(s, 0));
    sqlite3_finalize(s);
  }
  ASSERT_GT(value.size(), 64u);
  value[value.size() / 2] = static_cast<char>(value[value.size() / 2] ^ 0xff);
  {
    sqlite3_stmt* s = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE layer_values SET value=?1", -1, &s, nullptr), SQLITE_OK);
    sqlite3_bind_blob(s, 1, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
    ASSERT_EQ(sqlite3_step(s), SQLITE_DONE);
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  LayerCache cache(f.Options());
  LayerScan out;
  EXPECT_FALSE(f.Load(cache, &out, f.key));
  EXPECT_TRUE(out.entries.empty());
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_NE(f.warnings[0].find("checksum"), std::string::npos) << f.warnings[0];
  EXPECT_TRUE(cache.enabled());  // rebuilt, empty
  EXPECT_FALSE(f.Load(cache, &out, f.key));
}

TEST(LayerCache, ATruncatedFileIsReportedAndRebuilt) {
  Fixture f;
  // Enough layers that the file spans many pages.
  {
    LayerCache cache(f.Options());
    for (int i = 0; i < 50; ++i) {
      LayerCacheKey k = f.key;
      k.blob_digest = "sha256:" + std::string(63, 'a') + std::to_string(i % 10) + std::to_string(i);
      cache.Store(k, f.layer, f.scan, f.paths);
    }
    cache.Store(f.key, f.layer, f.scan, f.paths);
  }
  const std::string bytes = ReadFile(f.DbPath());
  ASSERT_GT(bytes.size(), 8192u);
  ASSERT_EQ(truncate(f.DbPath().c_str(), static_cast<off_t>(bytes.size() / 3)), 0);
  LayerCache cache(f.Options());
  LayerScan out;
  EXPECT_FALSE(f.Load(cache, &out, f.key));
  cache.Store(f.key, f.layer, f.scan, f.paths);
  cache.Flush();
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_NE(f.warnings[0].find("is damaged"), std::string::npos) << f.warnings[0];
  LayerCache again(f.Options());
  EXPECT_TRUE(f.Load(again, &out, f.key));
}

TEST(LayerCache, EvictionKeepsTheValuesUnderTheLimit) {
  Fixture f;
  f.StoreOnce();
  uint64_t one = 0;
  {
    auto db = CacheDb::Open(f.dir.File("cache"));
    ASSERT_TRUE(db.has_value());
    one = *(*db)->TotalBytes();
  }
  ASSERT_GT(one, 0u);
  const uint64_t limit = one * 7 / 2;  // room for three
  auto key_of = [&](int i) {
    LayerCacheKey k = f.key;
    k.blob_digest = "sha256:" + std::string(62, 'c') + std::to_string(10 + i);
    return k;
  };
  for (int i = 0; i < 10; ++i) {
    LayerCache cache(f.Options(limit));
    cache.Store(key_of(i), f.layer, f.scan, f.paths);
    cache.Flush();
    auto db = CacheDb::Open(f.dir.File("cache"));
    ASSERT_TRUE(db.has_value());
    EXPECT_LE(*(*db)->TotalBytes(), limit) << "after " << i;
  }
  // The three most recently used stay; the oldest went first.
  LayerCache cache(f.Options(limit));
  LayerScan out;
  EXPECT_TRUE(f.Load(cache, &out, key_of(9)));
  EXPECT_TRUE(f.Load(cache, &out, key_of(8)));
  EXPECT_TRUE(f.Load(cache, &out, key_of(7)));
  EXPECT_FALSE(f.Load(cache, &out, key_of(6)));
  EXPECT_FALSE(f.Load(cache, &out, f.key));
  EXPECT_TRUE(f.warnings.empty());
}

TEST(LayerCache, AnUnusableDirectoryWarnsOnceAndTurnsTheCacheOff) {
  Fixture f;
  WriteFile(f.dir.File("cache"), "a file, not a directory");
  LayerCache cache(f.Options());
  EXPECT_FALSE(cache.enabled());
  LayerScan out;
  EXPECT_FALSE(f.Load(cache, &out, f.key));
  cache.Store(f.key, f.layer, f.scan, f.paths);
  cache.Flush();
  ASSERT_EQ(f.warnings.size(), 1u);
  EXPECT_NE(f.warnings[0].find("layer cache unavailable"), std::string::npos) << f.warnings[0];
}

}  // namespace
}  // namespace whittle
