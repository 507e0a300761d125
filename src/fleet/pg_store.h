// The PostgreSQL FleetStore (fleet_store.h): the shared store and work queue
// of many `whittle scan` workers, reached through libpq (loaded on first
// use, fleet/pq_library.h).
//
// Tables (schema version 1; Migrate() creates them):
//
//   schema_version (version PK, applied_at)      one row per applied migration
//   images       (digest PK, repository, tags text[] sorted, size, pull_size,
//                 reclaimable, scanned_at)
//   layers       (digest PK, diff_id, size, pull_size, files)  once per digest
//   image_layers (image_digest, position, layer_digest)        bottom layer = 0
//   findings     (image_digest, position, id, lever, message, bytes)
//   work         (id bigserial PK, reference UNIQUE, repository, state
//                 pending|done|failed, worker, error, claimed_at, finished_at)
//
// A claim is a row lock, not a state: Claim() opens a transaction and takes
// the first pending row with `SELECT … FOR UPDATE SKIP LOCKED`, and
// Complete()/Fail() write their rows and COMMIT it. Until then other workers
// skip that row; if the worker dies its connection drops, the server rolls
// the transaction back and the row is pending, unlocked, at once. A worker
// that hangs with its connection open keeps its claim (the server's TCP
// keepalives, set per session, end a connection whose host is gone).
//
// Every statement is parameterised (PQexecParams); values never enter SQL
// text. Lists travel as one JSON parameter, expanded by the server
// (jsonb_array_elements), so an image is a fixed number of statements
// whatever its layer count. Layers are inserted in digest order, so two
// workers storing images that share layers lock them in the same order.
#ifndef WHITTLE_FLEET_PG_STORE_H_
#define WHITTLE_FLEET_PG_STORE_H_

#include <memory>
#include <string>

#include "fleet/fleet_store.h"
#include "util/status.h"

namespace whittle::fleet {

/// The schema version this whittle writes; a store at a higher one is refused.
inline constexpr int kPgSchemaVersion = 1;

/// Connects to |url| (libpq's URI: "postgres[ql]://USER[:PASSWORD]@HOST[:PORT]/DB[?PARAMS]";
/// PGPASSWORD, ~/.pgpass and the other libpq variables apply). Does not
/// migrate. Fails with kIo and the server's or libpq's one-line reason when
/// the connection cannot be made, kUnsupported when libpq.so.5 is missing;
/// the URL's password never appears in an error.
Result<std::unique_ptr<FleetStore>> OpenPgFleetStore(const std::string& url);

/// |text| with |url|'s password, as written and percent-decoded, replaced by
/// "***" (the URL itself shown through it reads "postgres://u:***@h/db").
std::string RedactPassword(const std::string& url, std::string text);

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_PG_STORE_H_
