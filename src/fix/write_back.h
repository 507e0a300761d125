// Reading a Dockerfile for the fixer and writing the results back without
// ever leaving a partial file: every write goes to a temp file in the same
// directory, is flushed, and replaces the target with rename().
//
// `--write` keeps the original: Dockerfile.orig is written first (same
// bytes), then the fixed text replaces the Dockerfile, keeping its
// permission bits. A symlinked Dockerfile is written through to its target.
#ifndef WHITTLE_FIX_WRITE_BACK_H_
#define WHITTLE_FIX_WRITE_BACK_H_

#include <string>
#include <string_view>

#include "util/status.h"

namespace whittle::fix {

/// The whole file ("-" reads stdin), capped at lint::kMaxDockerfileBytes.
/// Errors: "PATH: cannot open: reason" (kNotFound / kIo), kTooLarge.
Result<std::string> ReadDockerfile(const std::string& path);

/// Writes |text| to |path| through a temp file + rename(); |mode| is the
/// new file's permission bits.
Status WriteFileAtomic(const std::string& path, std::string_view text, unsigned mode = 0644);

/// `--write`: saves |original| as PATH.orig, then replaces PATH with
/// |fixed| (both atomically). Nothing is written when they are equal.
Status WriteFixedDockerfile(const std::string& path, std::string_view original, std::string_view fixed);

/// Where the .dockerignore suggestion for |dockerfile| goes:
/// "<dockerfile>.dockerignore.suggested".
std::string SuggestedDockerignorePath(const std::string& dockerfile);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_WRITE_BACK_H_
