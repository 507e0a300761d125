#include "image/resolve.h"

#include <optional>
#include <utility>

#include "image/image_config.h"
#include "io/compression.h"
#include "util/strings.h"

namespace whittle {
namespace {

// Locates |b| in |store| (fills b->location); kNotFound "ROOT: blob D (WHAT) not found".
Status Locate(BlobStore& store, BlobRef* b, const std::string& what) {
  ASSIGN_OR_RETURN(b->location, store.Location(*b));
  auto size = store.Size(*b);
  if (size) return Status::Ok();
  if (size.error().code() != Errc::kNotFound) return size.error();  // e.g. a link leaving the layout
  return Error(Errc::kNotFound, StrFormat("%s: blob %s (%s) not found", store.name().c_str(),
                                          b->digest.c_str(), what.c_str()));
}

}  // namespace

BlobRef BlobRefOf(const Descriptor& d) {
  BlobRef b;
  b.digest = d.digest;
  b.media_type = d.media_type;
  b.size = d.size;
  return b;
}

Result<ManifestDoc> ReadManifest(BlobStore& store, const Descriptor& d, const std::string& what,
                                 BlobRef* ref, std::string* text) {
  *ref = BlobRefOf(d);
  RETURN_IF_ERROR(Locate(store, ref, what));
  ASSIGN_OR_RETURN(*text, ReadJsonBlob(store, *ref));
  return ParseManifestDoc(*text, ref->location);
}

Status ResolveDescriptor(BlobStore& store, const Descriptor& d, const Platform& want,
                         Image* image) {
  BlobRef ref;
  std::string text;
  ASSIGN_OR_RETURN(ManifestDoc doc, ReadManifest(store, d, "manifest", &ref, &text));
  return ResolveManifest(store, ref, std::move(text), doc, want, image);
}

Status ResolveToImageManifest(BlobStore& store, const Platform& want, BlobRef* ref, std::string* text,
                              ManifestDoc* doc) {
  for (int depth = 0; doc->is_index; ++depth) {
    if (depth >= kMaxIndexDepth) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s: image indexes nested more than %d deep", ref->location.c_str(),
                             kMaxIndexDepth));
    }
    if (doc->manifests.empty()) {
      return Error(Errc::kNotFound, StrFormat("%s: empty image index", ref->location.c_str()));
    }
    ASSIGN_OR_RETURN(size_t pick, PickPlatform(store, doc->manifests, want, ref->location));
    const Descriptor entry = doc->manifests[pick];  // a copy: *doc is replaced
    ASSIGN_OR_RETURN(*doc, ReadManifest(store, entry, "manifest", ref, text));
  }
  return Status::Ok();
}

Status ResolveManifest(BlobStore& store, const BlobRef& ref, std::string text,
                       const ManifestDoc& doc, const Platform& want, Image* image) {
  if (!doc.is_index) return FillFromManifest(store, ref, std::move(text), doc, image);
  BlobRef mref = ref;
  ManifestDoc mdoc = doc;
  RETURN_IF_ERROR(ResolveToImageManifest(store, want, &mref, &text, &mdoc));
  return FillFromManifest(store, mref, std::move(text), mdoc, image);
}

Result<size_t> PickPlatform(BlobStore& store, const std::vector<Descriptor>& ds,
                            const Platform& want, const std::string& where) {
  if (ds.size() == 1) return size_t{0};
  std::vector<size_t> matches;
  std::string available;
  for (size_t i = 0; i < ds.size(); ++i) {
    const Descriptor& d = ds[i];
    if (!d.platform || d.platform->os == "unknown") continue;
    if (!store.Exists(BlobRefOf(d))) continue;
    if (!available.empty()) available += ", ";
    available += d.platform->ToString();
    if (PlatformMatches(want, *d.platform)) matches.push_back(i);
  }
  if (matches.size() == 1) return matches[0];
  if (matches.empty()) {
    return Error(Errc::kNotFound,
                 StrFormat("%s: no image for platform %s; available: %s (choose with --platform)",
                           where.c_str(), want.ToString().c_str(),
                           available.empty() ? "none" : available.c_str()));
  }
  std::string choices;
  for (size_t i : matches) {
    if (!choices.empty()) choices += ", ";
    choices += ds[i].platform->ToString();
  }
  return Error(Errc::kUsage,
               StrFormat("%s: several images match platform %s: %s (choose with --platform "
                         "os/arch/variant)",
                         where.c_str(), want.ToString().c_str(), choices.c_str()));
}

Status FillFromManifest(BlobStore& store, const BlobRef& manifest, std::string manifest_text,
                        const ManifestDoc& doc, Image* image) {
  const std::string& mwhere = manifest.location;
  const std::string& ctype = doc.config.media_type;
  if (!ctype.empty() && ctype != "application/vnd.oci.image.config.v1+json" &&
      ctype != "application/vnd.docker.container.image.v1+json") {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not a container image: config media type %s", mwhere.c_str(),
                           EscapeForMessage(ctype).c_str()));
  }
  BlobRef config = BlobRefOf(doc.config);
  RETURN_IF_ERROR(Locate(store, &config, "config"));
  ASSIGN_OR_RETURN(std::string config_text, ReadJsonBlob(store, config));
  RETURN_IF_ERROR(ParseImageConfig(config_text, config.location, image));

  std::vector<LayerRef> layers;
  for (size_t i = 0; i < doc.layers.size(); ++i) {
    const Descriptor& d = doc.layers[i];
    std::optional<Compression> c = CompressionFromMediaType(d.media_type);
    if (!c) {
      return Error(Errc::kUnsupported,
                   StrFormat("%s: layers[%zu] (layer %zu): unsupported layer media type '%s'",
                             mwhere.c_str(), i, i + 1, EscapeForMessage(d.media_type).c_str()));
    }
    LayerRef layer;
    layer.blob = BlobRefOf(d);
    layer.compression = *c;
    RETURN_IF_ERROR(Locate(store, &layer.blob, StrFormat("layer %zu", i + 1)));
    ASSIGN_OR_RETURN(uint64_t stored, store.Size(layer.blob));
    if (d.size >= 0 && stored != static_cast<uint64_t>(d.size)) {
      return Error(Errc::kDigestMismatch,
                   StrFormat("%s: layer %zu is %llu bytes, the manifest says %lld",
                             layer.blob.location.c_str(), i + 1,
                             static_cast<unsigned long long>(stored),
                             static_cast<long long>(d.size)));
    }
    layers.push_back(std::move(layer));
  }
  if (image->diff_ids.size() != layers.size()) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: rootfs.diff_ids has %zu entries but the manifest %s has %zu layers",
                           config.location.c_str(), image->diff_ids.size(), mwhere.c_str(),
                           layers.size()));
  }
  for (size_t i = 0; i < layers.size(); ++i) layers[i].diff_id = image->diff_ids[i];

  image->manifest = manifest;
  image->manifest_json = std::move(manifest_text);
  image->config = std::move(config);
  image->config_json = std::move(config_text);
  image->layers = std::move(layers);
  return Status::Ok();
}

}  // namespace whittle
