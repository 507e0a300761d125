// CacheDb: the layer cache's file, an SQLite database of opaque values by
// key with a last-used order. It knows nothing of layers (layer_cache.h
// puts encoded LayerScans in it, and per-image results, image_result.h, in
// the same table); it keeps the file sound when several
// whittle processes use it at once, bounded, and honest about damage.
//
//   layers(key TEXT PRIMARY KEY, digest TEXT, bytes INTEGER, last_used INTEGER)
//   layer_values(key TEXT PRIMARY KEY, value BLOB)
//
// (values apart, so that marking a row used does not rewrite its value).
//
// - Concurrency: WAL journal, so readers never wait for a writer; a busy
//   timeout for writers; every write is one short transaction, never
//   fsync'd (synchronous=OFF: damage after a power loss is detected and
//   rebuilt like any other). Two
//   processes storing the same key both succeed (the last write wins; both
//   wrote the same scan).
// - Versions: PRAGMA user_version holds kCacheSchemaVersion. A file with
//   another version (older or newer whittle) is emptied and re-created,
//   never read.
// - Bounds: last_used is a counter (max + 1 on every use), so LRU order
//   does not depend on clocks; Evict() deletes the least recently used rows
//   until the values total at most the limit, and incremental vacuum gives
//   the pages back to the file system.
// - Damage: SQLite's SQLITE_CORRUPT / SQLITE_NOTADB come back as kCorrupt,
//   which the caller answers with Recreate(). Other failures (a read-only
//   directory, a full disk, a lock held too long) are kIo.
//
// Not thread-safe: one CacheDb per thread.
#ifndef WHITTLE_CACHE_CACHE_DB_H_
#define WHITTLE_CACHE_CACHE_DB_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

struct sqlite3;

namespace whittle {

/// Bump when the table layout changes: older files are then dropped.
inline constexpr int kCacheSchemaVersion = 1;

/// The file name inside the cache directory.
inline constexpr const char kCacheFileName[] = "layers.sqlite";

class CacheDb {
 public:
  /// Opens (creating it and |dir| when missing) DIR/layers.sqlite.
  /// |busy_timeout_ms|: how long a write waits for another process's.
  /// Errors: kCorrupt (not a database, malformed), kIo (anything else).
  static Result<std::unique_ptr<CacheDb>> Open(const std::string& dir, int busy_timeout_ms = 10000);
  ~CacheDb();
  CacheDb(const CacheDb&) = delete;
  CacheDb& operator=(const CacheDb&) = delete;

  /// The database file's path.
  const std::string& path() const { return path_; }

  /// Calls |fn| with the value stored under |key| (a view valid during the
  /// call only) and returns true; false when there is none.
  Result<bool> Read(std::string_view key, const std::function<void(std::string_view value)>& fn);
  /// The value stored under |key| (a copy), or nullopt.
  Result<std::optional<std::string>> Get(std::string_view key);

  /// One value to write.
  struct Row {
    std::string key;
    std::string digest;  // for people reading the file with sqlite3
    std::string value;
  };
  /// In one transaction: marks |used| keys as the most recently used (in
  /// order), inserts or replaces |rows| (newer still), deletes |drop| keys,
  /// then evicts down to |max_bytes| of values (Evict).
  Status Commit(const std::vector<std::string>& used, const std::vector<Row>& rows,
                const std::vector<std::string>& drop, uint64_t max_bytes);

  /// Sum of the stored values' sizes.
  Result<uint64_t> TotalBytes();
  /// Number of rows.
  Result<uint64_t> Count();

  /// Closes the file, deletes it (with its -wal and -shm) and opens a new
  /// empty one in its place: what damage is answered with.
  Status Recreate();

 private:
  CacheDb(std::string dir, std::string path, int busy_timeout_ms);
  Status OpenFile();
  void Close();
  Status Exec(const char* sql);
  Status SqlError(const char* what) const;

  std::string dir_;
  std::string path_;
  int busy_timeout_ms_;
  sqlite3* db_ = nullptr;
};

}  // namespace whittle

#endif  // WHITTLE_CACHE_CACHE_DB_H_
