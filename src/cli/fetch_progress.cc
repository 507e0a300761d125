#include "cli/fetch_progress.h"

#include "cli/console.h"
#include "util/strings.h"

namespace whittle {
namespace {

class CountingSource final : public ByteSource {
 public:
  CountingSource(std::unique_ptr<ByteSource> inner, std::atomic<uint64_t>* bytes)
      : inner_(std::move(inner)), bytes_(bytes) {}
  Result<size_t> Read(void* buf, size_t n) override {
    auto r = inner_->Read(buf, n);
    if (r) bytes_->fetch_add(*r, std::memory_order_relaxed);
    return r;
  }
  Status Skip(uint64_t n) override {
    uint64_t before = inner_->position();
    Status st = inner_->Skip(n);
    bytes_->fetch_add(inner_->position() - before, std::memory_order_relaxed);
    return st;
  }
  uint64_t position() const override { return inner_->position(); }
  uint64_t blob_position() const override { return inner_->blob_position(); }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::atomic<uint64_t>* bytes_;
};

class CountingStore final : public BlobStore {
 public:
  CountingStore(std::unique_ptr<BlobStore> inner, std::atomic<uint64_t>* bytes)
      : inner_(std::move(inner)), bytes_(bytes) {}
  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override {
    ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> s, inner_->Open(blob));
    return std::unique_ptr<ByteSource>(std::make_unique<CountingSource>(std::move(s), bytes_));
  }
  Result<uint64_t> Size(const BlobRef& blob) override { return inner_->Size(blob); }
  bool Exists(const BlobRef& blob) override { return inner_->Exists(blob); }
  Result<std::string> Location(const BlobRef& blob) const override { return inner_->Location(blob); }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<BlobStore> inner_;
  std::atomic<uint64_t>* bytes_;
};

std::string Mib(double bytes) { return StrFormat("%.1f MiB", bytes / (1024.0 * 1024.0)); }

}  // namespace

FetchProgress::FetchProgress(Console& console) : console_(console) {
  ticker_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
      lock.unlock();
      Draw();
      lock.lock();
    }
  });
}

FetchProgress::~FetchProgress() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  ticker_.join();
  console_.Progress("");
}

std::unique_ptr<BlobStore> FetchProgress::Wrap(std::unique_ptr<BlobStore> store) {
  return std::make_unique<CountingStore>(std::move(store), &bytes_);
}

void FetchProgress::LayerDone(size_t done, size_t total) {
  done_ = done;
  total_ = total;
  Draw();
}

std::string FetchProgress::Line(size_t done, size_t total, uint64_t bytes, double seconds) {
  std::string layers = total ? StrFormat("%zu/%zu layers", done, total) : StrFormat("%zu layers", done);
  std::string rate = seconds > 0 ? Mib(static_cast<double>(bytes) / seconds) + "/s" : "-";
  return StrFormat("%s, %s, %s", layers.c_str(), Mib(static_cast<double>(bytes)).c_str(), rate.c_str());
}

void FetchProgress::Draw() {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = "whittle: fetched " + Line(done_, total_, bytes_, seconds);
  std::lock_guard<std::mutex> lock(mu_);
  if (!stop_) console_.Progress(line);
}

}  // namespace whittle
