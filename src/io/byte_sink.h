// ByteSink: the writing half of io/, the mirror of ByteSource. Writers stack
// the same way readers do: tar bytes -> (hash) -> compressor (compress.h) ->
// (hash) -> file. A sink is written, then closed once; Close() flushes
// whatever the sink buffered into the next one (it does not close that one).
#ifndef WHITTLE_IO_BYTE_SINK_H_
#define WHITTLE_IO_BYTE_SINK_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "util/status.h"

namespace whittle {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  /// Writes all |n| bytes. Errors are sticky.
  virtual Status Write(const void* data, size_t n) = 0;
  /// Flushes buffered bytes and trailers; no Write() after it.
  virtual Status Close() = 0;
};

/// Writes to a new file at |path| (created with O_EXCL, mode 0644). Close()
/// closes the descriptor; a sink destroyed without Close() closes it too
/// but leaves the file to the caller (temp directories are removed whole).
/// Write and close errors name |name| ("" = |path|): a file staged on its
/// way to a destination is reported as that destination
/// ("OUT: write failed: No space left on device").
Result<std::unique_ptr<ByteSink>> CreateFileSink(const std::string& path, const std::string& name = "");

/// Counts and hashes (SHA-256) what passes through to |next| (not owned).
class HashingSink : public ByteSink {
 public:
  explicit HashingSink(ByteSink* next);
  ~HashingSink() override;
  Status Write(const void* data, size_t n) override;
  /// Closes nothing below: only finishes the digest.
  Status Close() override;
  /// "sha256:<hex>", valid after Close().
  const std::string& digest() const { return digest_; }
  uint64_t size() const { return size_; }

 private:
  ByteSink* next_;
  void* ctx_;  // Sha256*
  uint64_t size_ = 0;
  std::string digest_;
};

/// Collects everything written into a string (tests, small JSON blobs).
class StringSink : public ByteSink {
 public:
  Status Write(const void* data, size_t n) override {
    out_.append(static_cast<const char*>(data), n);
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

}  // namespace whittle

#endif  // WHITTLE_IO_BYTE_SINK_H_
