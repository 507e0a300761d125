// Decompression filters: ByteSources that inflate another ByteSource.
// gzip uses ISA-L's igzip inflate (several times zlib's speed), zstd uses
// libzstd's streaming API. Both accept concatenated members/frames (pigz
// and zstd --rsyncable outputs, estargz) and fail with kCorrupt naming the
// compressed offset on truncated or damaged input.
#ifndef WHITTLE_IO_DECOMPRESS_H_
#define WHITTLE_IO_DECOMPRESS_H_

#include <memory>

#include "io/byte_source.h"
#include "io/compression.h"

namespace whittle {

/// Wraps |inner| (compressed bytes) in a decompressor for |c|; kNone returns
/// |inner| unchanged. position() counts decompressed bytes; blob_position()
/// is the approximate matching offset in |inner| (see byte_source.h).
std::unique_ptr<ByteSource> MakeDecompressor(Compression c, std::unique_ptr<ByteSource> inner);

}  // namespace whittle

#endif  // WHITTLE_IO_DECOMPRESS_H_
