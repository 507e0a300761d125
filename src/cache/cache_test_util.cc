#include "cache/cache_test_util.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "cache/cache_db.h"

namespace whittle::testing {

Image OpenDiveImage() {
  auto image = OpenImage(std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/test-docker-image.tar", OpenOptions{});
  EXPECT_TRUE(image.has_value()) << image.error().message();
  return image ? std::move(*image) : Image{};
}

LayerCacheOptions CacheDir::Options(uint64_t max_bytes) {
  LayerCacheOptions o;
  o.dir = dir.File("cache");
  o.max_bytes = max_bytes;
  o.warn = [this](const std::string& w) { warnings.push_back(w); };
  return o;
}

std::string CacheDir::DbPath() { return dir.File("cache/") + kCacheFileName; }

std::string CacheDir::Sql(const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(DbPath().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string out;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

}  // namespace whittle::testing
