// Transport: how a reference names where an image is, as one table row per
// transport (the skopeo prefixes `docker-archive:`, `oci:`, `oci-archive:`,
// `dir:`). ParseImageReference() reads the prefixes from the table and
// OpenImage() calls the row's opener, so adding a transport is one opener
// function and one row (docs/architecture.md, "Adding a transport").
//
// An opener makes the transport's BlobStore (a directory, an indexed tar;
// later a registry client) and resolves the image in it with the format's
// resolver (docker_archive.h, oci_layout.h, dir_layout.h, or resolve.h
// directly for a source that names blobs only by digest).
#ifndef WHITTLE_IMAGE_TRANSPORT_H_
#define WHITTLE_IMAGE_TRANSPORT_H_

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "io/byte_source.h"
#include "util/status.h"

namespace whittle {

struct Image;
struct ImageReference;
struct Platform;

struct Transport {
  /// Image::format and messages: "docker-archive", "oci", "oci-archive", "dir".
  const char* name;
  /// What the user types before the path: "docker-archive:".
  std::string_view prefix;
  /// Whether `PREFIX PATH:NAME` / `:@N` may select one image of several
  /// (false: ParseImageReference rejects a name after the path).
  bool selects_image;
  /// Opens the container at ref.path (ref.transport is this row) and
  /// resolves the image ref selects for platform |want| into |image|: every
  /// field but |reference| and |format|, including |blobs|. Errors name the
  /// file and the blob or offset.
  /// nullptr for a source that can only be read once, front to back.
  Status (*open)(const ImageReference& ref, const Platform& want, Image* image);
  /// For such a source (the Docker Engine's export), instead of |open|:
  /// the docker save archive ref names as a stream, and in |name| how
  /// messages name it. It is read by stream_archive.h. nullptr otherwise.
  Result<std::unique_ptr<ByteSource>> (*open_stream)(const ImageReference& ref, std::string* name);
  /// The layers are fetched over the network (docker://) or exported by an
  /// Engine (docker-daemon:): a verb that needs only the manifest and
  /// config (history) describes the image without them.
  bool remote_layers = false;
};

/// Every transport whittle reads, in the order error messages list them.
std::span<const Transport> Transports();

/// The row named |name| ("oci"), or nullptr.
const Transport* FindTransport(std::string_view name);

/// t->name, or "auto" for nullptr (a bare path, detected by content).
const char* TransportName(const Transport* t);

/// "docker-archive:app.tar": how the user names the container of |ref| with
/// its transport (ref.transport must be set); ambiguity errors suggest
/// appending ":NAME" or ":@N" to it.
std::string TransportHint(const ImageReference& ref);

/// A bare path to a file (no transport typed): indexes the tar once, then
/// reads it as a docker save archive when it has manifest.json, else as an
/// OCI archive when it has index.json and oci-layout; sets ref->transport to
/// the row it chose. Otherwise the same contract as Transport::open.
Status OpenArchiveByContent(ImageReference* ref, const Platform& want, Image* image);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_TRANSPORT_H_
