#include "util/file_util.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/strings.h"

namespace whittle {

namespace {

// Closes the descriptor it owns (never stdin).
class FdCloser {
 public:
  FdCloser(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FdCloser() {
    if (owned_) close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
  bool owned_;
};

Status TooLarge(const std::string& path, size_t max_bytes) {
  return Error(Errc::kTooLarge, StrFormat("%s: larger than %zu bytes", path.c_str(), max_bytes));
}

}  // namespace

Result<std::string> ReadFileToString(const std::string& path, size_t max_bytes) {
  const bool is_stdin = path == "-";
  int fd = is_stdin ? STDIN_FILENO : open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    return Error(e == ENOENT || e == ENOTDIR ? Errc::kNotFound : Errc::kIo,
                 StrFormat("%s: cannot open: %s", path.c_str(), std::strerror(e)));
  }
  FdCloser closer(fd, !is_stdin);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    return Error(Errc::kIo, StrFormat("%s: read failed: %s", path.c_str(), std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) return Error(Errc::kIo, path + ": is a directory");
  std::string out;
  if (S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > max_bytes) return TooLarge(path, max_bytes);
    out.reserve(static_cast<size_t>(st.st_size));
  }
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(Errc::kIo, StrFormat("%s: read failed: %s", path.c_str(), std::strerror(errno)));
    }
    if (n == 0) break;
    // Pipes, and files that grow while we read, are capped as they come.
    if (static_cast<size_t>(n) > max_bytes - out.size()) return TooLarge(path, max_bytes);
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

}  // namespace whittle
