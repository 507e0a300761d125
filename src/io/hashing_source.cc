#include "io/hashing_source.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

// The end-of-stream checks shared by both modes. |total| is the byte count,
// |exceeded| means more bytes than |expected_size| were seen.
class Checker {
 public:
  Checker(std::string expected, int64_t expected_size)
      : expected_(std::move(expected)), expected_size_(expected_size) {}

  /// Fails as soon as the content is longer than the manifest says, so a
  /// lying size cannot make us read an unbounded stream.
  Status CheckRunningSize(const std::string& name, uint64_t total) const {
    if (expected_size_ >= 0 && total > static_cast<uint64_t>(expected_size_)) {
      return Error(Errc::kDigestMismatch,
                   StrFormat("%s: size mismatch: manifest says %lld bytes, content is longer",
                             name.c_str(), static_cast<long long>(expected_size_)));
    }
    return Status::Ok();
  }

  Status CheckExpectedFormat(const std::string& name) const {
    if (!expected_.empty() && !IsValidSha256Digest(expected_)) {
      return Error(Errc::kUnsupported,
                   StrFormat("%s: unsupported or malformed digest \"%s\" (want sha256:<64 hex>)",
                             name.c_str(), EscapeForMessage(expected_, 100).c_str()));
    }
    return Status::Ok();
  }

  Status CheckEnd(const std::string& name, uint64_t total, const std::string& digest) const {
    if (expected_size_ >= 0 && total != static_cast<uint64_t>(expected_size_)) {
      return Error(Errc::kDigestMismatch,
                   StrFormat("%s: size mismatch: manifest says %lld bytes, content is %llu bytes",
                             name.c_str(), static_cast<long long>(expected_size_),
                             static_cast<unsigned long long>(total)));
    }
    if (!expected_.empty() && digest != expected_) {
      return Error(Errc::kDigestMismatch,
                   StrFormat("%s: digest mismatch: manifest says %s, content is %s", name.c_str(),
                             expected_.c_str(), digest.c_str()));
    }
    return Status::Ok();
  }

 private:
  std::string expected_;
  int64_t expected_size_;
};

// Hashes on the caller's thread, right after each read.
class InlineHashingSource final : public HashingSource {
 public:
  InlineHashingSource(std::unique_ptr<ByteSource> inner, std::string expected, int64_t size)
      : inner_(std::move(inner)), checker_(std::move(expected), size) {
    status_ = checker_.CheckExpectedFormat(inner_->name());
  }

  Result<size_t> Read(void* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (at_end_ || n == 0) return size_t{0};
    auto got = inner_->Read(buf, n);
    if (!got.has_value()) {
      status_ = got.error();
      return status_;
    }
    if (*got == 0) {
      at_end_ = true;
      digest_ = sha_.FinishDigest();
      status_ = checker_.CheckEnd(name(), total_, digest_);
      if (!status_.ok()) return status_;
      return size_t{0};
    }
    sha_.Update(buf, *got);
    total_ += *got;
    status_ = checker_.CheckRunningSize(name(), total_);
    if (!status_.ok()) return status_;
    return *got;
  }

  Status Finish() override {
    auto left = Drain(*this);
    return left.status();
  }

  uint64_t position() const override { return total_; }
  uint64_t blob_position() const override { return inner_->blob_position(); }
  const std::string& name() const override { return inner_->name(); }
  std::string digest() const override { return digest_; }

 private:
  std::unique_ptr<ByteSource> inner_;
  Checker checker_;
  Sha256 sha_;
  uint64_t total_ = 0;
  bool at_end_ = false;
  std::string digest_;
  Status status_;  // sticky error
};

// Reads ahead and hashes on a worker thread:
//
//   worker:   inner_->Read -> chunk[w] -> SHA-256 -> publish (filled_++)
//   consumer: chunk[r] -> memcpy to caller / skip -> release (filled_--)
//
// kChunks chunks form a ring; the worker fills chunk w = produced % kChunks
// only while fewer than kChunks are filled, and the consumer reads them in
// the same order. The last chunk carries the end-of-stream result (ok,
// mismatch, or the inner source's error) which the consumer returns once it
// has handed out that chunk's bytes. Only the worker touches inner_ and the
// hash after the thread starts (lazily, on the first Read).
class BackgroundHashingSource final : public HashingSource {
 public:
  static constexpr size_t kChunks = 4;
  static constexpr size_t kChunkSize = 512 * 1024;

