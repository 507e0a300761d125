// Files on disk as ByteSources. A File is an open, read-only descriptor that
// many FileRangeSources share (one per blob of a docker save tar, in
// parallel: reads use pread, so there is no shared file position).
//
// Skips inside the read buffer consume it; longer skips move the offset
// without reading (an uncompressed layer's file data is never read unless a
// source asks for it).
#ifndef WHITTLE_IO_FILE_SOURCE_H_
#define WHITTLE_IO_FILE_SOURCE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "io/byte_source.h"
#include "util/status.h"

namespace whittle {

class File {
 public:
  /// Opens |path| read-only. Errors: kNotFound / kIo naming the path.
  static Result<std::shared_ptr<File>> Open(const std::string& path);
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  int fd() const { return fd_; }
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }
  bool is_directory() const { return is_dir_; }

  /// pread that loops over short reads; returns bytes read (< n only at EOF).
  Result<size_t> ReadAt(uint64_t offset, void* buf, size_t n) const;

 private:
  File(int fd, uint64_t size, std::string path, bool is_dir)
      : fd_(fd), size_(size), path_(std::move(path)), is_dir_(is_dir) {}
  int fd_;
  uint64_t size_;
  std::string path_;
  bool is_dir_;
};

/// A ByteSource over [offset, offset+length) of |file|. The shared_ptr keeps
/// the file open for as long as any range of it is being read; that shared
/// lifetime is the reason it is not a unique_ptr.
/// |name| is used in messages (e.g. "app.tar:blobs/sha256/ab12").
std::unique_ptr<ByteSource> MakeFileRangeSource(std::shared_ptr<File> file, uint64_t offset,
                                                uint64_t length, std::string name);

/// Whole-file convenience.
Result<std::unique_ptr<ByteSource>> OpenFileSource(const std::string& path);

/// A sequential source over the open descriptor |fd| (stdin, a pipe): read()
/// through a 256 KiB buffer, no seeking, so Skip() reads and discards. Does
/// not close |fd|. |name| is used in messages ("-" for stdin).
std::unique_ptr<ByteSource> MakeFdSource(int fd, std::string name);

}  // namespace whittle

#endif  // WHITTLE_IO_FILE_SOURCE_H_
