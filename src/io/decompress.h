// Decompression filters: ByteSources that inflate another ByteSource.
// gzip uses ISA-L's igzip inflate (several times zlib's speed), zstd uses
// libzstd's streaming API. Both accept concatenated members/frames (pigz
// and zstd --rsyncable outputs, estargz) and fail with kCorrupt naming the
// compressed offset on truncated or damaged input.
#ifndef WHITTLE_IO_DECOMPRESS_H_
#define WHITTLE_IO_DECOMPRESS_H_

#include <memory>

#include "image/image.h"  // Compression
#include "io/byte_source.h"

namespace whittle {

/// Wraps |inner| (compressed bytes) in a decompressor for |c|; kNone returns
/// |inner| unchanged. position() counts decompressed bytes; blob_position()
/// is the approximate matching offset in |inner| (see byte_source.h).
std::unique_ptr<ByteSource> MakeDecompressor(Compression c, std::unique_ptr<ByteSource> inner);

/// Guesses the compression from the first bytes of a blob: 1f 8b -> gzip,
/// 28 b5 2f fd (or a skippable frame 5? 2a 4d 18) -> zstd, else kNone.
Compression SniffCompression(const void* head, size_t n);

/// Maps a layer media type to its compression; nullopt for media types that
/// are not layers we can read (e.g. foreign/nondistributable are still
/// layers: handled by name). Accepts OCI and Docker names:
///   application/vnd.oci.image.layer.v1.tar[+gzip|+zstd]
///   application/vnd.oci.image.layer.nondistributable.v1.tar[+gzip|+zstd]
///   application/vnd.docker.image.rootfs.diff.tar[.gzip]
///   application/vnd.docker.image.rootfs.foreign.diff.tar.gzip
std::optional<Compression> CompressionFromMediaType(std::string_view media_type);

}  // namespace whittle

#endif  // WHITTLE_IO_DECOMPRESS_H_
