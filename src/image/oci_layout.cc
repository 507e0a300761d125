#include "image/oci_layout.h"

#include <set>
#include <utility>
#include <vector>

#include "image/image_config.h"
#include "io/compression.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr int kMaxIndexDepth = 4;
constexpr size_t kMaxManifestsWalked = 256;

BlobRef RefOf(const Descriptor& d) {
  BlobRef b;
  b.digest = d.digest;
  b.media_type = d.media_type;
  b.size = d.size;
  return b;
}

// Locates |b| in |store| (fills b->location); kNotFound "ROOT: blob D (WHAT) not found".
Status Locate(LayoutStore& store, BlobRef* b, const std::string& what) {
  ASSIGN_OR_RETURN(std::string rel, store.BlobPath(*b));
  b->location = store.Location(rel);
  auto size = store.PathSize(rel);
  if (size) return Status::Ok();
  if (size.error().code() != Errc::kNotFound) return size.error();  // e.g. a link leaving the layout
  return Error(Errc::kNotFound, StrFormat("%s: blob %s (%s) not found", store.root_name().c_str(),
                                          b->digest.c_str(), what.c_str()));
}

// The name an index.json entry gives its image ("" when none).
std::string EntryName(const Descriptor& d) {
  std::string n = d.Annotation(kContainerdNameAnnotation);
  if (n.empty()) n = d.Annotation(kRefNameAnnotation);
  return n;
}

std::string DescribeEntries(const std::vector<Descriptor>& ds) {
  std::string out;
  for (size_t i = 0; i < ds.size(); ++i) {
    if (i) out += ", ";
    std::string name = EntryName(ds[i]);
    out += name.empty() ? "(no name)" : name;
    out += StrFormat(" (@%zu", i);
    if (ds[i].platform) out += ", " + ds[i].platform->ToString();
    out += ")";
  }
  return out;
}

Result<ManifestDoc> ReadDoc(LayoutStore& store, const Descriptor& d, const std::string& what,
                            BlobRef* ref, std::string* text) {
  *ref = RefOf(d);
  RETURN_IF_ERROR(Locate(store, ref, what));
  ASSIGN_OR_RETURN(*text, ReadJsonBlob(store, *ref));
  return ParseManifestDoc(*text, ref->location);
}

Status ResolveDescriptor(LayoutStore& store, const Descriptor& d, const Platform& want, int depth,
                         Image* image) {
  BlobRef ref;
  std::string text;
  ASSIGN_OR_RETURN(ManifestDoc doc, ReadDoc(store, d, "manifest", &ref, &text));
  if (!doc.is_index) return FillFromManifest(store, ref, std::move(text), doc, image);
  if (depth >= kMaxIndexDepth) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: image indexes nested more than %d deep", ref.location.c_str(),
                           kMaxIndexDepth));
  }
  if (doc.manifests.empty()) {
    return Error(Errc::kNotFound, StrFormat("%s: empty image index", ref.location.c_str()));
  }
  ASSIGN_OR_RETURN(size_t pick, PickPlatform(store, doc.manifests, want, ref.location));
  return ResolveDescriptor(store, doc.manifests[pick], want, depth + 1, image);
}

}  // namespace

