#include "io/byte_sink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/sha256.h"

namespace whittle {

namespace {

class FileSink : public ByteSink {
 public:
  FileSink(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileSink() override {
    if (fd_ >= 0) ::close(fd_);
  }
  Status Write(const void* data, size_t n) override {
    if (!error_.ok()) return error_;
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      ssize_t w = ::write(fd_, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        error_ = Error(Errc::kIo, path_ + ": write failed: " + std::strerror(errno));
        return error_;
      }
      p += w;
      n -= static_cast<size_t>(w);
    }
    return Status::Ok();
  }
  Status Close() override {
    if (!error_.ok()) return error_;
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Error(Errc::kIo, path_ + ": close failed: " + std::strerror(errno));
    return Status::Ok();
  }

 private:
  int fd_;
  std::string path_;
  Status error_;
};

}  // namespace

Result<std::unique_ptr<ByteSink>> CreateFileSink(const std::string& path, const std::string& name) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Error(Errc::kIo, (name.empty() ? path : name) + ": cannot create: " + std::strerror(errno));
  return std::unique_ptr<ByteSink>(new FileSink(fd, name.empty() ? path : name));
}

HashingSink::HashingSink(ByteSink* next) : next_(next), ctx_(new Sha256()) {}

HashingSink::~HashingSink() { delete static_cast<Sha256*>(ctx_); }

Status HashingSink::Write(const void* data, size_t n) {
  static_cast<Sha256*>(ctx_)->Update(data, n);
  size_ += n;
  return next_ ? next_->Write(data, n) : Status::Ok();
}

Status HashingSink::Close() {
  if (digest_.empty()) digest_ = static_cast<Sha256*>(ctx_)->FinishDigest();
  return Status::Ok();
}

}  // namespace whittle