  BackgroundHashingSource(std::unique_ptr<ByteSource> inner, std::string expected, int64_t size)
      : inner_(std::move(inner)), name_(inner_->name()), checker_(std::move(expected), size) {
    status_ = checker_.CheckExpectedFormat(name_);
  }

  ~BackgroundHashingSource() override {
    if (worker_.joinable()) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        stop_ = true;
      }
      cv_.notify_all();
      worker_.join();
    }
  }

  Result<size_t> Read(void* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (n == 0) return size_t{0};
    if (!AcquireChunk()) return status_.ok() ? Result<size_t>(size_t{0}) : Result<size_t>(status_);
    Chunk& c = chunks_[read_index_ % kChunks];
    size_t k = std::min(n, c.len - read_pos_);
    std::memcpy(buf, c.data.get() + read_pos_, k);
    read_pos_ += k;
    pos_ += k;
    return k;
  }

  bool has_read_view() const override { return true; }

  // Hands out the rest of the current chunk without copying; the chunk is
  // released by the next call (AcquireChunk moves on only then).
  Result<std::string_view> ReadView(size_t max) override {
    if (!status_.ok()) return status_;
    if (max == 0) return std::string_view();
    if (!AcquireChunk()) {
      if (!status_.ok()) return status_;
      return std::string_view();
    }
    Chunk& c = chunks_[read_index_ % kChunks];
    size_t k = std::min(max, c.len - read_pos_);
    std::string_view v(c.data.get() + read_pos_, k);
    read_pos_ += k;
    pos_ += k;
    return v;
  }

  Status Skip(uint64_t n) override {
    if (!status_.ok()) return status_;
    while (n > 0) {
      if (!AcquireChunk()) {
        if (!status_.ok()) return status_;
        status_ = Error(Errc::kCorrupt,
                        StrFormat("%s: unexpected end of data at offset %llu (wanted %llu more bytes)",
                                  name_.c_str(), static_cast<unsigned long long>(pos_),
                                  static_cast<unsigned long long>(n)));
        return status_;
      }
      Chunk& c = chunks_[read_index_ % kChunks];
      size_t k = static_cast<size_t>(std::min<uint64_t>(n, c.len - read_pos_));
      read_pos_ += k;
      pos_ += k;
      n -= k;
    }
    return Status::Ok();
  }

  Status Finish() override {
    if (!status_.ok()) return status_;
    while (AcquireChunk()) {
      Chunk& c = chunks_[read_index_ % kChunks];
      pos_ += c.len - read_pos_;
      read_pos_ = c.len;
    }
    return status_;
  }

  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }
  std::string digest() const override { return at_end_ ? digest_ : std::string(); }

 private:
  struct Chunk {
    // Allocated by the worker when it first fills the chunk, and not
    // zeroed: the first touch of a fresh page is the costly part on some
    // VMs (25-45 us a page here), and it then falls on the hashing thread.
    std::unique_ptr<char[]> data;
    size_t len = 0;
    bool last = false;  // end of stream (or error) after these bytes
    Status end;         // the end-of-stream result when |last|
  };

  // Makes sure the current chunk has unread bytes. Returns false at end of
  // stream; status_ then holds the end-of-stream result.
  bool AcquireChunk() {
    if (at_end_) return false;
    if (!started_ && !Start()) return false;
    if (holding_ && read_pos_ < chunks_[read_index_ % kChunks].len) return true;
    if (holding_ && ReleaseChunk()) return false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return filled_ > 0; });
      holding_ = true;
      read_pos_ = 0;
    }
    if (chunks_[read_index_ % kChunks].len > 0) return true;
    ReleaseChunk();  // an empty chunk is always the last one
    return false;
  }

  // Gives the current chunk back to the worker. Returns true when it was the
  // last one; at_end_ and status_ then hold the end-of-stream result.
  bool ReleaseChunk() {
    Chunk& c = chunks_[read_index_ % kChunks];
    bool last = c.last;
    if (last) {
      at_end_ = true;
      status_ = c.end;  // the worker has exited: nothing writes c any more
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      holding_ = false;
      ++read_index_;
      --filled_;
    }
    cv_.notify_all();
    return last;
  }

  // Returns false (with status_ set) when no thread can be started.
  bool Start() {
    started_ = true;
    // std::thread reports failure by exception; we turn it into a Status
    // here so none escapes (STYLE.md §6).
    try {
      worker_ = std::thread([this] { Work(); });
    } catch (const std::system_error& e) {
      status_ = Error(Errc::kIo, name_ + ": cannot start the hashing thread: " + e.what());
      return false;
    }
    return true;
  }

  void Work() {
    Sha256 sha;
    uint64_t total = 0;
    uint64_t produced = 0;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || filled_ < kChunks; });
        if (stop_) return;
      }
      Chunk& c = chunks_[produced % kChunks];
      if (!c.data) c.data.reset(new char[kChunkSize]);
      c.len = 0;
      c.last = false;
      c.end = Status::Ok();
      // Fill the chunk; stop early at end of stream or on error.
      while (c.len < kChunkSize) {
        auto got = inner_->Read(c.data.get() + c.len, kChunkSize - c.len);
        if (!got.has_value()) {
          c.last = true;
          c.end = got.error();
          break;
        }
        if (*got == 0) {
          c.last = true;
          break;
        }
        c.len += *got;
      }
      if (c.len > 0) {
        sha.Update(c.data.get(), c.len);
        total += c.len;
        Status size_ok = checker_.CheckRunningSize(name_, total);
        if (!size_ok.ok() && c.end.ok()) {
          c.last = true;
          c.end = size_ok;
        }
      }
      if (c.last && c.end.ok()) {
        digest_ = sha.FinishDigest();  // read by the consumer after it sees |last|
        c.end = checker_.CheckEnd(name_, total, digest_);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        ++filled_;
      }
      cv_.notify_all();
      ++produced;
      if (c.last) return;
    }
  }

  std::unique_ptr<ByteSource> inner_;  // worker-only once started
  std::string name_;
  Checker checker_;
  Chunk chunks_[kChunks];
  std::string digest_;  // written by the worker before it publishes the last chunk

  std::mutex mu_;
  std::condition_variable cv_;
  size_t filled_ = 0;  // chunks published and not yet released (guarded by mu_)
  bool stop_ = false;  // guarded by mu_
  std::thread worker_;

  // Consumer-only state.
  bool started_ = false;
  bool holding_ = false;   // chunks_[read_index_ % kChunks] is being consumed
  uint64_t read_index_ = 0;
  size_t read_pos_ = 0;
  uint64_t pos_ = 0;
  bool at_end_ = false;
  Status status_;  // sticky error / end-of-stream result
};

