#include "fleet/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "cache/sqlite_stmt.h"
#include "util/strings.h"

namespace whittle::fleet {
namespace {

// The numbered migrations, in order; migration N brings the schema from
// version N-1 to N. Never edit one that has shipped: append another.
struct Migration {
  int version;
  const char* sql;
};
constexpr Migration kMigrations[] = {
    {1,
     "CREATE TABLE work("
     "  id INTEGER PRIMARY KEY,"
     "  reference TEXT NOT NULL UNIQUE,"
     "  repository TEXT NOT NULL,"
     "  state TEXT NOT NULL DEFAULT 'pending',"  // pending | claimed | done | failed
     "  worker TEXT,"
     "  lease_until INTEGER,"
     "  error TEXT);"
     "CREATE INDEX work_by_state ON work(state, lease_until);"
     "CREATE TABLE images("
     "  digest TEXT PRIMARY KEY,"
     "  repository TEXT NOT NULL,"
     "  size INTEGER NOT NULL,"
     "  pull_size INTEGER NOT NULL,"
     "  reclaimable INTEGER NOT NULL);"
     "CREATE TABLE image_tags("
     "  digest TEXT NOT NULL,"
     "  tag TEXT NOT NULL,"
     "  PRIMARY KEY(digest, tag));"
     "CREATE TABLE layers("
     "  digest TEXT PRIMARY KEY,"
     "  diff_id TEXT NOT NULL,"
     "  size INTEGER NOT NULL,"
     "  pull_size INTEGER NOT NULL,"
     "  files INTEGER NOT NULL);"
     "CREATE TABLE image_layers("
     "  image TEXT NOT NULL,"
     "  position INTEGER NOT NULL,"
     "  layer TEXT NOT NULL,"
     "  PRIMARY KEY(image, position));"
     "CREATE INDEX image_layers_by_layer ON image_layers(layer);"
     "CREATE TABLE findings("
     "  image TEXT NOT NULL,"
     "  rank INTEGER NOT NULL,"
     "  id TEXT NOT NULL,"
     "  lever TEXT NOT NULL,"
     "  message TEXT NOT NULL,"
     "  bytes INTEGER NOT NULL,"
     "  PRIMARY KEY(image, rank));"},
};
static_assert(std::size(kMigrations) == kSqliteFleetSchemaVersion, "one migration per schema version");

int64_t WallClockSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// SQLite stores INTEGER as signed 64-bit; our sizes fit (< 2^63).
int64_t I64(uint64_t v) { return static_cast<int64_t>(std::min<uint64_t>(v, INT64_MAX)); }
uint64_t U64(int64_t v) { return v < 0 ? 0 : static_cast<uint64_t>(v); }

}  // namespace

SqliteFleetStore::SqliteFleetStore(std::string path, std::function<int64_t()> now)
    : path_(std::move(path)), now_(now ? std::move(now) : WallClockSeconds) {}

SqliteFleetStore::~SqliteFleetStore() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Status SqliteFleetStore::SqlError(const char* what) const {
  const int rc = db_ != nullptr ? sqlite3_extended_errcode(db_) : SQLITE_ERROR;
  const char* msg = db_ != nullptr ? sqlite3_errmsg(db_) : "not open";
  return Error(IsSqliteDamage(rc) ? Errc::kCorrupt : Errc::kIo, StrFormat("%s: %s: %s", path_.c_str(), what, msg));
}

Status SqliteFleetStore::Exec(const char* sql) {
  if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) return SqlError(sql);
  return Status::Ok();
}

