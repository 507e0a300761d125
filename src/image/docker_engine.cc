#include "image/docker_engine.h"

#include <cstdlib>

#include "net/http.h"
#include "util/strings.h"

namespace whittle {

Result<EngineEndpoint> EngineFromEnvironment() {
  EngineEndpoint e;
  const char* env = std::getenv("DOCKER_HOST");
  std::string host = env && *env ? env : "unix:///var/run/docker.sock";
  e.display = host;
  if (StartsWith(host, "unix://")) {
    e.unix_socket = host.substr(7);
    e.base_url = "http://localhost";
  } else if (StartsWith(host, "tcp://")) {
    e.base_url = "http://" + host.substr(6);
    while (!e.base_url.empty() && e.base_url.back() == '/') e.base_url.pop_back();
  } else {
    return Error(Errc::kUsage,
                 StrFormat("DOCKER_HOST=%s: want unix:///PATH or tcp://HOST:PORT", EscapeForMessage(host).c_str()));
  }
  if (e.unix_socket.empty() && e.base_url == "http://") {
    return Error(Errc::kUsage, StrFormat("DOCKER_HOST=%s: no host", EscapeForMessage(host).c_str()));
  }
  return e;
}

Result<std::unique_ptr<ByteSource>> OpenEngineExport(const EngineEndpoint& engine, const std::string& name) {
  HttpRequest req;
  req.url = engine.base_url + "/images/" + UrlEscape(name, "/:@") + "/get";
  req.unix_socket = engine.unix_socket;
  std::string label = "docker-daemon:" + name;
  auto stream = HttpOpen(req, label);
  if (!stream) {
    return Error(stream.error().code(), StrFormat("%s: cannot reach the Docker Engine at %s: %s", label.c_str(),
                                                  engine.display.c_str(), stream.error().message().c_str()));
  }
  const HttpResponse& r = stream->response;
  if (r.status == 200) return std::move(stream->body);
  std::string msg = HttpErrorMessage(r.body);
  if (msg.empty()) msg = StrFormat("HTTP %ld", r.status);
  if (r.status == 404) {
    return Error(Errc::kNotFound,
                 StrFormat("%s: no such image (%s: %s)", label.c_str(), engine.display.c_str(), msg.c_str()));
  }
  return Error(Errc::kIo, StrFormat("%s: the Docker Engine at %s answered %ld: %s", label.c_str(),
                                    engine.display.c_str(), r.status, msg.c_str()));
}

}  // namespace whittle
