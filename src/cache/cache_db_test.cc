#include "cache/cache_db.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "io/test_util.h"

namespace whittle {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::unique_ptr<CacheDb> OpenOrDie(const std::string& dir) {
  auto db = CacheDb::Open(dir);
  EXPECT_TRUE(db.has_value()) << (db ? "" : db.error().message());
  return db ? std::move(*db) : nullptr;
}

CacheDb::Row RowOf(const std::string& key, size_t bytes) { return {key, "sha256:" + key, std::string(bytes, 'v')}; }

// Runs |sql| on the file directly, as another program would.
void RunSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(db);
}

TEST(CacheDb, StoresAndReadsValuesAcrossOpens) {
  TempDir dir;
  const std::string cache = dir.File("nested/cache");
  {
    auto db = OpenOrDie(cache);
    ASSERT_TRUE(db->Commit({}, {RowOf("a", 10), RowOf("b", 20)}, {}, 1000).ok());
  }
  auto db = OpenOrDie(cache);
  auto a = db->Get("a");
  ASSERT_TRUE(a.has_value());
  ASSERT_TRUE(a->has_value());
  EXPECT_EQ(**a, std::string(10, 'v'));
  auto missing = db->Get("zz");
  ASSERT_TRUE(missing.has_value());
  EXPECT_FALSE(missing->has_value());
  EXPECT_EQ(*db->TotalBytes(), 30u);
  EXPECT_EQ(*db->Count(), 2u);
}

TEST(CacheDb, EvictsLeastRecentlyUsedDownToTheLimit) {
  TempDir dir;
  auto db = OpenOrDie(dir.path());
  ASSERT_TRUE(db->Commit({}, {RowOf("a", 1000), RowOf("b", 1000), RowOf("c", 1000)}, {}, 10000).ok());
  // a is used again: b is now the least recently used.
  ASSERT_TRUE(db->Commit({"a"}, {RowOf("d", 1000)}, {}, 3500).ok());
  EXPECT_LE(*db->TotalBytes(), 3500u);
  EXPECT_EQ(*db->Count(), 3u);
  EXPECT_FALSE(db->Get("b")->has_value());
  EXPECT_TRUE(db->Get("a")->has_value());
  EXPECT_TRUE(db->Get("c")->has_value());
  EXPECT_TRUE(db->Get("d")->has_value());
  // A smaller limit keeps the newest that fit.
  ASSERT_TRUE(db->Commit({}, {}, {}, 1500).ok());
  EXPECT_EQ(*db->Count(), 1u);
  EXPECT_TRUE(db->Get("d")->has_value());
}

TEST(CacheDb, EvictionShrinksTheFile) {
  TempDir dir;
  auto db = OpenOrDie(dir.path());
  std::vector<CacheDb::Row> rows;
  for (int i = 0; i < 20; ++i) rows.push_back(RowOf("k" + std::to_string(i), 100000));
  ASSERT_TRUE(db->Commit({}, rows, {}, 1u << 30).ok());
  ASSERT_TRUE(db->Commit({}, {}, {}, 250000).ok());
  EXPECT_LE(*db->TotalBytes(), 250000u);
  db.reset();  // checkpoints the WAL into the file
  const uint64_t size = ReadFile(dir.File(kCacheFileName)).size();
  EXPECT_LT(size, 500000u) << "freed pages were not given back";
}

TEST(CacheDb, AnotherSchemaVersionIsDroppedNotRead) {
  TempDir dir;
  {
    auto db = OpenOrDie(dir.path());
    ASSERT_TRUE(db->Commit({}, {RowOf("a", 10)}, {}, 1000).ok());
  }
  RunSql(dir.File(kCacheFileName), "PRAGMA user_version=" + std::to_string(kCacheSchemaVersion + 1));
  auto db = OpenOrDie(dir.path());
  EXPECT_EQ(*db->Count(), 0u);
  EXPECT_FALSE(db->Get("a")->has_value());
  ASSERT_TRUE(db->Commit({}, {RowOf("b", 10)}, {}, 1000).ok());
  EXPECT_TRUE(db->Get("b")->has_value());
}

TEST(CacheDb, NotADatabaseIsDamage) {
  TempDir dir;
  WriteFile(dir.File(kCacheFileName), std::string(8192, 'x'));
  auto db = CacheDb::Open(dir.path());
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), Errc::kCorrupt) << db.error().message();
}

TEST(CacheDb, RecreateStartsEmpty) {
  TempDir dir;
  auto db = OpenOrDie(dir.path());
  ASSERT_TRUE(db->Commit({}, {RowOf("a", 10)}, {}, 1000).ok());
  ASSERT_TRUE(db->Recreate().ok());
  EXPECT_EQ(*db->Count(), 0u);
  ASSERT_TRUE(db->Commit({}, {RowOf("b", 10)}, {}, 1000).ok());
  EXPECT_EQ(*db->Count(), 1u);
}

TEST(CacheDb, TwoConnectionsWriteInTurn) {
  TempDir dir;
  auto one = OpenOrDie(dir.path());
  auto two = OpenOrDie(dir.path());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(one->Commit({}, {RowOf("same", 10), RowOf("one" + std::to_string(i), 10)}, {}, 1u << 20).ok());
    ASSERT_TRUE(two->Commit({"same"}, {RowOf("same", 10), RowOf("two" + std::to_string(i), 10)}, {}, 1u << 20).ok());
  }
  EXPECT_EQ(*one->Count(), 41u);
  EXPECT_EQ(*two->Count(), 41u);
}

TEST(CacheDb, UnwritableDirectoryIsAnIoError) {
  TempDir dir;
  WriteFile(dir.File("file"), "x");
  auto db = CacheDb::Open(dir.File("file/sub"));
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), Errc::kIo);
}

}  // namespace
}  // namespace whittle
