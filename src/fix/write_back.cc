#include "fix/write_back.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lint/linter.h"
#include "util/interrupt.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

Status Errno(const std::string& path, const char* what) {
  int e = errno;
  return Error(e == ENOENT ? Errc::kNotFound : Errc::kIo, StrFormat("%s: %s: %s", path.c_str(), what, std::strerror(e)));
}

}  // namespace

Result<std::string> ReadDockerfile(const std::string& path) {
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Errno(path, "cannot open");
  std::string out;
  char buf[65536];
  size_t n;
  Status st;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    if (out.size() + n > lint::kMaxDockerfileBytes) {
      st = Error(Errc::kTooLarge, StrFormat("%s: larger than %zu bytes", path.c_str(), lint::kMaxDockerfileBytes));
      break;
    }
    out.append(buf, n);
  }
  if (st.ok() && std::ferror(f)) st = Error(Errc::kIo, path + ": read failed");
  if (f != stdin) std::fclose(f);
  if (!st.ok()) return st;
  return out;
}

Status WriteFileAtomic(const std::string& path, std::string_view text, unsigned mode) {
  ASSIGN_OR_RETURN(TempFile temp, TempFile::Create(path));
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = write(temp.fd(), text.data() + done, text.size() - done);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno(path, "write failed");
    }
    done += static_cast<size_t>(w);
  }
  if (fchmod(temp.fd(), static_cast<mode_t>(mode & 07777)) != 0) return Errno(path, "cannot set permissions");
  if (fsync(temp.fd()) != 0) return Errno(path, "fsync failed");
  return temp.CommitTo(path);
}

Status WriteFixedDockerfile(const std::string& path, std::string_view original, std::string_view fixed) {
  if (original == fixed) return Status::Ok();
  // Write through a symlink to the file it names.
  std::string target = path;
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) != nullptr) target = resolved;
  struct stat st;
  unsigned mode = 0644;
  if (stat(target.c_str(), &st) == 0) mode = st.st_mode & 07777;
  RETURN_IF_ERROR(WriteFileAtomic(path + ".orig", original, mode));
  return WriteFileAtomic(target, fixed, mode);
}

std::string SuggestedDockerignorePath(const std::string& dockerfile) { return dockerfile + ".dockerignore.suggested"; }

}  // namespace whittle::fix
