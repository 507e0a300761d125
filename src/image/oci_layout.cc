#include "image/oci_layout.h"

#include <set>
#include <utility>
#include <vector>

#include "image/manifest.h"
#include "image/resolve.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr size_t kMaxManifestsWalked = 256;

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

}  // namespace

Status ResolveOciLayout(LayoutStore& store, const ImageReference& ref, const Platform& want,
                        const std::string& hint, Image* image) {
  BlobRef index;
  index.path = "index.json";
  index.location = store.PathLocation(index.path);
  if (!store.PathExists(index.path)) {
    return Error(Errc::kNotFound, StrFormat("%s: not an OCI layout: no index.json",
                                            store.name().c_str()));
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
  RETURN_IF_ERROR(ResolveDescriptor(store, chosen, want, image));
  image->name = EntryName(chosen);
  return Status::Ok();
}

Result<bool> ResolveOciByConfigDigest(LayoutStore& store, const std::string& config_digest,
                                      Image* image) {
  BlobRef index;
  index.path = "index.json";
  index.location = store.PathLocation(index.path);
  ASSIGN_OR_RETURN(std::string text, ReadJsonBlob(store, index));
  ASSIGN_OR_RETURN(ManifestDoc top, ParseManifestDoc(text, index.location));
  // Breadth-first over indexes; only blobs present in the archive are read
  // (Docker's containerd store saves indexes naming absent platforms).
  std::vector<std::pair<Descriptor, int>> queue;
  for (const Descriptor& d : top.manifests) queue.emplace_back(d, 0);
  for (size_t qi = 0; qi < queue.size() && qi < kMaxManifestsWalked; ++qi) {
    const Descriptor d = queue[qi].first;
    const int depth = queue[qi].second;
    BlobRef ref = BlobRefOf(d);
    if (!store.Exists(ref)) continue;
    std::string mtext;
    ASSIGN_OR_RETURN(ManifestDoc doc, ReadManifest(store, d, "manifest", &ref, &mtext));
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
