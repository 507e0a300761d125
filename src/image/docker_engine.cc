#include "image/docker_engine.h"

#include <cstdlib>
#include <ctime>
#include <string_view>

#include "image/json_util.h"
#include "image/reference.h"
#include "net/http.h"
#include "util/strings.h"

namespace whittle {

namespace {

constexpr size_t kMaxEngineJson = 16u << 20;

// GET PATH on the Engine, 200 only; errors as OpenEngineExport.
Result<std::string> EngineGet(const EngineEndpoint& engine, const std::string& name, const std::string& path) {
  HttpRequest req;
  req.url = engine.base_url + "/images/" + UrlEscape(name, "/:@") + path;
  req.unix_socket = engine.unix_socket;
  std::string label = "docker-daemon:" + name;
  auto r = HttpFetch(req, kMaxEngineJson);
  if (!r) {
    return Error(r.error().code(), StrFormat("%s: cannot reach the Docker Engine at %s: %s", label.c_str(),
                                             engine.display.c_str(), r.error().message().c_str()));
  }
  if (r->status == 200) return std::move(r->body);
  std::string msg = HttpErrorMessage(r->body);
  if (msg.empty()) msg = StrFormat("HTTP %ld", r->status);
  if (r->status == 404) {
    return Error(Errc::kNotFound,
                 StrFormat("%s: no such image (%s: %s)", label.c_str(), engine.display.c_str(), msg.c_str()));
  }
  return Error(Errc::kIo, StrFormat("%s: the Docker Engine at %s answered %ld: %s", label.c_str(),
                                    engine.display.c_str(), r->status, msg.c_str()));
}

// Unix seconds -> "2024-05-01T10:11:12Z"; "" for 0 or less (unknown).
std::string Rfc3339(int64_t seconds) {
  if (seconds <= 0) return "";
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return "";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Whether a history entry's instruction is one that never makes a layer:
// the classic builder's "#(nop)" metadata (not ADD or COPY), and BuildKit's
// metadata instructions.
bool MakesNoLayer(std::string_view by) {
  size_t nop = by.find("#(nop)");
  if (nop != std::string_view::npos) {
    std::string_view rest = by.substr(nop + 6);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    return !StartsWith(rest, "ADD ") && !StartsWith(rest, "COPY ");
  }
  static constexpr std::string_view kMetadata[] = {
      "ENV ",    "CMD ",       "LABEL ",  "EXPOSE ",      "ENTRYPOINT ", "USER ",       "VOLUME ",
      "ARG ",    "ONBUILD ",   "SHELL ",  "STOPSIGNAL ",  "HEALTHCHECK ", "MAINTAINER "};
  for (std::string_view m : kMetadata) {
    if (StartsWith(by, m)) return true;
  }
  return false;
}

struct EngineRow {
  HistoryEntry entry;
  uint64_t size = 0;
};

// Marks entry.empty_layer so that exactly |layers| rows make a layer (see
// ReadEngineImage); false when no such marking is found.
bool MarkEmptyRows(size_t layers, std::vector<EngineRow>* rows) {
  size_t sized = 0, maybe = 0;
  for (const EngineRow& r : *rows) {
    if (r.size > 0) {
      ++sized;
    } else if (!MakesNoLayer(r.entry.created_by)) {
      ++maybe;
    }
  }
  if (sized > layers) return false;
  size_t zero_rows = rows->size() - sized;
  const size_t need = layers - sized;
  // Every zero row a layer, or exactly the zero rows whose instruction can make one.
  const bool all_zero_rows = zero_rows == need;
  if (!all_zero_rows && maybe != need) return false;
  for (EngineRow& r : *rows) {
    r.entry.empty_layer = r.size == 0 && !all_zero_rows && MakesNoLayer(r.entry.created_by);
  }
  return true;
}

}  // namespace

std::string DockerDaemonName(const ImageReference& ref) {
  std::string image = ref.path;
  if (ref.index >= 0) image += ":@" + std::to_string(ref.index);
  if (!ref.ref.empty()) image += ":" + ref.ref;
  return image;
}

Result<EngineImage> ReadEngineImage(const EngineEndpoint& engine, const std::string& name) {
  const std::string label = "docker-daemon:" + name;
  ASSIGN_OR_RETURN(std::string inspect_text, EngineGet(engine, name, "/json"));
  ASSIGN_OR_RETURN(std::string history_text, EngineGet(engine, name, "/history"));
  EngineImage out;
  Image& image = out.image;
  image.reference = label;
  image.format = "docker-daemon";
  image.name = name;

  const std::string inspect_where = label + ": /images/json";
  ASSIGN_OR_RETURN(Json inspect, ParseJson(inspect_text, inspect_where));
  JsonFields top(inspect, inspect_where);
  RETURN_IF_ERROR(top.String("Id", &image.config.digest, true));
  RETURN_IF_ERROR(top.String("Os", &image.os));
  RETURN_IF_ERROR(top.String("Architecture", &image.architecture));
  RETURN_IF_ERROR(top.String("Variant", &image.variant));
  RETURN_IF_ERROR(top.String("Created", &image.created));
  const Json* rootfs = nullptr;
  RETURN_IF_ERROR(top.Object("RootFS", &rootfs, true));
  JsonFields rootfs_fields(*rootfs, inspect_where, "RootFS");
  const Json* layers = nullptr;
  RETURN_IF_ERROR(rootfs_fields.Array("Layers", &layers));
  if (layers != nullptr) {
    for (size_t i = 0; i < layers->size(); ++i) {
      if (!(*layers)[i].is_string()) {
        return Error(Errc::kCorrupt, StrFormat("%s: RootFS.Layers[%zu]: want a string, got %s", inspect_where.c_str(),
                                               i, JsonTypeName((*layers)[i])));
      }
      LayerRef l;
      l.diff_id = (*layers)[i].get<std::string>();
      image.diff_ids.push_back(l.diff_id);
      image.layers.push_back(std::move(l));
    }
  }

  const std::string history_where = label + ": /images/history";
  ASSIGN_OR_RETURN(Json history, ParseJson(history_text, history_where));
  if (!history.is_array()) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: want an array, got %s", history_where.c_str(), JsonTypeName(history)));
  }
  std::vector<EngineRow> rows;
  for (size_t i = history.size(); i-- > 0;) {  // the Engine lists newest first
    JsonFields row(history[i], history_where, StrFormat("[%zu]", i));
    if (!history[i].is_object()) {
      return Error(Errc::kCorrupt, StrFormat("%s: [%zu]: want an object, got %s", history_where.c_str(), i,
                                             JsonTypeName(history[i])));
    }
    EngineRow r;
    int64_t created = 0, size = 0;
    RETURN_IF_ERROR(row.Int64("Created", &created));
    RETURN_IF_ERROR(row.String("CreatedBy", &r.entry.created_by));
    RETURN_IF_ERROR(row.String("Comment", &r.entry.comment));
    RETURN_IF_ERROR(row.Int64("Size", &size));
    if (size < 0) return row.Fail("Size", "negative");
    r.entry.created = Rfc3339(created);
    r.size = static_cast<uint64_t>(size);
    rows.push_back(std::move(r));
  }
  out.layer_sizes.assign(image.layers.size(), std::nullopt);
  const bool matched = MarkEmptyRows(image.layers.size(), &rows);
  size_t next = 0;
  for (EngineRow& r : rows) {
    if (matched && !r.entry.empty_layer) out.layer_sizes[next++] = r.size;
    image.history.push_back(std::move(r.entry));
  }
  return out;
}

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
