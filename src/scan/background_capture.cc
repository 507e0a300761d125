#include "scan/background_capture.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "util/strings.h"

namespace whittle {

namespace {

// One member's data, |size| bytes from where |reader| stands. A failure of
// the reader is remembered: it is fatal, unlike the rule's complaint.
class RangeBody final : public MemberBody {
 public:
  RangeBody(ByteSource* reader, uint64_t size) : reader_(reader), left_(size) {}
  Result<size_t> Read(void* buf, size_t n) override {
    size_t want = static_cast<size_t>(std::min<uint64_t>(n, left_));
    if (want == 0) return size_t{0};
    Result<size_t> got = reader_->Read(buf, want);
    if (!got) {
      stream_error_ = got.error();
      return got;
    }
    if (*got == 0) {
      stream_error_ = Error(Errc::kCorrupt, StrFormat("%s: unexpected end of data at offset %llu",
                                                      reader_->name().c_str(),
                                                      static_cast<unsigned long long>(reader_->position())));
      return stream_error_;
    }
    left_ -= *got;
    return got;
  }
  uint64_t remaining() const override { return left_; }
  const Status& stream_error() const { return stream_error_; }

 private:
  ByteSource* reader_;
  uint64_t left_;
  Status stream_error_;
};

}  // namespace

std::unique_ptr<BackgroundCapture> BackgroundCapture::Start(const ByteSource& stream, const CaptureRules& rules) {
  std::unique_ptr<ByteSource> reader = stream.OpenAt(0);
  if (reader == nullptr) return nullptr;
  std::unique_ptr<BackgroundCapture> bc(new BackgroundCapture(std::move(reader), rules));
  bc->thread_ = std::thread([p = bc.get()] {
    // A lower priority (nice +10, this thread only): it takes the cores the
    // scan's workers leave idle (on a big base layer, all but one soon), and
    // does not slow them down while they are all busy.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
    p->Run();
  });
  return bc;
}

BackgroundCapture::BackgroundCapture(std::unique_ptr<ByteSource> reader, const CaptureRules& rules)
    : reader_(std::move(reader)), rules_(rules) {}

BackgroundCapture::~BackgroundCapture() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    finishing_ = true;
    stopping_ = true;
  }
  cv_.notify_one();
  thread_.join();
}

void BackgroundCapture::Add(uint32_t entry, int rule, uint64_t data_offset, const CaptureCandidate& c) {
  Task t{entry, rule, data_offset, std::string(c.path), c.kind, c.mode, c.stored_size};
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_empty = queue_.empty();
    queue_.push_back(std::move(t));
  }
  if (was_empty) cv_.notify_one();
}

Status BackgroundCapture::Finish(std::vector<CapturedBody>* captured, std::vector<std::string>* warnings) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    finishing_ = true;
  }
  cv_.notify_one();
  thread_.join();
  for (CapturedBody& b : captured_) captured->push_back(std::move(b));
  for (std::string& w : warnings_) warnings->push_back(std::move(w));
  return error_;
}

void BackgroundCapture::Run() {
  std::vector<Task> batch;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return !queue_.empty() || finishing_; });
      if (stopping_ || queue_.empty()) return;  // finishing_ and nothing left
      batch.swap(queue_);
    }
    for (const Task& t : batch) {
      if (stopping_) return;
      if (error_.ok()) Read(t);  // after a failure the scan fails: drain the queue
    }
    batch.clear();
  }
}

void BackgroundCapture::Read(const Task& t) {
  const uint64_t at = reader_->position();
  if (t.data_offset < at) {
    error_ = Error(Errc::kInternal, StrFormat("%s: capture of %s at offset %llu, behind %llu", reader_->name().c_str(),
                                              t.path.c_str(), static_cast<unsigned long long>(t.data_offset),
                                              static_cast<unsigned long long>(at)));
    return;
  }
  if (Status st = reader_->Skip(t.data_offset - at); !st.ok()) {
    error_ = st;
    return;
  }
  CaptureCandidate c{t.path, t.kind, t.mode, t.stored_size};
  RangeBody body(reader_.get(), t.stored_size);
  ExtractWithRule(rules_, t.rule, c, t.entry, body, reader_->name(), &captured_, &warnings_);
  if (!body.stream_error().ok()) error_ = body.stream_error();
}

}  // namespace whittle
