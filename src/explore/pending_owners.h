// PendingOwners: explore's owner column (which package owns each entry),
// resolved on a thread of its own that starts only when the caller says so.
//
// Reading every package database of a big image and joining it to the
// entries (PackageAttribution) costs about as much CPU as building the tree
// and the fates together. explore's first screen needs neither, so the
// owners are started after it is drawn: on a small machine (2 cores) a
// third busy thread would otherwise slow the tree and the fates down. Nor
// does it need the databases' bodies: in an uncompressed local layer the
// scan only queues their offsets (ScanOptions::defer_capture), and the
// thread reads them first.
//
//   scan ──> tree + fates ──> first frame ──> Start() ──> [owners thread: bodies, join]
//                                                            │ ready
//   key loop: get() == nullptr ("packages..." in the title) ─┴─> the column
//
// Not a general future: one producer (the thread), readers on the UI thread
// only through get(), which is null until the value is complete.
#ifndef WHITTLE_EXPLORE_PENDING_OWNERS_H_
#define WHITTLE_EXPLORE_PENDING_OWNERS_H_

#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "scan/body_capture.h"
#include "scan/layer_scan.h"
#include "sources/package_attribution.h"

namespace whittle {

class PendingOwners {
 public:
  /// Cheap: looks only at which bodies the scan captured or queued. |scan|
  /// and |rules| (the rules the scan ran with) must outlive this object.
  /// |before|, when given, runs first on the thread: it reads the bodies a
  /// ScanOptions::defer_capture scan queued (ReadDeferredBodies).
  PendingOwners(const ImageScan& scan, const CaptureRules& rules, std::function<void()> before = {});
  /// Joins the thread if it was started (after it finished its work).
  ~PendingOwners();
  PendingOwners(const PendingOwners&) = delete;
  PendingOwners& operator=(const PendingOwners&) = delete;

  /// Starts resolving on a thread at a lower priority (nice +10 on Linux:
  /// keys stay instant while it runs). Later calls do nothing.
  void Start();
  /// Blocks until the owners are ready (Start() first). For tests.
  void Wait();

  /// The owners once resolved; nullptr before (not started, or running).
  const PackageAttribution* get() const { return ready_.load(std::memory_order_acquire) ? value_.get() : nullptr; }
  /// PackageAttribution::AnyDatabase(): what any_database() will be, known
  /// up front, so the column and "packages..." show from the first frame.
  bool has_database() const { return has_database_; }
  bool started() const { return started_; }

 private:
  const ImageScan& scan_;
  const CaptureRules& rules_;
  std::function<void()> before_;
  bool has_database_ = false;
  bool started_ = false;
  std::unique_ptr<PackageAttribution> value_;  // written once, before ready_
  std::atomic<bool> ready_{false};
  std::thread thread_;
};

}  // namespace whittle

#endif  // WHITTLE_EXPLORE_PENDING_OWNERS_H_
