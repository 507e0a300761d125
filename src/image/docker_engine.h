// The Docker Engine API as an image source (`docker-daemon:NAME[:TAG]`):
// the Engine's export of one image, GET /images/NAME/get, is a docker save
// archive, read as a stream (stream_archive.h) straight off the socket. The
// same API is served by `podman system service`.
//
// Where the Engine is: $DOCKER_HOST (unix:///path or tcp://host:port, the
// latter as plain http), else unix:///var/run/docker.sock.
#ifndef WHITTLE_IMAGE_DOCKER_ENGINE_H_
#define WHITTLE_IMAGE_DOCKER_ENGINE_H_

#include <memory>
#include <string>

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

}  // namespace whittle

#endif  // WHITTLE_IMAGE_DOCKER_ENGINE_H_
