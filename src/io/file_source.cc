#include "io/file_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "util/strings.h"

namespace whittle {

Result<std::shared_ptr<File>> File::Open(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    int e = errno;
    Errc code = (e == ENOENT || e == ENOTDIR) ? Errc::kNotFound : Errc::kIo;
    return Error(code, StrFormat("%s: cannot open: %s", path.c_str(), std::strerror(e)));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return Error(Errc::kIo, StrFormat("%s: cannot stat: %s", path.c_str(), std::strerror(e)));
  }
  bool is_dir = S_ISDIR(st.st_mode);
  uint64_t size = (S_ISREG(st.st_mode) && st.st_size > 0) ? static_cast<uint64_t>(st.st_size) : 0;
  return std::shared_ptr<File>(new File(fd, size, path, is_dir));
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> File::ReadAt(uint64_t offset, void* buf, size_t n) const {
  char* p = static_cast<char*>(buf);
  size_t done = 0;
  while (done < n) {
    ssize_t got = ::pread(fd_, p + done, n - done, static_cast<off_t>(offset + done));
    if (got < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      return Error(Errc::kIo, StrFormat("%s: read failed at offset %llu: %s", path_.c_str(),
                                        static_cast<unsigned long long>(offset + done),
                                        std::strerror(e)));
    }
    if (got == 0) break;
    done += static_cast<size_t>(got);
  }
  return done;
}

namespace {

// Reads [offset_, end_) of a File through a buffer of up to 128 KiB; refills
// start at 8 KiB after a seek and double while reading stays sequential, so
// skipping through a tar copies little more than its headers.
//
//   file:  |....offset_............[buf_pos_ ... buf_len_)....end_....|
//   position() = bytes handed out or skipped so far.
// Reads at least as large as the buffer go straight into the caller's memory
// (no copy); smaller ones are served from the buffer.
class FileRangeSource final : public ByteSource {
 public:
  static constexpr size_t kBufferSize = 128 * 1024;
  static constexpr size_t kMinFill = 8 * 1024;

  FileRangeSource(std::shared_ptr<File> file, uint64_t offset, uint64_t length, std::string name)
      : file_(std::move(file)), begin_(offset), next_(offset),
        end_(length > UINT64_MAX - offset ? UINT64_MAX : offset + length),
        name_(std::move(name)) {}

  Result<size_t> Read(void* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (n == 0) return size_t{0};
    if (buf_pos_ < buf_len_) {
      size_t k = std::min(n, buf_len_ - buf_pos_);
      std::memcpy(buf, buffer_.get() + buf_pos_, k);
      buf_pos_ += k;
      pos_ += k;
      return k;
    }
    uint64_t left = end_ - next_;
    if (left == 0) return size_t{0};
    if (n >= kBufferSize) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(n, left));
      ASSIGN_OR_RETURN(size_t got, ReadChecked(buf, want));
      pos_ += got;
      return got;
    }
    size_t want = static_cast<size_t>(std::min<uint64_t>(fill_, left));
    if (capacity_ < want) {
      // Everything buffered was handed out: grow without copying or zeroing.
      buffer_.reset(new char[want]);
      capacity_ = want;
    }
    ASSIGN_OR_RETURN(size_t got, ReadChecked(buffer_.get(), want));
    fill_ = std::min(fill_ * 2, kBufferSize);  // sequential reading: fetch more next time
    buf_pos_ = 0;
    buf_len_ = got;
    size_t k = std::min(n, got);
    std::memcpy(buf, buffer_.get(), k);
    buf_pos_ = k;
    pos_ += k;
    return k;
  }

  Status Skip(uint64_t n) override {
    if (!status_.ok()) return status_;
    size_t buffered = buf_len_ - buf_pos_;
    if (n <= buffered) {
      buf_pos_ += static_cast<size_t>(n);
      pos_ += n;
      return Status::Ok();
    }
    uint64_t rest = n - buffered;
    buf_pos_ = buf_len_ = 0;
    if (rest > end_ - next_) {
      uint64_t short_by = rest - (end_ - next_);
      pos_ += buffered + (end_ - next_);
      next_ = end_;
      status_ = Error(Errc::kCorrupt,
                      StrFormat("%s: unexpected end of data at offset %llu (wanted %llu more bytes)",
                                name_.c_str(), static_cast<unsigned long long>(pos_),
                                static_cast<unsigned long long>(short_by)));
      return status_;
    }
    next_ += rest;
    pos_ += n;
    // After a seek the next read is usually one tar header before another
    // seek: fetch a little, and grow again only if reading stays sequential.
    fill_ = kMinFill;
    return Status::Ok();
  }

  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

