// SqliteStmt: a prepared SQLite statement, finalized on scope exit, and the
// one test of SQLite's damage codes. Shared by the two SQLite files whittle
// writes: the layer cache (cache_db.cc) and the fleet store
// (fleet/sqlite_store.cc). Not a wrapper of SQLite's API: just the lines
// both would otherwise repeat.
#ifndef WHITTLE_CACHE_SQLITE_STMT_H_
#define WHITTLE_CACHE_SQLITE_STMT_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace whittle {

/// True for SQLITE_CORRUPT / SQLITE_NOTADB (and their extended codes).
inline bool IsSqliteDamage(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

class SqliteStmt {
 public:
  SqliteStmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~SqliteStmt() { sqlite3_finalize(stmt_); }
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;
  bool prepared() const { return rc_ == SQLITE_OK; }
  int rc() const { return rc_; }
  sqlite3_stmt* get() { return stmt_; }
  void BindText(int i, std::string_view s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  /// |s| must outlive the next Step().
  void BindBlob(int i, std::string_view s) {
    sqlite3_bind_blob(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  void BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  /// SQLITE_ROW, SQLITE_DONE or an error code.
  int Step() { return rc_ = sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  /// Column |i| of the current row as text ("" for NULL).
  std::string Text(int i) {
    const unsigned char* t = sqlite3_column_text(stmt_, i);
    return t != nullptr ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
                        : std::string();
  }
  int64_t Int(int i) { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_OK;
};

}  // namespace whittle

#endif  // WHITTLE_CACHE_SQLITE_STMT_H_
