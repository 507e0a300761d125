// BackgroundCapture: the member bodies a layer's capture rules want, read on
// a thread of its own through a second reader of the same layer, so the scan
// of a big layer does not stop at every package database and binary to read
// it (scan/body_capture.h).
//
//   scanner: Next ─ wanted? ─ Add(entry, data offset) ─ (data skipped) ─ Next ... Finish()
//                                │ queue, tar order                                 │ helps, joins
//   thread:                      └─> Skip to the data ─ rule's extract ─> result of the task
//
// Only for layers whose stream has positional access (ByteSource::OpenAt: an
// uncompressed layer in a local file, not verified): there the scanner seeks
// over file data, and a body it stopped to read was most of its work. The
// thread runs at nice +10, on the cores the scan's workers leave idle. A
// Debian base layer lists its package databases last (var/lib/dpkg/info), so
// many bodies are queued when the scanner reaches the end: Finish() then
// reads them too, with a second reader, both threads taking the next task.
// The outcome is what capturing in the scan gives: the same bodies in tar
// order, the same warnings in the same order, and a failure to read a body
// is fatal.
//
// Deferred (ScanOptions::defer_capture): no thread, and Finish() is not
// called. The scan ends with the queue of body offsets, kept in the
// LayerScan (deferred_bodies); whoever needs the bodies calls
// ReadDeferred() later, on a thread of its choosing (explore: after its
// first frame, on the owners' thread).
#ifndef WHITTLE_SCAN_BACKGROUND_CAPTURE_H_
#define WHITTLE_SCAN_BACKGROUND_CAPTURE_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "io/byte_source.h"
#include "scan/body_capture.h"
#include "util/status.h"

namespace whittle {

class BackgroundCapture {
 public:
  /// Bodies queued on any BackgroundCapture so far, for tests.
  static size_t QueuedForTest();

  /// Starts the thread, reading through stream.OpenAt(); nullptr when
  /// |stream| has no positional access. |rules| must outlive this object.
  static std::unique_ptr<BackgroundCapture> Start(const ByteSource& stream, const CaptureRules& rules);
  /// For ScanOptions::defer_capture: queues the bodies and reads none of
  /// them until ReadDeferred(), on no thread of its own; nullptr when
  /// |stream| has no positional access. Its reader (stream.OpenAt) holds
  /// the file itself: |stream| may end before the bodies are read.
  static std::unique_ptr<BackgroundCapture> Deferred(const ByteSource& stream, const CaptureRules& rules);
  /// Stops without finishing the queue (the scan failed) and joins.
  ~BackgroundCapture();
  BackgroundCapture(const BackgroundCapture&) = delete;
  BackgroundCapture& operator=(const BackgroundCapture&) = delete;

  /// Queues the body of member |entry|, which rule |rule| wants, whose data
  /// starts at |data_offset| of the stream. Offsets must not decrease.
  void Add(uint32_t entry, int rule, uint64_t data_offset, const CaptureCandidate& c);
  /// Waits until every queued body is read, then appends the bodies to
  /// |captured| and the rules' complaints to |warnings|, both in tar order.
  /// Returns the first failure to read a body.
  Status Finish(std::vector<CapturedBody>* captured, std::vector<std::string>* warnings);

  // A deferred capture (Deferred()), after the scan:
  /// Whether a body that rule |rule| wants is queued.
  bool Queued(int rule) const;
  /// Reads every queued body on the calling thread, the first time it is
  /// called (later calls return the same status); then bodies() and
  /// warnings() hold what Finish() would append, in tar order. Returns the
  /// first failure to read a body (bodies() then stops before it).
  Status ReadDeferred();
  bool read() const { return read_; }
  const Status& read_status() const { return read_status_; }
  const std::vector<CapturedBody>& bodies() const { return bodies_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  struct Task {
    uint32_t entry;
    int rule;
    uint64_t data_offset;
    std::string path;
    EntryKind kind;
    uint32_t mode;
    uint64_t stored_size;
    // The outcome, written by the thread that took the task.
    std::vector<CapturedBody> captured;  // at most one
    std::vector<std::string> warnings;   // at most one
    Status error;
  };
  BackgroundCapture(const ByteSource& stream, std::unique_ptr<ByteSource> reader, const CaptureRules& rules);
  // Takes tasks until none is queued (or, unless |until_done|, until told
  // to stop waiting for more); each taking thread reads through |reader|.
  void Work(ByteSource* reader, bool until_done);
  void Read(ByteSource* reader, Task* t);
  // Moves the done tasks' bodies and complaints out, in tar order; returns
  // the first task's failure (stopping there).
  Status TakeOutcomes(std::vector<CapturedBody>* captured, std::vector<std::string>* warnings);

  const ByteSource& stream_;             // not used by a deferred capture
  std::unique_ptr<ByteSource> reader_;  // the thread's own (a deferred capture's only)
  const CaptureRules& rules_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Task> tasks_;   // guarded by mu_ (a task's outcome: by the thread that took it)
  size_t next_ = 0;          // guarded by mu_: the first task not taken
  bool finishing_ = false;   // guarded by mu_: no more tasks will come
  std::atomic<bool> stopping_{false};  // drop what is queued (the scan failed)
  std::thread thread_;
  // A deferred capture's outcome, written once by ReadDeferred().
  bool read_ = false;
  Status read_status_;
  std::vector<CapturedBody> bodies_;
  std::vector<std::string> warnings_;
};

}  // namespace whittle

#endif  // WHITTLE_SCAN_BACKGROUND_CAPTURE_H_
