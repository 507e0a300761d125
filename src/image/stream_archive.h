// Image archives read in one sequential pass: `docker save IMAGE | whittle
// profile -`, a `docker save | gzip` artifact, an oci-archive.tar.zst, and
// (later) the Engine's /images/NAME/get body. No seeking and no spooling to
// disk.
//
//   stream ──[gunzip/unzstd when the archive itself is compressed]──> outer TarReader
//     member by member, in archive order:
//       looks like JSON, <= kMaxJsonBlob  -> kept in memory (manifest.json, index.json,
//                                            configs, manifests, oci-layout)
//       looks like a layer (tar/gzip/zstd)-> handed to the LayerSink as it streams by
//                                            (the scanner), keyed by member path; not kept
//       anything else <= kMaxJsonBlob     -> kept (a tiny layer the sniff missed)
//       links                             -> recorded, followed like TarArchiveStore's
//     at the end: the kept members form a StreamStore (a LayoutStore), and the
//     format resolvers (docker_archive.h, oci_layout.h) run on it unchanged.
//
// A legacy `docker save` writes manifest.json after the layers, so which
// member is which layer is only known at the end: the sink scans every
// layer-like member, and ReadImageStream() says afterwards which member each
// resolved layer came from. Memory stays O(entries) plus the JSON members.
#ifndef WHITTLE_IMAGE_STREAM_ARCHIVE_H_
#define WHITTLE_IMAGE_STREAM_ARCHIVE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image/image.h"
#include "image/platform.h"
#include "image/reference.h"
#include "io/byte_source.h"
#include "io/compression.h"
#include "util/status.h"

namespace whittle {

/// One layer-like member of a streamed archive, as it goes by.
struct StreamedMember {
  std::string path;                              // member path, no leading '/'
  std::string location;                          // "stdin:blobs/sha256/<hex>", for messages
  uint64_t size = 0;                             // stored bytes of the member
  Compression compression = Compression::kNone;  // sniffed from its first bytes
};

/// Consumes |data| (the member's bytes, |member.size| of them; reading past
/// them returns end of stream). What it leaves unread is skipped.
using LayerSink = std::function<Status(const StreamedMember& member, std::unique_ptr<ByteSource> data)>;

/// An image archive to read in one pass.
struct ImageStream {
  /// transport: docker-archive, oci-archive, or nullptr (decided by content).
  ImageReference ref;
  /// The archive's tar bytes (already decompressed when it was compressed).
  std::unique_ptr<ByteSource> source;
  /// The archive in messages: "stdin", the file's path, "docker-daemon:NAME".
  std::string name;
  /// Image::format when the archive came from a stream transport
  /// ("docker-daemon"); "" to use ref.transport's name.
  std::string format;
};

/// When |reference| must be read in one pass, opens it: "-",
/// "docker-archive:-" and "oci-archive:-" read stdin; an archive file (bare
/// path, docker-archive:, oci-archive:) whose content is gzip or zstd is
/// read through the decompressor; a stream transport's row (open_stream,
/// transport.h) opens its own. nullopt for every other reference (read
/// by OpenImage). Errors: kUsage for a bad reference, kNotFound / kIo for
/// the file.
Result<std::optional<ImageStream>> OpenImageStream(const std::string& reference);

/// Reads |stream| to its end, handing every layer-like member to |sink|,
/// then resolves the image stream.ref selects for platform |want| into
/// |image| (every field but reference and format; format is
/// stream.ref.transport after detection, which this sets). |layer_members|
/// gets one entry per image->layers: the member path passed to |sink| for
/// that layer, or "" when the layer's bytes were kept and can be read
/// through image->blobs. Errors name the archive and the member or offset.
Status ReadImageStream(ImageStream& stream, const Platform& want, const LayerSink& sink, Image* image,
                       std::vector<std::string>* layer_members);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_STREAM_ARCHIVE_H_
