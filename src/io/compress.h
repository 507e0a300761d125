// Compression filters: ByteSinks that compress into another ByteSink, the
// writing counterparts of decompress.h. gzip uses ISA-L's igzip deflate,
// zstd libzstd.
//
// The input is cut into fixed chunks (kCompressChunk bytes) and each chunk
// becomes one gzip member or one zstd frame; the members are written in
// order, so the output is one valid stream (gzip and zstd readers accept
// concatenated members/frames; decompress.h does). Chunks are compressed on
// up to |threads| worker threads while the caller goes on writing, and the
// output depends only on the input and the level, never on |threads|: the
// same tar gives the same blob digest on any machine.
#ifndef WHITTLE_IO_COMPRESS_H_
#define WHITTLE_IO_COMPRESS_H_

#include <cstddef>
#include <memory>
#include <string>

#include "io/byte_sink.h"
#include "io/compression.h"
#include "util/status.h"

namespace whittle {

inline constexpr size_t kCompressChunk = size_t{8} << 20;

struct CompressOptions {
  Compression compression = Compression::kGzip;
  /// gzip: ISA-L level 0..3 (default 1, igzip's default); zstd: 1..19
  /// (default 3, zstd's default). -1 = the default.
  int level = -1;
  /// Chunks compressed at once (>= 1).
  unsigned threads = 1;
};

/// Compresses what is written into |out| (not owned; must outlive the
/// returned sink). kNone passes bytes through unchanged. Close() writes
/// the last chunk and waits for every worker; it does not close |out|.
std::unique_ptr<ByteSink> MakeCompressor(const CompressOptions& options, ByteSink* out);

/// One chunk compressed as a complete gzip member / zstd frame (what the
/// workers run); exposed for tests.
Result<std::string> CompressChunk(Compression c, int level, const void* data, size_t n);

}  // namespace whittle

#endif  // WHITTLE_IO_COMPRESS_H_
