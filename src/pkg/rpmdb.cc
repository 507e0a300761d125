#include "pkg/rpmdb.h"

#include <sqlite3.h>

#include <cstring>
#include <string>

#include "pkg/rpm_header.h"
#include "util/strings.h"

namespace whittle::pkg {

namespace {

constexpr std::string_view kSqliteMagic("SQLite format 3\0", 16);

// Owns an sqlite3 handle.
class Db {
 public:
  Db() = default;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() {
    if (db_ != nullptr) sqlite3_close(db_);
  }
  sqlite3** out() { return &db_; }
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(stmt_); }
  sqlite3_stmt** out() { return &stmt_; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

struct Progress {
  uint64_t calls = 0;
  uint64_t max_calls = 0;
};

int OnProgress(void* arg) {
  auto* p = static_cast<Progress*>(arg);
  return ++p->calls > p->max_calls ? 1 : 0;  // non-zero interrupts
}

Status SqliteError(const std::string& file, sqlite3* db, const char* what) {
  return Error(Errc::kCorrupt, StrFormat("%s: %s: %s", file.c_str(), what, db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

RpmDbKind DetectRpmDatabase(std::string_view path) {
  for (std::string_view dir : {std::string_view("/var/lib/rpm/"), std::string_view("/usr/lib/sysimage/rpm/")}) {
    if (!StartsWith(path, dir)) continue;
    std::string_view base = path.substr(dir.size());
    if (base == "rpmdb.sqlite") return RpmDbKind::kSqlite;
    if (base == "Packages") return RpmDbKind::kBdb;
    if (base == "Packages.db") return RpmDbKind::kNdb;
  }
  return RpmDbKind::kNone;
}

Status UnreadableRpmDatabase(std::string_view path) {
  return Error(Errc::kUnsupported, StrFormat("%s: unreadable rpm database (bdb/ndb)", std::string(path).c_str()));
}

Result<std::vector<Package>> ReadRpmSqlite(std::string_view bytes, std::string_view file_view) {
  const std::string file(file_view);
  if (bytes.size() > kMaxRpmSqliteBytes) {
    return Error(Errc::kTooLarge, StrFormat("%s: %zu bytes, more than the %llu-byte cap", file.c_str(), bytes.size(),
                                            static_cast<unsigned long long>(kMaxRpmSqliteBytes)));
  }
  if (bytes.size() < 100 || bytes.substr(0, 16) != kSqliteMagic) {
    return Error(Errc::kCorrupt, StrFormat("%s: offset 0: not an SQLite database", file.c_str()));
  }
  Db db;
  if (sqlite3_open_v2(":memory:", db.out(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return SqliteError(file, db.get(), "cannot open an in-memory database");
  }
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(kRpmMaxDataBytes + (kRpmMaxIndexEntries + 1) * 16));

  // SQLite owns the copy from here (FREEONCLOSE), even when deserialize fails.
  auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  if (buf == nullptr) return Error(Errc::kTooLarge, StrFormat("%s: out of memory", file.c_str()));
  std::memcpy(buf, bytes.data(), bytes.size());
  // WAL (2) -> legacy rollback journal (1): a deserialized database has no
  // shared-memory index, so SQLite refuses WAL mode on it.
  if (buf[18] == 2) buf[18] = 1;
  if (buf[19] == 2) buf[19] = 1;
  int rc = sqlite3_deserialize(db.get(), "main", buf, static_cast<sqlite3_int64>(bytes.size()),
                               static_cast<sqlite3_int64>(bytes.size()),
                               SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
  if (rc != SQLITE_OK) return SqliteError(file, db.get(), "cannot load the database");

  Progress progress{0, kRpmSqliteMaxSteps / 1000};
  sqlite3_progress_handler(db.get(), 1000, OnProgress, &progress);

  {
    Stmt check;
    if (sqlite3_prepare_v2(db.get(), "SELECT type FROM sqlite_schema WHERE name = 'Packages'", -1, check.out(),
                           nullptr) != SQLITE_OK) {
      return SqliteError(file, db.get(), "cannot read the schema");
    }
    rc = sqlite3_step(check.get());
    if (rc == SQLITE_DONE) return Error(Errc::kCorrupt, StrFormat("%s: no Packages table", file.c_str()));
    if (rc != SQLITE_ROW) return SqliteError(file, db.get(), "cannot read the schema");
    const unsigned char* type = sqlite3_column_text(check.get(), 0);
    if (type == nullptr || std::strcmp(reinterpret_cast<const char*>(type), "table") != 0) {
      return Error(Errc::kCorrupt, StrFormat("%s: Packages is not a table", file.c_str()));
    }
  }

  Stmt stmt;
  if (sqlite3_prepare_v2(db.get(), "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, stmt.out(), nullptr) !=
      SQLITE_OK) {
    return SqliteError(file, db.get(), "cannot query Packages");
  }
  std::vector<Package> out;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    sqlite3_int64 hnum = sqlite3_column_int64(stmt.get(), 0);
    const void* data = sqlite3_column_blob(stmt.get(), 1);
    int size = sqlite3_column_bytes(stmt.get(), 1);
    std::string where = StrFormat("%s: Packages hnum %lld", file.c_str(), static_cast<long long>(hnum));
    std::string_view blob(data == nullptr ? "" : static_cast<const char*>(data), static_cast<size_t>(size));
    ASSIGN_OR_RETURN(Package p, ParseRpmHeader(blob, where));
    out.push_back(std::move(p));
  }
  if (rc == SQLITE_INTERRUPT) {
    return Error(Errc::kTooLarge, StrFormat("%s: reading Packages took over %llu SQLite steps", file.c_str(),
                                            static_cast<unsigned long long>(kRpmSqliteMaxSteps)));
  }
  if (rc != SQLITE_DONE) return SqliteError(file, db.get(), "cannot read Packages");
  return out;
}

}  // namespace whittle::pkg
