#include "image/docker_archive.h"

#include <vector>

#include "image/image_config.h"
#include "image/json_util.h"
#include "image/oci_layout.h"
#include "io/compression.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

struct Entry {
  std::string config;
  std::vector<std::string> repo_tags;
  std::vector<std::string> layers;
};

Status ReadStringArray(const JsonFields& f, const char* key, bool required,
                       std::vector<std::string>* out) {
  const Json* arr = nullptr;
  RETURN_IF_ERROR(f.Array(key, &arr, required));
  if (arr == nullptr) return Status::Ok();
  for (size_t i = 0; i < arr->size(); ++i) {
    const Json& v = (*arr)[i];
    if (!v.is_string()) {
      return f.Fail(key, StrFormat("[%zu]: expected a string, got %s", i, JsonTypeName(v)));
    }
    out->push_back(v.get_ref<const std::string&>());
  }
  return Status::Ok();
}

Result<std::vector<Entry>> ParseDockerManifest(std::string_view text, const std::string& where) {
  ASSIGN_OR_RETURN(Json j, ParseJson(text, where));
  if (!j.is_array()) {
    return Error(Errc::kCorrupt, StrFormat("%s: expected a JSON array, got %s", where.c_str(),
                                           JsonTypeName(j)));
  }
  std::vector<Entry> entries;
  for (size_t i = 0; i < j.size(); ++i) {
    const Json& e = j[i];
    std::string field = StrFormat("[%zu]", i);
    if (!e.is_object()) {
      return Error(Errc::kCorrupt, StrFormat("%s: %s: expected an object, got %s", where.c_str(),
                                             field.c_str(), JsonTypeName(e)));
    }
    JsonFields f(e, where, field);
    Entry entry;
    RETURN_IF_ERROR(f.String("Config", &entry.config, true));
    RETURN_IF_ERROR(ReadStringArray(f, "RepoTags", false, &entry.repo_tags));
    RETURN_IF_ERROR(ReadStringArray(f, "Layers", true, &entry.layers));
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    return Error(Errc::kNotFound, StrFormat("%s: no images listed", where.c_str()));
  }
  return entries;
}

std::string DescribeEntries(const std::vector<Entry>& es) {
  std::string out;
  for (size_t i = 0; i < es.size(); ++i) {
    if (i) out += ", ";
    out += es[i].repo_tags.empty() ? std::string("(untagged)") : es[i].repo_tags[0];
    out += StrFormat(" (@%zu)", i);
  }
  return out;
}

// The digest a docker save member name carries: "<hex>.json",
// "sha256:<hex>", ".../sha256/<hex>"; "" when none.
std::string DigestFromMemberName(std::string_view path) {
  std::string_view base = path.substr(path.rfind('/') == std::string_view::npos
                                          ? 0
                                          : path.rfind('/') + 1);
  std::string candidate;
  if (StartsWith(base, "sha256:")) {
    candidate = std::string(base);
  } else if (EndsWith(base, ".json")) {
    candidate = "sha256:" + std::string(base.substr(0, base.size() - 5));
  } else if (EndsWith(path, "/sha256/" + std::string(base))) {
    candidate = "sha256:" + std::string(base);
  }
  return IsValidSha256Digest(candidate) ? candidate : std::string();
}

Result<Compression> LayerCompression(LayoutStore& store, const std::string& rel) {
  if (EndsWith(rel, ".gz") || EndsWith(rel, ".tgz")) return Compression::kGzip;
  if (EndsWith(rel, ".zst")) return Compression::kZstd;
  ASSIGN_OR_RETURN(auto src, store.OpenPath(rel));
  unsigned char head[8];
  size_t n = 0;
  while (n < sizeof head) {
    ASSIGN_OR_RETURN(size_t got, src->Read(head + n, sizeof head - n));
    if (got == 0) break;
    n += got;
  }
  return SniffCompression(head, n);
}

}  // namespace

