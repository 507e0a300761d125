#include "image/manifest.h"

#include "image/json_util.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

Result<Descriptor> ParseDescriptor(const Json& j, const std::string& where,
                                   const std::string& field) {
  if (!j.is_object()) {
    return Error(Errc::kCorrupt, StrFormat("%s: %s: expected an object, got %s", where.c_str(),
                                           field.c_str(), JsonTypeName(j)));
  }
  JsonFields f(j, where, field);
  Descriptor d;
  RETURN_IF_ERROR(f.String("mediaType", &d.media_type));
  RETURN_IF_ERROR(f.String("digest", &d.digest, /*required=*/true));
  RETURN_IF_ERROR(f.Int64("size", &d.size));
  if (d.size < -1) return f.Fail("size", "negative");
  if (!IsValidSha256Digest(d.digest)) {
    return f.Fail("digest", StrFormat("invalid or unsupported digest %s (want sha256:<64 "
                                      "lowercase hex>): manifest points outside the layout",
                                      EscapeForMessage(d.digest).c_str()));
  }
  const Json* platform = nullptr;
  RETURN_IF_ERROR(f.Object("platform", &platform));
  if (platform) {
    JsonFields pf(*platform, where, f.Path("platform"));
    Platform p;
    RETURN_IF_ERROR(pf.String("os", &p.os, true));
    RETURN_IF_ERROR(pf.String("architecture", &p.architecture, true));
    RETURN_IF_ERROR(pf.String("variant", &p.variant));
    d.platform = std::move(p);
  }
  const Json* ann = nullptr;
  RETURN_IF_ERROR(f.Object("annotations", &ann));
  if (ann) {
    for (auto it = ann->begin(); it != ann->end(); ++it) {
      if (it->is_string()) d.annotations[it.key()] = it->get_ref<const std::string&>();
    }
  }
  return d;
}

}  // namespace

std::string Descriptor::Annotation(const char* key) const {
  auto it = annotations.find(key);
  return it == annotations.end() ? std::string() : it->second;
}

Result<ManifestDoc> ParseManifestDoc(std::string_view text, const std::string& where) {
  ASSIGN_OR_RETURN(Json j, ParseJson(text, where));
  if (!j.is_object()) {
    return Error(Errc::kCorrupt, StrFormat("%s: expected a JSON object, got %s", where.c_str(),
                                           JsonTypeName(j)));
  }
  JsonFields f(j, where);
  ManifestDoc doc;
  int64_t schema = 0;
  RETURN_IF_ERROR(f.Int64("schemaVersion", &schema));
  RETURN_IF_ERROR(f.String("mediaType", &doc.media_type));
  if (schema == 1 || StartsWith(doc.media_type, "application/vnd.docker.distribution.manifest.v1")) {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: Docker schema 1 manifests are not supported (convert with "
                           "`skopeo copy --format v2s2`)",
                           where.c_str()));
  }
  const Json* manifests = nullptr;
  RETURN_IF_ERROR(f.Array("manifests", &manifests));
  if (doc.media_type == kOciIndexType || doc.media_type == kDockerListType ||
      (doc.media_type.empty() && manifests != nullptr)) {
    doc.is_index = true;
    if (manifests == nullptr) return f.Fail("manifests", "missing");
    for (size_t i = 0; i < manifests->size(); ++i) {
      ASSIGN_OR_RETURN(Descriptor d, ParseDescriptor((*manifests)[i], where,
                                                     StrFormat("manifests[%zu]", i)));
      doc.manifests.push_back(std::move(d));
    }
    return doc;
  }
  if (!doc.media_type.empty() && doc.media_type != kOciManifestType &&
      doc.media_type != kDockerManifestType) {
    return Error(Errc::kUnsupported, StrFormat("%s: unsupported manifest media type %s",
                                               where.c_str(),
                                               EscapeForMessage(doc.media_type).c_str()));
  }
  const Json* config = nullptr;
  RETURN_IF_ERROR(f.Object("config", &config, true));
  ASSIGN_OR_RETURN(doc.config, ParseDescriptor(*config, where, "config"));
  const Json* layers = nullptr;
  RETURN_IF_ERROR(f.Array("layers", &layers, true));
  for (size_t i = 0; i < layers->size(); ++i) {
    ASSIGN_OR_RETURN(Descriptor d,
                     ParseDescriptor((*layers)[i], where, StrFormat("layers[%zu]", i)));
    doc.layers.push_back(std::move(d));
  }
  return doc;
}

}  // namespace whittle