Status SqliteFleetStore::InWriteTransaction(const std::function<Status()>& body) {
  RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status st = body();
  if (st.ok()) st = Exec("COMMIT");
  if (!st.ok()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  return st;
}

Result<std::unique_ptr<SqliteFleetStore>> SqliteFleetStore::Open(const std::string& path, int busy_timeout_ms,
                                                                 std::function<int64_t()> now) {
  std::unique_ptr<SqliteFleetStore> store(new SqliteFleetStore(path, std::move(now)));
  if (sqlite3_open_v2(path.c_str(), &store->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    return store->SqlError("open");
  }
  sqlite3_busy_timeout(store->db_, busy_timeout_ms);
  sqlite3_db_config(store->db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  RETURN_IF_ERROR(store->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(store->Exec("PRAGMA synchronous=NORMAL"));
  return store;
}

Result<int> SqliteFleetStore::SchemaVersion() {
  {
    SqliteStmt s(db_, "SELECT COUNT(*) FROM sqlite_master WHERE type='table' AND name='schema_version'");
    if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("read the schema version");
    if (s.Int(0) == 0) return 0;
  }
  SqliteStmt s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  if (!s.prepared() || s.Step() != SQLITE_ROW) return SqlError("read the schema version");
  return static_cast<int>(s.Int(0));
}

Status SqliteFleetStore::Migrate() {
  ASSIGN_OR_RETURN(int version, SchemaVersion());
  auto too_new = [this](int v) {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: fleet store schema version %d is newer than this whittle's (%d): use a newer whittle",
                           path_.c_str(), v, kSqliteFleetSchemaVersion));
  };
  if (version > kSqliteFleetSchemaVersion) return too_new(version);
  for (const Migration& m : kMigrations) {
    if (m.version <= version) continue;
    // Under the write lock, read again: another worker may have just
    // applied it.
    Status st = InWriteTransaction([&]() -> Status {
      RETURN_IF_ERROR(Exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)"));
      ASSIGN_OR_RETURN(int now_version, SchemaVersion());
      if (now_version > kSqliteFleetSchemaVersion) return too_new(now_version);
      if (now_version >= m.version) return Status::Ok();
      RETURN_IF_ERROR(Exec(m.sql));
      SqliteStmt s(db_, "INSERT INTO schema_version(version) VALUES(?1)");
      if (!s.prepared()) return SqlError("record the schema version");
      s.BindInt(1, m.version);
      if (s.Step() != SQLITE_DONE) return SqlError("record the schema version");
      return Status::Ok();
    });
    RETURN_IF_ERROR(st);
  }
  return Status::Ok();
}

Status SqliteFleetStore::Enqueue(const std::vector<WorkItem>& items) {
  return InWriteTransaction([&]() -> Status {
    SqliteStmt s(db_, "INSERT OR IGNORE INTO work(reference, repository) VALUES(?1, ?2)");
    if (!s.prepared()) return SqlError("enqueue");
    for (const WorkItem& item : items) {
      s.BindText(1, item.reference);
      s.BindText(2, item.repository);
      if (s.Step() != SQLITE_DONE) return SqlError("enqueue");
      s.Reset();
    }
    return Status::Ok();
  });
}

Status SqliteFleetStore::Requeue(const std::vector<WorkItem>& items) {
  return InWriteTransaction([&]() -> Status {
    SqliteStmt s(db_,
                 "UPDATE work SET state='pending', worker=NULL, lease_until=NULL, error=NULL "
                 "WHERE reference=?1 AND state IN ('done', 'failed')");
    if (!s.prepared()) return SqlError("requeue");
    for (const WorkItem& item : items) {
      s.BindText(1, item.reference);
      if (s.Step() != SQLITE_DONE) return SqlError("requeue");
      s.Reset();
    }
    return Status::Ok();
  });
}

Result<std::optional<WorkItem>> SqliteFleetStore::Claim(const ClaimOptions& options) {
  std::optional<WorkItem> claimed;
  const int64_t now = now_();
  Status st = InWriteTransaction([&]() -> Status {
    SqliteStmt s(db_,
                 "SELECT id, reference, repository FROM work "
                 "WHERE state='pending' OR (state='claimed' AND lease_until<=?1) ORDER BY id LIMIT 1");
    if (!s.prepared()) return SqlError("claim");
    s.BindInt(1, now);
    int rc = s.Step();
    if (rc == SQLITE_DONE) return Status::Ok();
    if (rc != SQLITE_ROW) return SqlError("claim");
    WorkItem item;
    item.id = s.Int(0);
    item.reference = s.Text(1);
    item.repository = s.Text(2);
    SqliteStmt u(db_, "UPDATE work SET state='claimed', worker=?1, lease_until=?2 WHERE id=?3");
    if (!u.prepared()) return SqlError("claim");
    u.BindText(1, options.worker);
    u.BindInt(2, now + std::max(options.lease_seconds, 1));
    u.BindInt(3, item.id);
    if (u.Step() != SQLITE_DONE) return SqlError("claim");
    claimed = std::move(item);
    return Status::Ok();
  });
  RETURN_IF_ERROR(st);
  return claimed;
}

Result<OtherClaims> SqliteFleetStore::ClaimsOfOthers(const ClaimOptions& options) {
  SqliteStmt s(db_, "SELECT COUNT(*), MIN(lease_until) FROM work WHERE state='claimed' AND worker<>?1");
  if (!s.prepared()) return SqlError("look up claims");
  s.BindText(1, options.worker);
  if (s.Step() != SQLITE_ROW) return SqlError("look up claims");
  OtherClaims others;
  others.count = static_cast<size_t>(s.Int(0));
  if (others.count > 0) others.seconds_left = std::max<int64_t>(0, s.Int(1) - now_());
  return others;
}

Result<bool> SqliteFleetStore::HasImage(const std::string& digest) {
  SqliteStmt s(db_, "SELECT 1 FROM images WHERE digest=?1");
  if (!s.prepared()) return SqlError("look up an image");
  s.BindText(1, digest);
  int rc = s.Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqlError("look up an image");
}

Status SqliteFleetStore::Complete(const WorkItem& item, const ImageRow& row) {
  return InWriteTransaction([&]() -> Status {
    {
      SqliteStmt s(db_,
                   "INSERT INTO images(digest, repository, size, pull_size, reclaimable) VALUES(?1, ?2, ?3, ?4, ?5) "
                   "ON CONFLICT(digest) DO UPDATE SET repository=excluded.repository, size=excluded.size, "
                   "pull_size=excluded.pull_size, reclaimable=excluded.reclaimable");
      if (!s.prepared()) return SqlError("store an image");
      s.BindText(1, row.digest);
      s.BindText(2, row.repository);
      s.BindInt(3, I64(row.size));
      s.BindInt(4, I64(row.pull_size));
      s.BindInt(5, I64(row.reclaimable));
      if (s.Step() != SQLITE_DONE) return SqlError("store an image");
    }
    {
      SqliteStmt s(db_, "INSERT OR IGNORE INTO image_tags(digest, tag) VALUES(?1, ?2)");
      if (!s.prepared()) return SqlError("store a tag");
      for (const std::string& tag : row.tags) {
        s.BindText(1, row.digest);
        s.BindText(2, tag);
        if (s.Step() != SQLITE_DONE) return SqlError("store a tag");
        s.Reset();
      }
    }
    // Layers and findings are replaced: the scan just made is the truth.
    {
      SqliteStmt d1(db_, "DELETE FROM image_layers WHERE image=?1");
      SqliteStmt d2(db_, "DELETE FROM findings WHERE image=?1");
      if (!d1.prepared() || !d2.prepared()) return SqlError("replace an image's rows");
      d1.BindText(1, row.digest);
      d2.BindText(1, row.digest);
      if (d1.Step() != SQLITE_DONE || d2.Step() != SQLITE_DONE) return SqlError("replace an image's rows");
    }
    {
      SqliteStmt l(db_,
                   "INSERT OR REPLACE INTO layers(digest, diff_id, size, pull_size, files) VALUES(?1, ?2, ?3, ?4, ?5)");
      SqliteStmt il(db_, "INSERT INTO image_layers(image, position, layer) VALUES(?1, ?2, ?3)");
      if (!l.prepared() || !il.prepared()) return SqlError("store a layer");
      for (size_t i = 0; i < row.layers.size(); ++i) {
        const LayerRow& layer = row.layers[i];
        l.BindText(1, layer.digest);
        l.BindText(2, layer.diff_id);
        l.BindInt(3, I64(layer.size));
        l.BindInt(4, I64(layer.pull_size));
        l.BindInt(5, I64(layer.files));
        if (l.Step() != SQLITE_DONE) return SqlError("store a layer");
        l.Reset();
        il.BindText(1, row.digest);
        il.BindInt(2, static_cast<int64_t>(i));
        il.BindText(3, layer.digest);
        if (il.Step() != SQLITE_DONE) return SqlError("store a layer");
        il.Reset();
      }
    }
    {
      SqliteStmt f(db_, "INSERT INTO findings(image, rank, id, lever, message, bytes) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
      if (!f.prepared()) return SqlError("store a finding");
      for (size_t i = 0; i < row.findings.size(); ++i) {
        const FindingRow& finding = row.findings[i];
        f.BindText(1, row.digest);
        f.BindInt(2, static_cast<int64_t>(i));
        f.BindText(3, finding.id);
        f.BindText(4, finding.lever);
        f.BindText(5, finding.message);
        f.BindInt(6, I64(finding.bytes));
        if (f.Step() != SQLITE_DONE) return SqlError("store a finding");
        f.Reset();
      }
    }
    SqliteStmt w(db_, "UPDATE work SET state='done', lease_until=NULL, error=NULL WHERE id=?1");
    if (!w.prepared()) return SqlError("complete an item");
    w.BindInt(1, item.id);
    if (w.Step() != SQLITE_DONE) return SqlError("complete an item");
    return Status::Ok();
  });
}

Status SqliteFleetStore::CompleteStored(const WorkItem& item, const std::string& digest,
                                        const std::vector<std::string>& tags) {
  return InWriteTransaction([&]() -> Status {
    SqliteStmt s(db_, "INSERT OR IGNORE INTO image_tags(digest, tag) SELECT ?1, ?2 WHERE EXISTS "
                      "(SELECT 1 FROM images WHERE digest=?1)");
    if (!s.prepared()) return SqlError("store a tag");
    for (const std::string& tag : tags) {
      s.BindText(1, digest);
      s.BindText(2, tag);
      if (s.Step() != SQLITE_DONE) return SqlError("store a tag");
      s.Reset();
    }
    SqliteStmt w(db_, "UPDATE work SET state='done', lease_until=NULL, error=NULL WHERE id=?1");
    if (!w.prepared()) return SqlError("complete an item");
    w.BindInt(1, item.id);
    if (w.Step() != SQLITE_DONE) return SqlError("complete an item");
    return Status::Ok();
  });
}

Status SqliteFleetStore::Fail(const WorkItem& item, const std::string& error) {
  return InWriteTransaction([&]() -> Status {
    SqliteStmt s(db_, "UPDATE work SET state='failed', lease_until=NULL, error=?1 WHERE id=?2");
    if (!s.prepared()) return SqlError("fail an item");
    s.BindText(1, error);
    s.BindInt(2, item.id);
    if (s.Step() != SQLITE_DONE) return SqlError("fail an item");
    return Status::Ok();
  });
}

Result<std::vector<ImageRow>> SqliteFleetStore::Images() {
  // One read transaction, so the four queries see one state of the file.
  RETURN_IF_ERROR(Exec("BEGIN"));
  auto body = [&]() -> Result<std::vector<ImageRow>> {
    std::vector<ImageRow> rows;
    std::map<std::string, size_t> by_digest;
    {
      SqliteStmt s(db_, "SELECT digest, repository, size, pull_size, reclaimable FROM images ORDER BY digest");
      if (!s.prepared()) return SqlError("read images");
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        ImageRow r;
        r.digest = s.Text(0);
        r.repository = s.Text(1);
        r.size = U64(s.Int(2));
        r.pull_size = U64(s.Int(3));
        r.reclaimable = U64(s.Int(4));
        by_digest[r.digest] = rows.size();
        rows.push_back(std::move(r));
      }
      if (rc != SQLITE_DONE) return SqlError("read images");
    }
    {
      SqliteStmt s(db_, "SELECT digest, tag FROM image_tags ORDER BY digest, tag");
      if (!s.prepared()) return SqlError("read tags");
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        auto it = by_digest.find(s.Text(0));
        if (it != by_digest.end()) rows[it->second].tags.push_back(s.Text(1));
      }
      if (rc != SQLITE_DONE) return SqlError("read tags");
    }
    {
      SqliteStmt s(db_,
                   "SELECT il.image, l.digest, l.diff_id, l.size, l.pull_size, l.files FROM image_layers il "
                   "JOIN layers l ON l.digest=il.layer ORDER BY il.image, il.position");
      if (!s.prepared()) return SqlError("read layers");
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        auto it = by_digest.find(s.Text(0));
        if (it == by_digest.end()) continue;
        LayerRow l;
        l.digest = s.Text(1);
        l.diff_id = s.Text(2);
        l.size = U64(s.Int(3));
        l.pull_size = U64(s.Int(4));
        l.files = U64(s.Int(5));
        rows[it->second].layers.push_back(std::move(l));
      }
      if (rc != SQLITE_DONE) return SqlError("read layers");
    }
    {
      SqliteStmt s(db_, "SELECT image, id, lever, message, bytes FROM findings ORDER BY image, rank");
      if (!s.prepared()) return SqlError("read findings");
      int rc;
      while ((rc = s.Step()) == SQLITE_ROW) {
        auto it = by_digest.find(s.Text(0));
        if (it == by_digest.end()) continue;
        FindingRow f;
        f.id = s.Text(1);
        f.lever = s.Text(2);
        f.message = s.Text(3);
        f.bytes = U64(s.Int(4));
        rows[it->second].findings.push_back(std::move(f));
      }
      if (rc != SQLITE_DONE) return SqlError("read findings");
    }
    return rows;
  };
  auto rows = body();
  sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
  return rows;
}

Result<std::vector<std::pair<WorkItem, std::string>>> SqliteFleetStore::Failures() {
  SqliteStmt s(db_, "SELECT id, reference, repository, COALESCE(error, '') FROM work WHERE state='failed' ORDER BY reference");
  if (!s.prepared()) return SqlError("read failures");
  std::vector<std::pair<WorkItem, std::string>> out;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    WorkItem item;
    item.id = s.Int(0);
    item.reference = s.Text(1);
    item.repository = s.Text(2);
    out.emplace_back(std::move(item), s.Text(3));
  }
  if (rc != SQLITE_DONE) return SqlError("read failures");
  return out;
}

}  // namespace whittle::fleet
