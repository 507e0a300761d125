#include "fleet/pg_store.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fleet/pq_library.h"

namespace whittle::fleet {

namespace {

// pg_advisory_xact_lock's key for Migrate(): the bytes "whittle1" read as a
// big-endian integer, so that another application's advisory locks on the
// same database are unlikely to collide with it.
constexpr int64_t kMigrateLockKey = 0x77686974746c6531;

// The migrations, by version; each runs in one transaction, under the lock.
// Version N is kMigrations[N - 1]. Never edit a released one: add the next.
const std::vector<std::vector<const char*>>& Migrations() {
  static const std::vector<std::vector<const char*>> kMigrations = {
      {
          "CREATE TABLE images ("
          " digest text PRIMARY KEY,"
          " repository text NOT NULL,"
          " tags text[] NOT NULL DEFAULT '{}',"
          " size bigint NOT NULL,"
          " pull_size bigint NOT NULL,"
          " reclaimable bigint NOT NULL,"
          " scanned_at timestamptz NOT NULL DEFAULT now())",
          "CREATE TABLE layers ("
          " digest text PRIMARY KEY,"
          " diff_id text NOT NULL,"
          " size bigint NOT NULL,"
          " pull_size bigint NOT NULL,"
          " files bigint NOT NULL)",
          "CREATE TABLE image_layers ("
          " image_digest text NOT NULL REFERENCES images (digest) ON DELETE CASCADE,"
          " position integer NOT NULL,"
          " layer_digest text NOT NULL REFERENCES layers (digest),"
          " PRIMARY KEY (image_digest, position))",
          // --report's most-shared layers count images per layer.
          "CREATE INDEX image_layers_layer ON image_layers (layer_digest)",
          "CREATE TABLE findings ("
          " image_digest text NOT NULL REFERENCES images (digest) ON DELETE CASCADE,"
          " position integer NOT NULL,"
          " id text NOT NULL,"
          " lever text NOT NULL,"
          " message text NOT NULL,"
          " bytes bigint NOT NULL,"
          " PRIMARY KEY (image_digest, position))",
          "CREATE TABLE work ("
          " id bigserial PRIMARY KEY,"
          " reference text NOT NULL UNIQUE,"
          " repository text NOT NULL,"
          " state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),"
          " worker text,"
          " error text,"
          " claimed_at timestamptz,"
          " finished_at timestamptz)",
          // Claim() walks this in id order, skipping the locked rows: done
          // and failed items are not in it, however many there are.
          "CREATE INDEX work_pending ON work (id) WHERE state = 'pending'",
      },
  };
  return kMigrations;
}

// Deadlock and serialization failures: the transaction may simply be retried.
bool Retryable(const std::string& sqlstate) { return sqlstate == "40P01" || sqlstate == "40001"; }
constexpr int kAttempts = 5;

std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;  // libpq writes "FATAL:  x"
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = 0, lo = 0;
    auto hex = [](char c, int* v) {
      int d = c >= '0' && c <= '9'   ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
      *v = d;
      return d >= 0;
    };
    if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1], &hi) && hex(s[i + 2], &lo)) {
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

void ReplaceAll(std::string* text, const std::string& what, const std::string& with) {
  if (what.empty()) return;
  for (size_t at = text->find(what); at != std::string::npos; at = text->find(what, at + with.size())) {
    text->replace(at, what.size(), with);
  }
}

bool ParseU64(const char* s, uint64_t* out) {
  std::string_view v(s);
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
  return ec == std::errc() && end == v.data() + v.size();
}

// Column values of a result row, for the readers below.
class PgResult {
 public:
  PgResult(const PqLibrary* pq, PGresult* res) : pq_(pq), res_(res) {}
  PgResult(PgResult&& o) noexcept : pq_(o.pq_), res_(std::exchange(o.res_, nullptr)) {}
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;
  ~PgResult() {
    if (res_ != nullptr) pq_->clear(res_);
  }
  int rows() const { return pq_->ntuples(res_); }
  std::string Text(int row, int col) const { return pq_->getvalue(res_, row, col); }
  /// False when the column is not an unsigned decimal (a bug or a store
  /// written by something else).
  bool U64(int row, int col, uint64_t* out) const { return ParseU64(pq_->getvalue(res_, row, col), out); }

 private:
  const PqLibrary* pq_;
  PGresult* res_;
};

class PgStore : public FleetStore {
 public:
  PgStore(const PqLibrary* pq, PGconn* conn, std::string url) : pq_(pq), conn_(conn), url_(std::move(url)) {}
  ~PgStore() override { pq_->finish(conn_); }  // an open claim rolls back with the connection
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  /// Server-side TCP keepalives for this session (see OpenPgFleetStore).
  Status SetKeepalives() {
    return Run(
        "connect",
        "SELECT set_config('tcp_keepalives_idle', '60', false), set_config('tcp_keepalives_interval', '10', false),"
        " set_config('tcp_keepalives_count', '6', false)");
  }

  Status Migrate() override;
  Status Enqueue(const std::vector<WorkItem>& items) override;
  Result<std::optional<WorkItem>> Claim(const ClaimOptions& options) override;
  /// None: a claim is a row lock, released when a dead worker's connection drops.
  Result<OtherClaims> ClaimsOfOthers(const ClaimOptions&) override { return OtherClaims{}; }
  Result<bool> HasImage(const std::string& digest) override;
  Status Requeue(const std::vector<WorkItem>& items) override;
  Status Complete(const WorkItem& item, const ImageRow& row) override;
  Status CompleteStored(const WorkItem& item, const std::string& digest,
                        const std::vector<std::string>& tags) override;
  Status Fail(const WorkItem& item, const std::string& error) override;
  Result<std::vector<ImageRow>> Images() override;
  Result<std::vector<std::pair<WorkItem, std::string>>> Failures() override;

 private:
  /// Runs one statement; on failure the error names the store (password
  /// redacted) and |what|, and sqlstate_ holds the server's SQLSTATE.
  Result<PgResult> Exec(const char* what, const char* sql, const std::vector<std::string>& params = {});
  Status Run(const char* what, const char* sql, const std::vector<std::string>& params = {}) {
    return Exec(what, sql, params).status();
  }
  /// Runs |body| in a transaction, or in a savepoint of the open claim's
  /// transaction (whose row lock must survive a failed body); retries it on
  /// a deadlock or serialization failure.
  Status InTransaction(const char* what, const std::function<Status()>& body);
  Status Bad(Errc code, const std::string& what) const {
    return Error(code, RedactPassword(url_, url_) + ": " + RedactPassword(url_, what));
  }
  Status WriteImage(const ImageRow& row);
  Status FinishItem(const char* what, const WorkItem& item, const char* state, const std::string& error);
  /// Complete, CompleteStored and Fail: |body| in the claim's transaction
  /// (or its own), then the claim's COMMIT.
  Status FinishClaim(const char* what, const WorkItem& item, const std::function<Status()>& body);
  /// After a failed Complete/Fail: if the claim's transaction could not be
  /// brought back to its savepoint (it is aborted), rolls it back, which
  /// returns the item to the queue, rather than leave the store stuck.
  void EndClaimIfAborted() {
    if (claim_ && pq_->transaction_status(conn_) == PQTRANS_INERROR) {
      (void)Run("rollback", "ROLLBACK");
      claim_.reset();
    }
  }

  const PqLibrary* pq_;
  PGconn* conn_;
  std::string url_;
  std::string sqlstate_;          // of the last failed statement; empty when none
  std::optional<int64_t> claim_;  // the item whose claim transaction is open
  std::string worker_;            // the last Claim()'s worker name
};

Result<PgResult> PgStore::Exec(const char* what, const char* sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  PGresult* res = pq_->exec_params(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                                   nullptr, /*resultFormat=text*/ 0);
  PgResult owned(pq_, res);
  ExecStatusType st = res != nullptr ? pq_->result_status(res) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    sqlstate_.clear();
    return owned;
  }
  const char* state = res != nullptr ? pq_->result_error_field(res, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = res != nullptr ? pq_->result_error_field(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  sqlstate_ = state != nullptr ? state : "";
  // A lost connection took the claim's transaction with it.
  if (pq_->status(conn_) == CONNECTION_BAD) claim_.reset();
  std::string why = primary != nullptr ? primary : pq_->error_message(conn_);
  return Bad(Errc::kIo, std::string(what) + ": " + OneLine(why));
}

Status PgStore::InTransaction(const char* what, const std::function<Status()>& body) {
  const bool nested = claim_.has_value();
  Status status;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    RETURN_IF_ERROR(Run(what, nested ? "SAVEPOINT whittle" : "BEGIN"));
    status = body();
    if (status.ok()) status = Run(what, nested ? "RELEASE SAVEPOINT whittle" : "COMMIT");
    if (status.ok()) return status;
    const bool retry = Retryable(sqlstate_);
    // A dead connection fails this too; the body's error is the one to report.
    (void)Run(what, nested ? "ROLLBACK TO SAVEPOINT whittle" : "ROLLBACK");
    if (!retry) break;
  }
  return status;
}

Status PgStore::Migrate() {
  if (claim_) return Bad(Errc::kInternal, "migrate: a claim is open");
  const auto& migrations = Migrations();
  for (;;) {
    RETURN_IF_ERROR(Run("migrate", "BEGIN"));
    // Workers that start together queue here: the first creates the tables,
    // the others then find them at the latest version. Without the lock two
    // concurrent CREATE TABLE IF NOT EXISTS can both fail on the catalog.
    Status status = Run("migrate", "SELECT pg_advisory_xact_lock($1)", {std::to_string(kMigrateLockKey)});
    if (status.ok()) {
      status = Run("migrate",
                   "CREATE TABLE IF NOT EXISTS schema_version ("
                   " version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    }
    uint64_t version = 0;
    if (status.ok()) {
      Result<PgResult> r = Exec("migrate", "SELECT coalesce(max(version), 0) FROM schema_version");
      status = r.status();
      if (status.ok() && !r->U64(0, 0, &version)) status = Bad(Errc::kCorrupt, "schema_version is not a number");
    }
    if (status.ok() && version > migrations.size()) {
      status = Bad(Errc::kUnsupported, "the store's schema is version " + std::to_string(version) +
                                           ", newer than this whittle's (" + std::to_string(migrations.size()) +
                                           "): use a newer whittle");
    }
    if (status.ok() && version == migrations.size()) return Run("migrate", "COMMIT");
    const std::string next = std::to_string(version + 1);
    if (status.ok()) {
      for (const char* sql : migrations[version]) {
        status = Run(("migrate to version " + next).c_str(), sql);
        if (!status.ok()) break;
      }
    }
    if (status.ok()) status = Run("migrate", "INSERT INTO schema_version (version) VALUES ($1)", {next});
    if (status.ok()) status = Run("migrate", "COMMIT");
    if (!status.ok()) {
      (void)Run("migrate", "ROLLBACK");
      return status;
    }
  }
}

Status PgStore::Enqueue(const std::vector<WorkItem>& items) {
  if (items.empty()) return Status::Ok();
  nlohmann::json list = nlohmann::json::array();
  for (const WorkItem& item : items) list.push_back({item.reference, item.repository});
  const std::string param = list.dump();
  // In list order, so items are claimed in the order they were listed.
  return InTransaction("enqueue", [&] {
    return Run("enqueue",
               "INSERT INTO work (reference, repository)"
               " SELECT x.r->>0, x.r->>1 FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x (r, n)"
               " ORDER BY x.n"
               " ON CONFLICT (reference) DO NOTHING",
               {param});
  });
}

Status PgStore::Requeue(const std::vector<WorkItem>& items) {
  if (items.empty()) return Status::Ok();
  nlohmann::json list = nlohmann::json::array();
  for (const WorkItem& item : items) list.push_back(item.reference);
  // SKIP LOCKED: a row another worker holds is being finished by it (and
  // the claim's transaction sees it pending); waiting for its scan would
  // stall this worker's start.
  return InTransaction("requeue", [&] {
    return Run("requeue",
               "UPDATE work SET state = 'pending', worker = NULL, error = NULL, finished_at = NULL WHERE id IN ("
               "SELECT id FROM work WHERE reference IN (SELECT jsonb_array_elements_text($1::jsonb))"
               " AND state IN ('done', 'failed') FOR UPDATE SKIP LOCKED)",
               {list.dump()});
  });
}

Result<std::optional<WorkItem>> PgStore::Claim(const ClaimOptions& options) {
  if (claim_) {
    return Bad(Errc::kInternal,
               "claim: item " + std::to_string(*claim_) + " is still claimed (Complete or Fail it first)");
  }
  if (worker_ != options.worker) {
    // pg_stat_activity shows which worker a backend serves.
    RETURN_IF_ERROR(Run("claim", "SELECT set_config('application_name', $1, false)",
                        {"whittle scan " + options.worker}));  // the server truncates it
    worker_ = options.worker;
  }
  RETURN_IF_ERROR(Run("claim", "BEGIN"));
  // One round trip: lock the first pending row no one else holds, and
  // record who holds it (visible to others only if Complete/Fail commits).
  Result<PgResult> r = Exec("claim",
                            "UPDATE work SET worker = $1, claimed_at = now() WHERE id = ("
                            "SELECT id FROM work WHERE state = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                            " RETURNING id, reference, repository",
                            {options.worker});
  Status status = r.status();
  std::optional<WorkItem> item;
  if (status.ok() && r->rows() == 1) {
    uint64_t id = 0;
    if (!r->U64(0, 0, &id) || id > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      status = Bad(Errc::kCorrupt, "claim: work id " + r->Text(0, 0) + " is not a positive number");
    } else {
      item = WorkItem{static_cast<int64_t>(id), r->Text(0, 1), r->Text(0, 2)};
    }
  }
  if (!status.ok()) {
    (void)Run("claim", "ROLLBACK");
    return status;
  }
  if (!item) {
    RETURN_IF_ERROR(Run("claim", "COMMIT"));
    return std::optional<WorkItem>();
  }
  claim_ = item->id;  // the transaction stays open: the row lock is the claim
  return item;
}

Result<bool> PgStore::HasImage(const std::string& digest) {
  ASSIGN_OR_RETURN(PgResult r, Exec("has image", "SELECT 1 FROM images WHERE digest = $1", {digest}));
  return r.rows() > 0;
}

Status PgStore::WriteImage(const ImageRow& row) {
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  auto too_big = [&](uint64_t v) { return v > kMax; };
  bool big = too_big(row.size) || too_big(row.pull_size) || too_big(row.reclaimable);
  nlohmann::json tags = row.tags;
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json order = nlohmann::json::array();
  std::vector<const LayerRow*> by_digest;
  for (const LayerRow& l : row.layers) {
    big = big || too_big(l.size) || too_big(l.pull_size) || too_big(l.files);
    order.push_back(l.digest);
    by_digest.push_back(&l);
  }
  // One order for every worker: no deadlock between images sharing layers.
  std::sort(by_digest.begin(), by_digest.end(),
            [](const LayerRow* a, const LayerRow* b) { return a->digest < b->digest; });
  for (const LayerRow* l : by_digest) {
    layers.push_back({{"digest", l->digest},
                      {"diff_id", l->diff_id},
                      {"size", l->size},
                      {"pull_size", l->pull_size},
                      {"files", l->files}});
  }
  nlohmann::json findings = nlohmann::json::array();
  for (const FindingRow& f : row.findings) {
    big = big || too_big(f.bytes);
    findings.push_back({{"id", f.id}, {"lever", f.lever}, {"message", f.message}, {"bytes", f.bytes}});
  }
  if (big) return Bad(Errc::kTooLarge, "complete " + row.digest + ": a size exceeds 2^63-1 bytes");

  RETURN_IF_ERROR(Run("complete: layers",
                      "INSERT INTO layers (digest, diff_id, size, pull_size, files)"
                      " SELECT x.digest, x.diff_id, x.size, x.pull_size, x.files"
                      " FROM jsonb_to_recordset($1::jsonb) AS x (digest text, diff_id text, size bigint,"
                      " pull_size bigint, files bigint)"
                      " ON CONFLICT (digest) DO NOTHING",
                      {layers.dump()}));
  RETURN_IF_ERROR(Run("complete: image",
                      "INSERT INTO images (digest, repository, tags, size, pull_size, reclaimable)"
                      " VALUES ($1, $2,"
                      " ARRAY(SELECT DISTINCT t COLLATE \"C\" FROM jsonb_array_elements_text($3::jsonb) AS t"
                      " ORDER BY 1), $4, $5, $6)"
                      " ON CONFLICT (digest) DO UPDATE SET repository = EXCLUDED.repository,"
                      " tags = ARRAY(SELECT DISTINCT t COLLATE \"C\" FROM unnest(images.tags || EXCLUDED.tags) AS t"
                      " ORDER BY 1),"
                      " size = EXCLUDED.size, pull_size = EXCLUDED.pull_size,"
                      " reclaimable = EXCLUDED.reclaimable, scanned_at = now()",
                      {row.digest, row.repository, tags.dump(), std::to_string(row.size), std::to_string(row.pull_size),
                       std::to_string(row.reclaimable)}));
  RETURN_IF_ERROR(Run("complete: replace",
                      "WITH l AS (DELETE FROM image_layers WHERE image_digest = $1)"
                      " DELETE FROM findings WHERE image_digest = $1",
                      {row.digest}));
  RETURN_IF_ERROR(Run("complete: layers",
                      "INSERT INTO image_layers (image_digest, position, layer_digest)"
                      " SELECT $1, x.n - 1, x.d FROM jsonb_array_elements_text($2::jsonb) WITH ORDINALITY AS x (d, n)",
                      {row.digest, order.dump()}));
  return Run("complete: findings",
             "INSERT INTO findings (image_digest, position, id, lever, message, bytes)"
             " SELECT $1, x.n - 1, x.f->>'id', x.f->>'lever', x.f->>'message', (x.f->>'bytes')::bigint"
             " FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS x (f, n)",
             {row.digest, findings.dump()});
}

Status PgStore::FinishItem(const char* what, const WorkItem& item, const char* state, const std::string& error) {
  ASSIGN_OR_RETURN(PgResult r, Exec(what,
                                    "UPDATE work SET state = $2, error = nullif($3, ''), finished_at = now()"
                                    " WHERE id = $1 RETURNING id",
                                    {std::to_string(item.id), state, error}));
  if (r.rows() == 0) return Bad(Errc::kNotFound, std::string(what) + ": no work item " + std::to_string(item.id));
  return Status::Ok();
}

Status PgStore::FinishClaim(const char* what, const WorkItem& item, const std::function<Status()>& body) {
  if (claim_ && *claim_ != item.id) {
    return Bad(Errc::kInternal, std::string(what) + ": item " + std::to_string(item.id) + " is not the claimed one (" +
                                    std::to_string(*claim_) + ")");
  }
  Status written = InTransaction(what, body);
  if (!written.ok()) {
    EndClaimIfAborted();
    return written;
  }
  if (!claim_) return Status::Ok();
  claim_.reset();  // whatever COMMIT says, the transaction is over
  return Run(what, "COMMIT");
}

Status PgStore::Complete(const WorkItem& item, const ImageRow& row) {
  return FinishClaim("complete", item, [&] {
    RETURN_IF_ERROR(WriteImage(row));
    return FinishItem("complete", item, "done", "");
  });
}

Status PgStore::CompleteStored(const WorkItem& item, const std::string& digest,
                               const std::vector<std::string>& tags) {
  nlohmann::json list = tags;
  return FinishClaim("complete", item, [&] {
    RETURN_IF_ERROR(Run("complete: tags",
                        "UPDATE images SET tags = ARRAY(SELECT DISTINCT t COLLATE \"C\" FROM"
                        " unnest(images.tags || ARRAY(SELECT jsonb_array_elements_text($2::jsonb))) AS t ORDER BY 1)"
                        " WHERE digest = $1",
                        {digest, list.dump()}));
    return FinishItem("complete", item, "done", "");
  });
}

Status PgStore::Fail(const WorkItem& item, const std::string& error) {
  const std::string line = OneLine(error);
  return FinishClaim("fail", item, [&] { return FinishItem("fail", item, "failed", line); });
}

Result<std::vector<ImageRow>> PgStore::Images() {
  std::vector<ImageRow> images;
  auto bad_number = [&](const PgResult& r, int row) {
    return Bad(Errc::kCorrupt, "images: a size of " + r.Text(row, 0) + " is not a number");
  };
  Status status = InTransaction("images", [&]() -> Status {
    images.clear();
    // One snapshot for the three reads (inside a claim: the claim's).
    if (!claim_) RETURN_IF_ERROR(Run("images", "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    ASSIGN_OR_RETURN(PgResult ir, Exec("images",
                                       "SELECT digest, repository, array_to_json(tags)::text, size, pull_size,"
                                       " reclaimable FROM images ORDER BY digest COLLATE \"C\""));
    std::unordered_map<std::string, size_t> index;
    for (int i = 0; i < ir.rows(); ++i) {
      ImageRow row;
      row.digest = ir.Text(i, 0);
      row.repository = ir.Text(i, 1);
      nlohmann::json tags = nlohmann::json::parse(ir.Text(i, 2), nullptr, false);
      if (!tags.is_array()) return Bad(Errc::kCorrupt, "images: the tags of " + row.digest + " are not a list");
      for (const auto& t : tags) {
        if (t.is_string()) row.tags.push_back(t.get<std::string>());
      }
      if (!ir.U64(i, 3, &row.size) || !ir.U64(i, 4, &row.pull_size) || !ir.U64(i, 5, &row.reclaimable)) {
        return bad_number(ir, i);
      }
      index.emplace(row.digest, images.size());
      images.push_back(std::move(row));
    }
    ASSIGN_OR_RETURN(PgResult lr, Exec("images",
                                       "SELECT il.image_digest, l.digest, l.diff_id, l.size, l.pull_size, l.files"
                                       " FROM image_layers il JOIN layers l ON l.digest = il.layer_digest"
                                       " ORDER BY il.image_digest, il.position"));
    for (int i = 0; i < lr.rows(); ++i) {
      auto it = index.find(lr.Text(i, 0));
      if (it == index.end()) continue;  // cannot happen: the foreign key
      LayerRow l;
      l.digest = lr.Text(i, 1);
      l.diff_id = lr.Text(i, 2);
      if (!lr.U64(i, 3, &l.size) || !lr.U64(i, 4, &l.pull_size) || !lr.U64(i, 5, &l.files)) return bad_number(lr, i);
      images[it->second].layers.push_back(std::move(l));
    }
    ASSIGN_OR_RETURN(PgResult fr, Exec("images",
                                       "SELECT image_digest, id, lever, message, bytes FROM findings"
                                       " ORDER BY image_digest, position"));
    for (int i = 0; i < fr.rows(); ++i) {
      auto it = index.find(fr.Text(i, 0));
      if (it == index.end()) continue;
      FindingRow f;
      f.id = fr.Text(i, 1);
      f.lever = fr.Text(i, 2);
      f.message = fr.Text(i, 3);
      if (!fr.U64(i, 4, &f.bytes)) return bad_number(fr, i);
      images[it->second].findings.push_back(std::move(f));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return images;
}

Result<std::vector<std::pair<WorkItem, std::string>>> PgStore::Failures() {
  ASSIGN_OR_RETURN(PgResult r, Exec("failures",
                                    "SELECT id, reference, repository, coalesce(error, '') FROM work"
                                    " WHERE state = 'failed' ORDER BY reference COLLATE \"C\""));
  std::vector<std::pair<WorkItem, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) {
    uint64_t id = 0;
    if (!r.U64(i, 0, &id)) return Bad(Errc::kCorrupt, "failures: work id " + r.Text(i, 0) + " is not a number");
    out.push_back({WorkItem{static_cast<int64_t>(id), r.Text(i, 1), r.Text(i, 2)}, r.Text(i, 3)});
  }
  return out;
}

void IgnoreNotice(void*, const char*) {}  // "relation already exists, skipping" and the like

}  // namespace

std::string RedactPassword(const std::string& url, std::string text) {
  std::vector<std::string> secrets;
  size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    // USER:PASSWORD@ before the host. libpq ends the credentials at the
    // first '@' or '/'; take the last '@' before any '?' instead, so that a
    // password with a stray '/' or '@' is hidden too.
    size_t start = scheme + 3;
    size_t query = url.find('?', start);
    size_t at = url.rfind('@', query == std::string::npos ? std::string::npos : query);
    if (at != std::string::npos && at >= start) {
      size_t colon = url.find(':', start);
      if (colon != std::string::npos && colon < at) secrets.push_back(url.substr(colon + 1, at - colon - 1));
    }
    // ?password=... (and &password=...)
    for (size_t p = query; p != std::string::npos && p < url.size(); p = url.find('&', p + 1)) {
      std::string_view param = std::string_view(url).substr(p + 1);
      if (param.substr(0, 9) == "password=") {
        size_t end = param.find('&');
        secrets.emplace_back(param.substr(9, end == std::string_view::npos ? std::string_view::npos : end - 9));
      }
    }
  }
  for (const std::string& s : std::vector<std::string>(secrets)) secrets.push_back(PercentDecode(s));
  // Longest first, so that a decoded form containing the raw one is replaced whole.
  std::sort(secrets.begin(), secrets.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& s : secrets) ReplaceAll(&text, s, "***");
  return text;
}

Result<std::unique_ptr<FleetStore>> OpenPgFleetStore(const std::string& url) {
  ASSIGN_OR_RETURN(const PqLibrary* pq, LoadPq());
  // The URL is the expanded dbname; its own settings override these defaults.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "whittle scan", url.c_str(), nullptr};
  PGconn* conn = pq->connectdb_params(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return Error(Errc::kIo, RedactPassword(url, url) + ": cannot connect: out of memory");
  if (pq->status(conn) != CONNECTION_OK) {
    std::string why = OneLine(pq->error_message(conn));
    pq->finish(conn);
    return Error(Errc::kIo, RedactPassword(url, url) + ": " + RedactPassword(url, why));
  }
  pq->set_notice_processor(conn, IgnoreNotice, nullptr);
  auto store = std::make_unique<PgStore>(pq, conn, url);
  // A worker whose host vanished holds its claim until the server gives up
  // on the connection: about 2 minutes with these, instead of the kernel's 2 hours.
  RETURN_IF_ERROR(store->SetKeepalives());
  return std::unique_ptr<FleetStore>(std::move(store));
}

}  // namespace whittle::fleet
