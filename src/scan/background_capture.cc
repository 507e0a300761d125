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

std::atomic<size_t> g_queued{0};

}  // namespace

size_t BackgroundCapture::QueuedForTest() { return g_queued.load(); }

std::unique_ptr<BackgroundCapture> BackgroundCapture::Start(const ByteSource& stream, const CaptureRules& rules) {
  std::unique_ptr<ByteSource> reader = stream.OpenAt(0);
  if (reader == nullptr) return nullptr;
  std::unique_ptr<BackgroundCapture> bc(new BackgroundCapture(stream, std::move(reader), rules));
  bc->thread_ = std::thread([p = bc.get()] {
    // A lower priority (nice +10, this thread only): it takes the cores the
    // scan's workers leave idle (on a big base layer, all but one soon), and
    // does not slow them down while they are all busy.
    setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
    p->Work(p->reader_.get(), false);
  });
  return bc;
}

std::unique_ptr<BackgroundCapture> BackgroundCapture::Deferred(const ByteSource& stream, const CaptureRules& rules) {
  std::unique_ptr<ByteSource> reader = stream.OpenAt(0);
  if (reader == nullptr) return nullptr;
  return std::unique_ptr<BackgroundCapture>(new BackgroundCapture(stream, std::move(reader), rules));
}

bool BackgroundCapture::Queued(int rule) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const Task& t : tasks_) {
    if (t.rule == rule) return true;
  }
  return false;
}

Status BackgroundCapture::ReadDeferred() {
  if (read_) return read_status_;
  Work(reader_.get(), true);  // no thread: this one takes every task
  read_ = true;
  read_status_ = TakeOutcomes(&bodies_, &warnings_);
  tasks_.clear();
  return read_status_;
}

BackgroundCapture::BackgroundCapture(const ByteSource& stream, std::unique_ptr<ByteSource> reader,
                                     const CaptureRules& rules)
    : stream_(stream), reader_(std::move(reader)), rules_(rules) {}

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
  bool was_idle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    was_idle = next_ == tasks_.size();
    tasks_.push_back(Task{entry, rule, data_offset, std::string(c.path), c.kind, c.mode, c.stored_size, {}, {}, {}});
  }
  g_queued.fetch_add(1, std::memory_order_relaxed);
  if (was_idle) cv_.notify_one();
}

Status BackgroundCapture::Finish(std::vector<CapturedBody>* captured, std::vector<std::string>* warnings) {
  bool help;  // with what is still queued, through a reader of our own
  {
    std::lock_guard<std::mutex> lock(mu_);
    finishing_ = true;
    help = tasks_.size() - next_ >= 2;
  }
  cv_.notify_one();
  if (help) {
    if (std::unique_ptr<ByteSource> mine = stream_.OpenAt(0)) Work(mine.get(), true);
  }
  thread_.join();
  // Every task was taken and done by one of the two.
  return TakeOutcomes(captured, warnings);
}

Status BackgroundCapture::TakeOutcomes(std::vector<CapturedBody>* captured, std::vector<std::string>* warnings) {
  // In tar order, up to the first failure.
  for (Task& t : tasks_) {
    if (!t.error.ok()) return t.error;
    for (CapturedBody& b : t.captured) captured->push_back(std::move(b));
    for (std::string& w : t.warnings) warnings->push_back(std::move(w));
  }
  return Status::Ok();
}

void BackgroundCapture::Work(ByteSource* reader, bool until_done) {
  for (;;) {
    Task* t;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!until_done) cv_.wait(lock, [this] { return next_ < tasks_.size() || finishing_; });
      if (stopping_ || next_ == tasks_.size()) return;  // finishing and nothing left
      t = &tasks_[next_++];  // a deque: the task stays where it is while others are added
    }
    Read(reader, t);
    // After a failure the scan fails; the other tasks are still taken, so
    // that Finish() reports the first failure in tar order.
  }
}

void BackgroundCapture::Read(ByteSource* reader, Task* t) {
  const uint64_t at = reader->position();
  if (t->data_offset < at) {
    t->error = Error(Errc::kInternal, StrFormat("%s: capture of %s at offset %llu, behind %llu",
                                                reader->name().c_str(), t->path.c_str(),
                                                static_cast<unsigned long long>(t->data_offset),
                                                static_cast<unsigned long long>(at)));
    return;
  }
  if (Status st = reader->Skip(t->data_offset - at); !st.ok()) {
    t->error = st;
    return;
  }
  CaptureCandidate c{t->path, t->kind, t->mode, t->stored_size};
  RangeBody body(reader, t->stored_size);
  ExtractWithRule(rules_, t->rule, c, t->entry, body, reader->name(), &t->captured, &t->warnings);
  if (!body.stream_error().ok()) t->error = body.stream_error();
}

}  // namespace whittle
