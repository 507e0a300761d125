// Compression: how a layer blob's bytes are stored (none, gzip, zstd), and
// the two ways whittle learns it: from the layer's media type when a
// manifest names one, else from the blob's first bytes. Pure functions over
// names and bytes; the decompressors themselves are in decompress.h.
#ifndef WHITTLE_IO_COMPRESSION_H_
#define WHITTLE_IO_COMPRESSION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace whittle {

enum class Compression : uint8_t { kNone, kGzip, kZstd };

/// "gzip", "zstd" or "none".
const char* CompressionName(Compression c);

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

#endif  // WHITTLE_IO_COMPRESSION_H_
