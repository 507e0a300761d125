#include "cache/cache_db.h"

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "cache/sqlite_stmt.h"
#include "util/strings.h"

namespace whittle {
namespace {

using Stmt = SqliteStmt;

// Values sit in a table of their own so that marking a row used (an
// UPDATE of last_used) does not rewrite its value's pages.
constexpr const char* kCreateSchema =
    "CREATE TABLE layers("
    "  key TEXT PRIMARY KEY,"
    "  digest TEXT NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  last_used INTEGER NOT NULL);"
    "CREATE INDEX layers_by_use ON layers(last_used);"
    "CREATE TABLE layer_values("
    "  key TEXT PRIMARY KEY,"
    "  value BLOB NOT NULL);";

}  // namespace

CacheDb::CacheDb(std::string dir, std::string path, int busy_timeout_ms)
    : dir_(std::move(dir)), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

CacheDb::~CacheDb() { Close(); }

void CacheDb::Close() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
  db_ = nullptr;
}

Status CacheDb::SqlError(const char* what) const {
  const int rc = db_ != nullptr ? sqlite3_extended_errcode(db_) : SQLITE_ERROR;
  const char* msg = db_ != nullptr ? sqlite3_errmsg(db_) : "not open";
  return Error(IsSqliteDamage(rc) ? Errc::kCorrupt : Errc::kIo, StrFormat("%s: %s: %s", path_.c_str(), what, msg));
}

Status CacheDb::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(sql);
  return Status::Ok();
}

Result<std::unique_ptr<CacheDb>> CacheDb::Open(const std::string& dir, int busy_timeout_ms) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Error(Errc::kIo, StrFormat("%s: cannot create the directory: %s", dir.c_str(), ec.message().c_str()));
  std::unique_ptr<CacheDb> db(new CacheDb(dir, dir + "/" + kCacheFileName, busy_timeout_ms));
  RETURN_IF_ERROR(db->OpenFile());
  return db;
}

Status CacheDb::OpenFile() {
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    Status st = SqlError("open");
    Close();
    return st;
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
  // The file is untrusted input: refuse what could hurt a damaged file more.
  sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  // No fsync at all: a warm run must not wait for the disk. A process that
  // dies loses nothing (the OS has the pages); an OS crash or power loss
  // may lose or damage the last writes, and damage is detected (SQLite's
  // checks, each value's checksum) and answered by rebuilding. Right for a
  // cache, whose every row can be made again. Set first: the statements
  // below may write (and would sync the WAL and the directory).
  RETURN_IF_ERROR(Exec("PRAGMA synchronous=OFF"));
  // auto_vacuum takes effect only on a new file (before the first table);
  // setting it again on every open would be a write transaction each time.
  int auto_vacuum = 0;
  {
    Stmt s(db_, "PRAGMA auto_vacuum");
    if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("PRAGMA auto_vacuum");
    auto_vacuum = sqlite3_column_int(s.get(), 0);
  }
  if (auto_vacuum != 2) RETURN_IF_ERROR(Exec("PRAGMA auto_vacuum=INCREMENTAL"));  // 2: incremental
  RETURN_IF_ERROR(Exec("PRAGMA journal_mode=WAL"));

  auto read_version = [this](int* version) -> Status {
    Stmt s(db_, "PRAGMA user_version");
    if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("PRAGMA user_version");
    *version = sqlite3_column_int(s.get(), 0);
    return Status::Ok();
  };
  int version = 0;
  RETURN_IF_ERROR(read_version(&version));
  if (version == kCacheSchemaVersion) return Status::Ok();
  // New, or written by another whittle: re-create under the write lock,
  // checking again in case another process just did.
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status st = read_version(&version);
  if (st.ok() && version != kCacheSchemaVersion) {
    st = Exec("DROP INDEX IF EXISTS layers_by_use; DROP TABLE IF EXISTS layers; DROP TABLE IF EXISTS layer_values");
    if (st.ok()) st = Exec(kCreateSchema);
    if (st.ok()) st = Exec(StrFormat("PRAGMA user_version=%d", kCacheSchemaVersion).c_str());
  }
  if (st.ok()) return Exec("COMMIT");
  sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return st;
}

Result<bool> CacheDb::Read(std::string_view key, const std::function<void(std::string_view value)>& fn) {
  Stmt s(db_, "SELECT value FROM layer_values WHERE key=?1");
  if (!s.prepared()) return SqlError("select");
  s.BindText(1, key);
  int rc = s.Step();
  if (rc == SQLITE_DONE) return false;
  if (rc != SQLITE_ROW) return SqlError("select");
  const void* data = sqlite3_column_blob(s.get(), 0);
  const int n = sqlite3_column_bytes(s.get(), 0);
  // Reading the blob may be where a damaged page shows.
  if (data == nullptr && n > 0) return SqlError("read value");
  if (sqlite3_errcode(db_) != SQLITE_ROW && sqlite3_errcode(db_) != SQLITE_OK) return SqlError("read value");
  fn(std::string_view(static_cast<const char*>(data), data != nullptr ? static_cast<size_t>(n) : 0));
  return true;
}

