// ScanLoop: one `whittle scan` worker. It queues its references, then works
// the shared queue until nothing is left, whoever queued it:
//
//   Migrate, Enqueue(items), Requeue(items)          (a rerun is a new round)
//   threads, each with its own store connection and layer cache:
//     Claim ─> wait for a slot of the item's registry (--jobs per registry)
//           ─> RegistryManifest::Fetch(REF)          the manifest only
//           ─> HasImage(digest)? ─ yes ─> CompleteStored (tag merged)  "skipped"
//           ─> RegistryManifest::Open                the config
//           ─> wait until no other thread reads one of its layers (LayerGate)
//           ─> ScanImage through the layer cache, Flush ─> AnalyzeImage
//           ─> Complete(item, row)                                     "scanned"
//        any error ─> Fail(item, message)                              "failed"
//     until nothing is pending and no other worker holds a claim: while
//     one does (SQLite), wait (looking each second) for its lease to end,
//     then claim it, so a dead worker's images are done in this run.
//
// Layers read once: the layer cache (keyed by blob digest) answers a layer
// any earlier image of any worker has read; within one process the
// LayerGate makes an image whose layers another thread is reading at that
// moment wait for it, rather than read them too. (Processes that share
// only the cache file can both miss on a layer they start at the same
// moment; see docs/scale.md.)
#ifndef WHITTLE_FLEET_SCAN_LOOP_H_
#define WHITTLE_FLEET_SCAN_LOOP_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "fleet/fleet_store.h"
#include "image/reference.h"
#include "util/status.h"

namespace whittle::fleet {

struct ScanLoopOptions {
  std::string db;               // OpenFleetStore's argument
  std::vector<WorkItem> items;  // this worker's references (after --shard)
  unsigned jobs = 4;            // images in flight per registry host
  int lease_seconds = 900;
  std::string worker;           // claim owner; "" = HOST:PID
  RegistryOptions registry;
  std::string platform;
  /// The layer cache's directory ("" = no cache) and size bound.
  std::string cache_dir;
  uint64_t cache_max_bytes = 0;
  /// One line per image ("scanned", "skipped", "failed"), from any thread,
  /// serialised by the loop.
  std::function<void(const std::string& line)> progress;
};

struct ScanLoopResult {
  size_t scanned = 0;  // images analysed and stored
  size_t skipped = 0;  // digest already stored: tag merged only
  size_t failed = 0;
  size_t layers = 0;         // layers of the scanned images
  size_t layers_cached = 0;  // of those, answered by the layer cache
  /// reference -> error, of the items this worker failed, by reference.
  std::vector<std::pair<std::string, std::string>> failures;
};

/// Runs the loop. Errors are a bad --platform (kUsage) and the store's
/// (cannot open, migrate, enqueue, claim): kUsage/kIo/kCorrupt/kUnsupported;
/// an image's failure is not an error (it is recorded and counted).
Result<ScanLoopResult> RunScanLoop(const ScanLoopOptions& options);

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_SCAN_LOOP_H_