Result<size_t> PickPlatform(LayoutStore& store, const std::vector<Descriptor>& ds,
                            const Platform& want, const std::string& where) {
  if (ds.size() == 1) return size_t{0};
  std::vector<size_t> matches;
  std::string available;
  for (size_t i = 0; i < ds.size(); ++i) {
    const Descriptor& d = ds[i];
    if (!d.platform || d.platform->os == "unknown") continue;
    BlobRef b = RefOf(d);
    auto rel = store.BlobPath(b);
    if (!rel || !store.Exists(*rel)) continue;
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

Status FillFromManifest(LayoutStore& store, const BlobRef& manifest, std::string manifest_text,
                        const ManifestDoc& doc, Image* image) {
  const std::string& mwhere = manifest.location;
  const std::string& ctype = doc.config.media_type;
  if (!ctype.empty() && ctype != "application/vnd.oci.image.config.v1+json" &&
      ctype != "application/vnd.docker.container.image.v1+json") {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not a container image: config media type %s", mwhere.c_str(),
                           EscapeForMessage(ctype).c_str()));
  }
  BlobRef config = RefOf(doc.config);
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
    layer.blob = RefOf(d);
    layer.compression = *c;
    RETURN_IF_ERROR(Locate(store, &layer.blob, StrFormat("layer %zu", i + 1)));
    ASSIGN_OR_RETURN(uint64_t stored, store.StoredSize(layer.blob));
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

Status ResolveOciLayout(LayoutStore& store, const ImageReference& ref, const Platform& want,
                        const std::string& hint, Image* image) {
  BlobRef index;
  index.path = "index.json";
  index.location = store.Location(index.path);
  if (!store.Exists(index.path)) {
    return Error(Errc::kNotFound, StrFormat("%s: not an OCI layout: no index.json",
                                            store.root_name().c_str()));
  }
  ASSIGN_OR_RETURN(std::string text, ReadJsonBlob(store, index));
  ASSIGN_OR_RETURN(ManifestDoc doc, ParseManifestDoc(text, index.location));
  if (!doc.is_index) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: not an image index (no manifests array)", index.location.c_str()));
  }
  const std::vector<Descriptor>& all = doc.manifests;
  if (all.empty()) {
    return Error(Errc::kNotFound, StrFormat("%s: no images in the layout", index.location.c_str()));
  }

  std::vector<Descriptor> cands;
  if (ref.index >= 0) {
    if (static_cast<size_t>(ref.index) >= all.size()) {
      return Error(Errc::kNotFound, StrFormat("%s: no image @%d; the layout has: %s",
                                              index.location.c_str(), ref.index,
                                              DescribeEntries(all).c_str()));
    }
    cands.push_back(all[ref.index]);
  } else if (!ref.ref.empty()) {
    for (const Descriptor& d : all) {
      if (RefMatches(ref.ref, d.Annotation(kRefNameAnnotation)) ||
          RefMatches(ref.ref, d.Annotation(kContainerdNameAnnotation))) {
        cands.push_back(d);
      }
    }
    if (cands.empty()) {
      return Error(Errc::kNotFound, StrFormat("%s: no image named '%s'; the layout has: %s",
                                              index.location.c_str(),
                                              EscapeForMessage(ref.ref).c_str(),
                                              DescribeEntries(all).c_str()));
    }
  } else {
    cands = all;
  }

  size_t pick = 0;
  if (cands.size() > 1) {
    // One image in several platforms (every entry has a platform and they
    // share a name), or several images: the latter needs a ref.
    std::set<std::string> names;
    bool all_platforms = true;
    for (const Descriptor& d : cands) {
      names.insert(EntryName(d));
      if (!d.platform || d.IsIndex()) all_platforms = false;
    }
    if (names.size() > 1 || !all_platforms) {
      return Error(Errc::kUsage,
                   StrFormat("%s: %zu images; choose one with %s:REF or %s:@N: %s",
                             index.location.c_str(), cands.size(), hint.c_str(), hint.c_str(),
                             DescribeEntries(cands).c_str()));
    }
    ASSIGN_OR_RETURN(pick, PickPlatform(store, cands, want, index.location));
  }
  const Descriptor& chosen = cands[pick];
  RETURN_IF_ERROR(ResolveDescriptor(store, chosen, want, 0, image));
  image->name = EntryName(chosen);
  return Status::Ok();
}

Result<bool> ResolveOciByConfigDigest(LayoutStore& store, const std::string& config_digest,
                                      Image* image) {
  BlobRef index;
  index.path = "index.json";
  index.location = store.Location(index.path);
  ASSIGN_OR_RETURN(std::string text, ReadJsonBlob(store, index));
  ASSIGN_OR_RETURN(ManifestDoc top, ParseManifestDoc(text, index.location));
  // Breadth-first over indexes; only blobs present in the archive are read
  // (Docker's containerd store saves indexes naming absent platforms).
  std::vector<std::pair<Descriptor, int>> queue;
  for (const Descriptor& d : top.manifests) queue.emplace_back(d, 0);
  for (size_t qi = 0; qi < queue.size() && qi < kMaxManifestsWalked; ++qi) {
    const Descriptor d = queue[qi].first;
    const int depth = queue[qi].second;
    BlobRef ref = RefOf(d);
    auto rel = store.BlobPath(ref);
    if (!rel || !store.Exists(*rel)) continue;
    std::string mtext;
    ASSIGN_OR_RETURN(ManifestDoc doc, ReadDoc(store, d, "manifest", &ref, &mtext));
    if (doc.is_index) {
      if (depth < kMaxIndexDepth) {
        for (const Descriptor& c : doc.manifests) queue.emplace_back(c, depth + 1);
      }
      continue;
    }
    if (doc.config.digest == config_digest) {
      RETURN_IF_ERROR(FillFromManifest(store, ref, std::move(mtext), doc, image));
      return true;
    }
  }
  return false;
}

}  // namespace whittle