Status ResolveDockerArchive(LayoutStore& store, const ImageReference& ref, const std::string& hint,
                            Image* image) {
  BlobRef mref;
  mref.path = "manifest.json";
  mref.location = store.PathLocation(mref.path);
  if (!store.PathExists(mref.path)) {
    return Error(Errc::kNotFound,
                 StrFormat("%s: not a docker save archive: no manifest.json%s",
                           store.name().c_str(),
                           store.PathExists("index.json") ? " (an OCI archive? use oci-archive:)" : ""));
  }
  ASSIGN_OR_RETURN(std::string mtext, ReadJsonBlob(store, mref));
  ASSIGN_OR_RETURN(std::vector<Entry> entries, ParseDockerManifest(mtext, mref.location));

  size_t pick = 0;
  if (ref.index >= 0) {
    if (static_cast<size_t>(ref.index) >= entries.size()) {
      return Error(Errc::kNotFound, StrFormat("%s: no image @%d; the archive has: %s",
                                              mref.location.c_str(), ref.index,
                                              DescribeEntries(entries).c_str()));
    }
    pick = static_cast<size_t>(ref.index);
  } else if (!ref.ref.empty()) {
    bool found = false;
    for (size_t i = 0; i < entries.size() && !found; ++i) {
      for (const std::string& tag : entries[i].repo_tags) {
        if (RefMatches(ref.ref, tag)) {
          pick = i;
          found = true;
          break;
        }
      }
    }
    if (!found) {
      return Error(Errc::kNotFound, StrFormat("%s: no image tagged '%s'; the archive has: %s",
                                              mref.location.c_str(),
                                              EscapeForMessage(ref.ref).c_str(),
                                              DescribeEntries(entries).c_str()));
    }
  } else if (entries.size() > 1) {
    return Error(Errc::kUsage,
                 StrFormat("%s: %zu images; choose one with %s:NAME:TAG or %s:@N: %s",
                           mref.location.c_str(), entries.size(), hint.c_str(), hint.c_str(),
                           DescribeEntries(entries).c_str()));
  }
  const Entry& entry = entries[pick];
  std::string name = entry.repo_tags.empty() ? std::string() : entry.repo_tags[0];

  ASSIGN_OR_RETURN(std::string config_rel, CheckRelativePath(entry.config, mref.location));
  std::string config_digest = DigestFromMemberName(config_rel);

  // Docker 25+: prefer the OCI manifest that names this config.
  if (!config_digest.empty() && store.PathExists("index.json") && store.PathExists("oci-layout")) {
    ASSIGN_OR_RETURN(bool found, ResolveOciByConfigDigest(store, config_digest, image));
    if (found) {
      if (image->layers.size() != entry.layers.size()) {
        return Error(Errc::kCorrupt,
                     StrFormat("%s: [%zu] lists %zu layers but the OCI manifest %s has %zu",
                               mref.location.c_str(), pick, entry.layers.size(),
                               image->manifest.location.c_str(), image->layers.size()));
      }
      image->name = name;
      return Status::Ok();
    }
  }

  // Legacy layout: paths in manifest.json.
  BlobRef config;
  config.path = config_rel;
  config.digest = config_digest;
  config.location = store.PathLocation(config_rel);
  if (auto size = store.PathSize(config_rel); !size) {
    if (size.error().code() != Errc::kNotFound) return size.error();
    return Error(Errc::kNotFound, StrFormat("%s: config %s not found", store.name().c_str(),
                                            EscapeForMessage(config_rel).c_str()));
  }
  ASSIGN_OR_RETURN(std::string config_text, ReadJsonBlob(store, config));
  RETURN_IF_ERROR(ParseImageConfig(config_text, config.location, image));
  ASSIGN_OR_RETURN(uint64_t config_size, store.PathSize(config_rel));
  config.size = static_cast<int64_t>(config_size);

  if (image->diff_ids.size() != entry.layers.size()) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: rootfs.diff_ids has %zu entries but %s lists %zu layers",
                           config.location.c_str(), image->diff_ids.size(), mref.location.c_str(),
                           entry.layers.size()));
  }
  std::vector<LayerRef> layers;
  for (size_t i = 0; i < entry.layers.size(); ++i) {
    ASSIGN_OR_RETURN(std::string rel, CheckRelativePath(entry.layers[i], mref.location));
    auto size = store.PathSize(rel);
    if (!size) {
      if (size.error().code() != Errc::kNotFound) return size.error();
      return Error(Errc::kNotFound, StrFormat("%s: %s (layer %zu) not found",
                                              store.name().c_str(),
                                              EscapeForMessage(rel).c_str(), i + 1));
    }
    LayerRef layer;
    layer.blob.path = rel;
    layer.blob.location = store.PathLocation(rel);
    layer.blob.size = static_cast<int64_t>(*size);
    ASSIGN_OR_RETURN(layer.compression, LayerCompression(store, rel));
    layer.diff_id = image->diff_ids[i];
    // A layer's digest is known when its name carries it, or when it is an
    // uncompressed tar: then the blob *is* the diff.
    layer.blob.digest = DigestFromMemberName(rel);
    if (layer.blob.digest.empty() && layer.compression == Compression::kNone) {
      layer.blob.digest = layer.diff_id;
    }
    layers.push_back(std::move(layer));
  }

  mref.size = static_cast<int64_t>(mtext.size());
  mref.digest = Sha256::DigestOf(mtext);
  image->manifest = std::move(mref);
  image->manifest_json = std::move(mtext);
  image->config = std::move(config);
  image->config_json = std::move(config_text);
  image->layers = std::move(layers);
  image->name = std::move(name);
  return Status::Ok();
}

}  // namespace whittle