  std::unique_ptr<ByteSource> OpenAt(uint64_t offset) const override {
    if (offset > end_ - begin_) return nullptr;
    auto second = std::make_unique<FileRangeSource>(file_, begin_ + offset, end_ - begin_ - offset, name_);
    // Positions, and so the offsets messages name, stay this stream's.
    second->begin_ = begin_;
    second->pos_ = offset;
    return second;
  }

 private:
  // Reads from next_, treating a file shorter than the range as corrupt.
  Result<size_t> ReadChecked(void* buf, size_t want) {
    auto got = file_->ReadAt(next_, buf, want);
    if (!got.has_value()) {
      status_ = got.error().WithPrefix(name_);
      return status_;
    }
    if (*got == 0) {
      status_ = Error(Errc::kCorrupt,
                      StrFormat("%s: unexpected end of file at offset %llu (file %s is shorter than "
                                "the blob's range)",
                                name_.c_str(), static_cast<unsigned long long>(pos_),
                                file_->path().c_str()));
      return status_;
    }
    next_ += *got;
    return *got;
  }

  std::shared_ptr<File> file_;
  uint64_t begin_;  // file offset of position 0
  uint64_t next_;   // file offset of the next byte to fetch from disk
  uint64_t end_;
  std::string name_;
  // Allocated on the first small read, as large as that refill, and grown
  // with the refills: a source that reads a few bytes (a compression sniff,
  // a header) costs a few KiB, not 128 KiB of fresh, zeroed pages.
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t buf_pos_ = 0;        // buffer_[buf_pos_, buf_len_) is fetched but not handed out
  size_t buf_len_ = 0;
  size_t fill_ = kMinFill;    // bytes the next refill fetches: kMinFill after a seek, doubling
  uint64_t pos_ = 0;
  Status status_;  // sticky error
};

}  // namespace

std::unique_ptr<ByteSource> MakeFileRangeSource(std::shared_ptr<File> file, uint64_t offset,
                                                uint64_t length, std::string name) {
  return std::make_unique<FileRangeSource>(std::move(file), offset, length, std::move(name));
}

Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path) {
  ASSIGN_OR_RETURN(std::shared_ptr<File> file, File::Open(path));
  if (file->is_directory()) {
    return Error(Errc::kIo, StrFormat("%s: is a directory", path.c_str()));
  }
  uint64_t size = file->size();
  return std::unique_ptr<ByteSource>(MakeFileRangeSource(std::move(file), 0, size, path));
}

namespace {

// A pipe or terminal read front to back; the buffer keeps read() calls large
// when the caller asks for a few bytes at a time (tar headers).
class FdSource final : public ByteSource {
 public:
  static constexpr size_t kBufferSize = 256 * 1024;

  FdSource(int fd, std::string name) : fd_(fd), name_(std::move(name)), buffer_(kBufferSize) {}

  Result<size_t> Read(void* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (n == 0) return size_t{0};
    if (buf_pos_ == buf_len_) {
      if (eof_) return size_t{0};
      ASSIGN_OR_RETURN(size_t got, Fill());
      if (got == 0) return size_t{0};
    }
    size_t k = std::min(n, buf_len_ - buf_pos_);
    std::memcpy(buf, buffer_.data() + buf_pos_, k);
    buf_pos_ += k;
    pos_ += k;
    return k;
  }

  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

 private:
  Result<size_t> Fill() {
    for (;;) {
      ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
      if (got < 0) {
        if (errno == EINTR) continue;
        int e = errno;
        status_ = Error(Errc::kIo, StrFormat("%s: read failed at offset %llu: %s", name_.c_str(),
                                             static_cast<unsigned long long>(pos_), std::strerror(e)));
        return status_;
      }
      if (got == 0) eof_ = true;
      buf_pos_ = 0;
      buf_len_ = static_cast<size_t>(got);
      return buf_len_;
    }
  }

  int fd_;
  std::string name_;
  std::vector<char> buffer_;
  size_t buf_pos_ = 0;
  size_t buf_len_ = 0;
  uint64_t pos_ = 0;
  bool eof_ = false;
  Status status_;
};

}  // namespace

std::unique_ptr<ByteSource> MakeFdSource(int fd, std::string name) {
  return std::make_unique<FdSource>(fd, std::move(name));
}

}  // namespace whittle
