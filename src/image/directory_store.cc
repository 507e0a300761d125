#include "image/directory_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "io/file_source.h"
#include "util/strings.h"

namespace whittle {

Result<std::unique_ptr<DirectoryStore>> DirectoryStore::OpenRoot(const std::string& root) {
  char buf[PATH_MAX];
  if (::realpath(root.c_str(), buf) == nullptr) {
    int err = errno;
    return Error(err == ENOENT ? Errc::kNotFound : Errc::kIo,
                 StrFormat("%s: %s", root.c_str(), std::strerror(err)));
  }
  struct stat st;
  if (::stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Error(Errc::kUnsupported, StrFormat("%s: not a directory", root.c_str()));
  }
  std::string name = root;
  while (name.size() > 1 && name.back() == '/') name.pop_back();
  return std::unique_ptr<DirectoryStore>(new DirectoryStore(std::move(name), buf));
}

Result<std::string> DirectoryStore::FullPath(std::string_view rel) const {
  ASSIGN_OR_RETURN(std::string clean, CheckRelativePath(rel, name_));
  std::string full = real_root_ + "/" + clean;
  char buf[PATH_MAX];
  if (::realpath(full.c_str(), buf) == nullptr) {
    int err = errno;
    return Error(err == ENOENT ? Errc::kNotFound : Errc::kIo,
                 StrFormat("%s: %s", PathLocation(clean).c_str(), std::strerror(err)));
  }
  std::string real = buf;
  if (real.size() <= real_root_.size() || real.compare(0, real_root_.size(), real_root_) != 0 ||
      (real_root_ != "/" && real[real_root_.size()] != '/')) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: a symlink to %s: manifest points outside the layout",
                           PathLocation(clean).c_str(), EscapeForMessage(real).c_str()));
  }
  struct stat st;
  if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Error(Errc::kCorrupt, StrFormat("%s: not a regular file", PathLocation(clean).c_str()));
  }
  return real;
}

Result<std::unique_ptr<ByteSource>> DirectoryStore::OpenPath(std::string_view rel) {
  ASSIGN_OR_RETURN(std::string full, FullPath(rel));
  ASSIGN_OR_RETURN(std::shared_ptr<File> file, File::Open(full));
  uint64_t size = file->size();
  return MakeFileRangeSource(std::move(file), 0, size, PathLocation(rel));
}

Result<uint64_t> DirectoryStore::PathSize(std::string_view rel) {
  ASSIGN_OR_RETURN(std::string full, FullPath(rel));
  struct stat st;
  if (::stat(full.c_str(), &st) != 0) {
    return Error(Errc::kIo, StrFormat("%s: %s", PathLocation(rel).c_str(), std::strerror(errno)));
  }
  return static_cast<uint64_t>(st.st_size);
}

bool DirectoryStore::PathExists(std::string_view rel) { return FullPath(rel).has_value(); }

std::string DirectoryStore::PathLocation(std::string_view rel) const {
  return name_ + "/" + std::string(rel);
}

}  // namespace whittle