Result<std::optional<std::string>> CacheDb::Get(std::string_view key) {
  std::optional<std::string> out;
  ASSIGN_OR_RETURN(bool found, Read(key, [&out](std::string_view value) { out.emplace(value); }));
  (void)found;
  return out;
}

Status CacheDb::Commit(const std::vector<std::string>& used, const std::vector<Row>& rows,
                       const std::vector<std::string>& drop, uint64_t max_bytes) {
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    int64_t seq = 0;
    {
      Stmt s(db_, "SELECT COALESCE(MAX(last_used), 0) FROM layers");
      if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("select");
      seq = sqlite3_column_int64(s.get(), 0);
    }
    {
      Stmt s(db_, "UPDATE layers SET last_used=?1 WHERE key=?2");
      if (!s.prepared()) return SqlError("update");
      for (const std::string& key : used) {
        s.BindInt(1, ++seq);
        s.BindText(2, key);
        if (s.Step() != SQLITE_DONE) return SqlError("update");
        s.Reset();
      }
    }
    {
      Stmt s(db_, "INSERT OR REPLACE INTO layers(key, digest, bytes, last_used) VALUES(?1, ?2, ?3, ?4)");
      Stmt v(db_, "INSERT OR REPLACE INTO layer_values(key, value) VALUES(?1, ?2)");
      if (!s.prepared() || !v.prepared()) return SqlError("insert");
      for (const Row& row : rows) {
        s.BindText(1, row.key);
        s.BindText(2, row.digest);
        s.BindInt(3, static_cast<int64_t>(row.value.size()));
        s.BindInt(4, ++seq);
        if (s.Step() != SQLITE_DONE) return SqlError("insert");
        s.Reset();
        v.BindText(1, row.key);
        v.BindBlob(2, row.value);
        if (v.Step() != SQLITE_DONE) return SqlError("insert");
        v.Reset();
      }
    }
    Stmt del(db_, "DELETE FROM layers WHERE key=?1");
    Stmt del_value(db_, "DELETE FROM layer_values WHERE key=?1");
    if (!del.prepared() || !del_value.prepared()) return SqlError("delete");
    auto remove = [&](const std::string& key) -> Status {
      del.BindText(1, key);
      del_value.BindText(1, key);
      if (del.Step() != SQLITE_DONE || del_value.Step() != SQLITE_DONE) return SqlError("delete");
      del.Reset();
      del_value.Reset();
      return Status::Ok();
    };
    for (const std::string& key : drop) RETURN_IF_ERROR(remove(key));
    // Evict the least recently used rows until the values fit.
    uint64_t total = 0;
    {
      Stmt s(db_, "SELECT COALESCE(SUM(bytes), 0) FROM layers");
      if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("select");
      total = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
    }
    if (total <= max_bytes) return Status::Ok();
    std::vector<std::pair<std::string, uint64_t>> victims;
    {
      Stmt s(db_, "SELECT key, bytes FROM layers ORDER BY last_used ASC");
      if (!s.prepared()) return SqlError("select");
      uint64_t left = total;
      while (left > max_bytes && s.Step() == SQLITE_ROW) {
        const unsigned char* k = sqlite3_column_text(s.get(), 0);
        const uint64_t bytes = static_cast<uint64_t>(sqlite3_column_int64(s.get(), 1));
        victims.emplace_back(k != nullptr ? reinterpret_cast<const char*>(k) : "", bytes);
        left -= std::min(left, bytes);
      }
      if (left > max_bytes && s.rc() != SQLITE_DONE) return SqlError("select");
    }
    for (const auto& v : victims) RETURN_IF_ERROR(remove(v.first));
    return Status::Ok();
  };
  Status st = body();
  if (!st.ok()) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    return st;
  }
  RETURN_IF_ERROR(Exec("COMMIT"));
  // Give freed pages back to the file system (auto_vacuum=INCREMENTAL).
  return Exec("PRAGMA incremental_vacuum");
}

Result<uint64_t> CacheDb::TotalBytes() {
  Stmt s(db_, "SELECT COALESCE(SUM(bytes), 0) FROM layers");
  if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("select");
  return static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
}

Result<uint64_t> CacheDb::Count() {
  Stmt s(db_, "SELECT COUNT(*) FROM layers");
  if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("select");
  return static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0));
}

Status CacheDb::Recreate() {
  Close();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::string p = path_ + suffix;
    if (unlink(p.c_str()) != 0 && errno != ENOENT) {
      return Error(Errc::kIo, StrFormat("%s: cannot delete: %s", p.c_str(), strerror(errno)));
    }
  }
  return OpenFile();
}

}  // namespace whittle
