// SqliteFleetStore: the FleetStore (fleet_store.h) in one SQLite file, the
// default store of `whittle scan` on one machine, or of several processes
// on one machine sharing the file (--shard i/N into one --db).
//
//   schema_version(version)                      one row: the schema applied
//   work(id, reference UNIQUE, repository, state, worker, lease_until, error)
//        state: pending -> claimed -> done | failed   (Requeue: -> pending)
//   images(digest PRIMARY KEY, repository, size, pull_size, reclaimable)
//   image_tags(digest, tag)                      merged, never dropped
//   layers(digest PRIMARY KEY, diff_id, size, pull_size, files)
//   image_layers(image, position, layer)         bottom layer = position 0
//   findings(image, rank, id, lever, message, bytes)
//
// Claims: SQLite cannot keep a write transaction open across a scan, so a
// claim is a row update (state=claimed, lease_until = now + lease) made
// under BEGIN IMMEDIATE, the database's one write lock: two processes
// never claim the same row. A claim whose lease_until has passed is
// claimable again (its worker died, or took longer than the lease: then the
// image is scanned twice and stored once, keyed by digest). A worker with
// nothing pending waits for other workers' leases (ClaimsOfOthers), so a
// dead worker's images are finished in the same run.
//
// Concurrency between processes: WAL journal and a busy timeout, as the
// layer cache (cache/cache_db.h); every write is one short transaction.
// Unlike the cache, the file is a record, not a cache: it is fsync'd at
// commits (synchronous=NORMAL, WAL's durable-enough setting), and damage is
// an error (kCorrupt), never answered by deleting the file.
//
// Not thread-safe: one store per thread (each opens its own connection).
#ifndef WHITTLE_FLEET_SQLITE_STORE_H_
#define WHITTLE_FLEET_SQLITE_STORE_H_

#include <functional>
#include <memory>
#include <string>

#include "fleet/fleet_store.h"

struct sqlite3;

namespace whittle::fleet {

/// The schema this whittle writes; a file with a higher schema_version is refused.
inline constexpr int kSqliteFleetSchemaVersion = 1;

class SqliteFleetStore final : public FleetStore {
 public:
  /// Opens (creating it when missing) the SQLite file |path|; Migrate()
  /// must run before anything else. |now| returns the Unix time in seconds
  /// (tests replace the clock to expire leases without waiting).
  static Result<std::unique_ptr<SqliteFleetStore>> Open(const std::string& path, int busy_timeout_ms = 30000,
                                                        std::function<int64_t()> now = nullptr);
  ~SqliteFleetStore() override;
  SqliteFleetStore(const SqliteFleetStore&) = delete;
  SqliteFleetStore& operator=(const SqliteFleetStore&) = delete;

  Status Migrate() override;
  Status Enqueue(const std::vector<WorkItem>& items) override;
  Status Requeue(const std::vector<WorkItem>& items) override;
  Result<std::optional<WorkItem>> Claim(const ClaimOptions& options) override;
  Result<OtherClaims> ClaimsOfOthers(const ClaimOptions& options) override;
  Result<bool> HasImage(const std::string& digest) override;
  Status Complete(const WorkItem& item, const ImageRow& row) override;
  Status CompleteStored(const WorkItem& item, const std::string& digest,
                        const std::vector<std::string>& tags) override;
  Status Fail(const WorkItem& item, const std::string& error) override;
  Result<std::vector<ImageRow>> Images() override;
  Result<std::vector<std::pair<WorkItem, std::string>>> Failures() override;

  /// The schema version stored in the file (0 before the first Migrate).
  Result<int> SchemaVersion();

 private:
  SqliteFleetStore(std::string path, std::function<int64_t()> now);
  Status Exec(const char* sql);
  Status SqlError(const char* what) const;
  // Runs |body| inside BEGIN IMMEDIATE ... COMMIT, rolled back on error.
  Status InWriteTransaction(const std::function<Status()>& body);

  std::string path_;
  std::function<int64_t()> now_;
  sqlite3* db_ = nullptr;
};

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_SQLITE_STORE_H_
