// FleetStore: where `whittle scan` (issue 16) keeps its results and its
// work queue. One row per image (digest, tags, sizes, reclaimable bytes,
// top findings) and one per layer; the queue of references to scan, which
// many workers share.
//
//   OpenFleetStore("fleet.sqlite")          SQLite file (the default, one machine)
//   OpenFleetStore("postgres://u@h:p/db")   PostgreSQL (the shared store of many workers)
//
// Work queue, as a worker sees it:
//
//   Enqueue(refs) ─> Claim() ─> scan the image ─> Complete(item, row)
//                        │                    └──> Fail(item, error)
//                        └─ nullopt: nothing pending ─> OtherClaims()
//                             none: the worker is done
//                             some (SQLite): wait for the first lease to end, Claim() again
//
// A claimed item that is neither completed nor failed (its worker was
// killed) becomes claimable again: PostgreSQL holds the claim as a row lock
// taken with `SELECT … FOR UPDATE SKIP LOCKED` in a transaction that
// Complete/Fail commit, so a dead worker's connection drop releases it at
// once; SQLite, which cannot hold a write transaction across a scan,
// records the claim with a lease (ClaimOptions::lease_seconds) that
// expires. Either way an item is completed at most once and an image row is
// keyed by its digest, so a rerun or a re-claim leaves no duplicate.
//
// Schema versions: Migrate() applies the numbered migrations the store has
// not seen (a schema_version table) in one transaction each; a store newer
// than this whittle is refused (kUnsupported), never misread.
//
// Not thread-safe: one FleetStore per worker thread.
#ifndef WHITTLE_FLEET_FLEET_STORE_H_
#define WHITTLE_FLEET_FLEET_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/status.h"

namespace whittle::fleet {

/// One finding of `explain` on an image, as the fleet table keeps it.
struct FindingRow {
  std::string id;     // "toolchain", "caches", ... (explain/finding.h)
  std::string lever;  // "multi-stage", ... (LeverName)
  std::string message;
  uint64_t bytes = 0;  // the bytes the fix saves, as explain measures them
};

/// One layer, as stored once however many images share it.
struct LayerRow {
  std::string digest;   // the blob digest named by the manifest
  std::string diff_id;  // the uncompressed tar's digest (the config's rootfs)
  uint64_t size = 0;       // uncompressed tar bytes
  uint64_t pull_size = 0;  // blob bytes
  uint64_t files = 0;      // entries in the tar
};

/// One image.
struct ImageRow {
  std::string repository;  // "HOST/REPO"
  std::string digest;      // the manifest's digest (the key)
  std::vector<std::string> tags;  // tag names ("v1"), sorted; Complete() merges, never drops
  uint64_t size = 0;         // the layers' uncompressed bytes
  uint64_t pull_size = 0;    // manifest + config + layer blobs
  uint64_t reclaimable = 0;  // bytes later layers delete or overwrite (waste)
  std::vector<FindingRow> findings;  // the top findings, bytes descending
  std::vector<LayerRow> layers;      // bottom layer first
};

/// One reference to scan.
struct WorkItem {
  int64_t id = 0;          // the store's key; 0 before Enqueue
  std::string reference;   // "HOST/REPO:TAG" or "HOST/REPO@DIGEST", as docker:// takes it
  std::string repository;  // "HOST/REPO": what --shard hashes
};

struct ClaimOptions {
  std::string worker;       // a name for the claim ("host:pid"), for the record
  int lease_seconds = 900;  // SQLite: after this a claim is taken as dead
};

/// Claims other workers hold that Claim() would take once their leases end.
struct OtherClaims {
  size_t count = 0;
  int64_t seconds_left = 0;  // until the first of their leases ends (0: ended)
};

class FleetStore {
 public:
  virtual ~FleetStore() = default;

  /// Brings the schema to this whittle's version. Idempotent; safe when
  /// several workers start at once.
  virtual Status Migrate() = 0;

  /// Queues |items|; a reference already queued (pending, claimed, done or
  /// failed) is left as it is, so every worker may enqueue the same list.
  virtual Status Enqueue(const std::vector<WorkItem>& items) = 0;

  /// Starts a new round for |items| (by reference; ids are ignored): those
  /// done or failed become pending again, claimed ones stay with their
  /// worker, unknown ones are ignored. A rerun of `whittle scan` calls it
  /// after Enqueue, so that a tag moved to a new digest is seen and a failure
  /// is retried; an image already stored is then skipped by HasImage (after
  /// its manifest request), so a worker that starts late and requeues what
  /// another just finished costs a request, never a duplicate.
  virtual Status Requeue(const std::vector<WorkItem>& items) = 0;

  /// Claims one pending item, or one whose claim died (see above); nullopt
  /// when there is none.
  virtual Result<std::optional<WorkItem>> Claim(const ClaimOptions& options) = 0;

  /// When Claim() found nothing: the claims of workers other than
  /// |options.worker| (a worker's own claims are its live threads') that
  /// Claim() will take when their leases end, so that a worker finishes a
  /// dead one's images instead of leaving them to the next run. SQLite:
  /// the claimed items of other workers and when the first lease ends.
  /// PostgreSQL: none, always (a dead worker's claims are free the moment
  /// its connection drops; a live one finishes its own).
  virtual Result<OtherClaims> ClaimsOfOthers(const ClaimOptions& options) = 0;

  /// True when an image with |digest| is stored already (a rerun skips it,
  /// and only adds the item's tag).
  virtual Result<bool> HasImage(const std::string& digest) = 0;

  /// Stores |row| and its layers (a row with the same digest gets its tags
  /// merged, the rest replaced; layers are shared by digest) and marks
  /// |item| done, in one transaction.
  virtual Status Complete(const WorkItem& item, const ImageRow& row) = 0;

  /// Marks |item| done without a scan, for an image already stored under
  /// |digest| (HasImage was true): |tags| are merged into its row, and
  /// nothing else of the row changes. One transaction (which, like
  /// Complete and Fail, ends the claim).
  virtual Status CompleteStored(const WorkItem& item, const std::string& digest,
                                const std::vector<std::string>& tags) = 0;

  /// Marks |item| failed with a one-line |error|; it is not claimed again.
  virtual Status Fail(const WorkItem& item, const std::string& error) = 0;

  /// Every stored image with its layers and findings, by digest.
  virtual Result<std::vector<ImageRow>> Images() = 0;

  /// Items that failed, with their errors, by reference.
  virtual Result<std::vector<std::pair<WorkItem, std::string>>> Failures() = 0;
};

/// "postgres://…" or "postgresql://…" is PostgreSQL; anything else is the
/// path of a SQLite file (created when missing).
Result<std::unique_ptr<FleetStore>> OpenFleetStore(const std::string& where);

/// The PostgreSQL store at |url| (fleet/pg_store.h, which declares it too;
/// libpq is loaded on first use, kUnsupported when it is missing).
/// OpenFleetStore calls it for postgres:// URLs.
Result<std::unique_ptr<FleetStore>> OpenPgFleetStore(const std::string& url);

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_FLEET_STORE_H_