constexpr int64_t kBackgroundHashMinBytes = int64_t{16} << 20;

}  // namespace

std::unique_ptr<HashingSource> HashingSource::Make(std::unique_ptr<ByteSource> inner,
                                                   std::string expected, int64_t expected_size,
                                                   HashThreading threading) {
  bool background = threading == HashThreading::kBackground;
  // Measured with io_perftest on a 260 MB gzip layer (900 MB tar), 2-core
  // box: igzip -dc 1.04 s CPU; our gzip pipeline with inline hashing puts
  // 1.23 s on the decoding thread (1.18x, over the 1.15x target), with
  // background hashing 1.01 s (0.97x) plus 0.24 s on the hasher thread.
  // The hashing costs the same CPU either way, but the ring's 2 MiB are
  // fresh pages, and on a VM where a first touch costs 25-45 us that is
  // ~12 ms: what SHA-256 (SHA-NI, ~1.5 GB/s) takes over 16-20 MB. Smaller
  // blobs are hashed inline (a 5 MB layer: `profile --verify` 44 -> 33 ms
  // of CPU against 27 ms unverified).
  if (threading == HashThreading::kAuto) {
    background = std::thread::hardware_concurrency() >= 2 &&
                 (expected_size < 0 || expected_size >= kBackgroundHashMinBytes);
  }
  if (background) {
    return std::make_unique<BackgroundHashingSource>(std::move(inner), std::move(expected),
                                                     expected_size);
  }
  return std::make_unique<InlineHashingSource>(std::move(inner), std::move(expected),
                                               expected_size);
}

}  // namespace whittle
