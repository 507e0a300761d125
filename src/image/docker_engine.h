// The Docker Engine API as an image source (`docker-daemon:NAME[:TAG]`):
// the Engine's export of one image, GET /images/NAME/get, is a docker save
// archive, read as a stream (stream_archive.h) straight off the socket. The
// same API is served by `podman system service`.
//
// `history` needs no export: GET /images/NAME/json (RootFS layers, the
// config digest) and GET /images/NAME/history (the Engine's rows, with its
// own SIZE) describe the image without reading a layer (ReadEngineImage).
//
// Where the Engine is: $DOCKER_HOST (unix:///path or tcp://host:port, the
// latter as plain http), else unix:///var/run/docker.sock.
#ifndef WHITTLE_IMAGE_DOCKER_ENGINE_H_
#define WHITTLE_IMAGE_DOCKER_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image/image.h"

#include "io/byte_source.h"
#include "util/status.h"

namespace whittle {

struct EngineEndpoint {
  std::string unix_socket;  // set for unix://
  std::string base_url;     // "http://localhost" for a socket, "http://host:port" for tcp://
  std::string display;      // what the user configured, for messages
};

/// The endpoint $DOCKER_HOST names (kUsage for a scheme other than unix://
/// or tcp://), or the default socket.
Result<EngineEndpoint> EngineFromEnvironment();

/// Streams the Engine's export of image |name| (a docker save archive).
/// Errors: kNotFound "docker-daemon:NAME: no such image (ENGINE: MESSAGE)",
/// kIo when the Engine cannot be reached (naming the socket).
Result<std::unique_ptr<ByteSource>> OpenEngineExport(const EngineEndpoint& engine, const std::string& name);

/// "NAME[:TAG]" as the Engine wants it, from a docker-daemon: reference
/// (which the reference parser split at the first ':').
std::string DockerDaemonName(const ImageReference& ref);

/// What the Engine says of an image without exporting it.
struct EngineImage {
  /// layers: one per RootFS layer, with its diff_id (no blob: the Engine
  /// keeps none); history: the Engine's rows, oldest first; blobs: null.
  Image image;
  /// The Engine's SIZE of each layer (its own accounting of the layer's
  /// files, not tar bytes); unknown when the rows could not be matched.
  std::vector<std::optional<uint64_t>> layer_sizes;
};

/// GET /images/NAME/json and /images/NAME/history. The Engine's history has
/// no empty_layer flag: a row with a size made a layer; among rows of size
/// 0, those whose instruction makes no layer (ENV, CMD, "#(nop)" but ADD
/// and COPY...) are taken as empty when that leaves exactly one row per
/// layer. Otherwise the rows do not match the layers (every entry is marked
/// as making one, so the history view falls back to "[layer N]" rows).
/// Errors as OpenEngineExport, and kCorrupt for JSON that is not the API's.
Result<EngineImage> ReadEngineImage(const EngineEndpoint& engine, const std::string& name);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_DOCKER_ENGINE_H_
