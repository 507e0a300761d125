// The one way whittle reads a whole (small) file: configuration files,
// Dockerfiles, .dockerignore, goldens in tests. Images are never read this
// way; they stream through io/ByteSource.
//
// What it is not: a general file system layer. There is one real caller per
// kind of file and each reads a real path, so there is no fake; tests write
// temporary files (ninja's DiskInterface is the model if a fake is needed).
#ifndef WHITTLE_UTIL_FILE_UTIL_H_
#define WHITTLE_UTIL_FILE_UTIL_H_

#include <cstddef>
#include <string>

#include "util/status.h"

namespace whittle {

/// Reads all of |path| ("-" reads stdin) if it holds at most |max_bytes|.
/// Errors name the file, one line each:
///   kNotFound  "PATH: cannot open: No such file or directory" (also ENOTDIR)
///   kIo        "PATH: cannot open: Permission denied" (any other open error)
///   kIo        "PATH: is a directory"
///   kTooLarge  "PATH: larger than MAX bytes" (checked before reading when
///              the size is known, so a huge file is not read)
///   kIo        "PATH: read failed: STRERROR"
/// Interrupted reads (EINTR) are retried. stdin is not closed.
Result<std::string> ReadFileToString(const std::string& path, size_t max_bytes);

}  // namespace whittle

#endif  // WHITTLE_UTIL_FILE_UTIL_H_
