#include "image/dir_layout.h"

#include "image/manifest.h"
#include "image/resolve.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

Status ResolveDirLayout(LayoutStore& store, const Platform& want, Image* image) {
  BlobRef mref;
  mref.path = "manifest.json";
  mref.location = store.PathLocation(mref.path);
  if (!store.PathExists(mref.path)) {
    return Error(Errc::kNotFound,
                 StrFormat("%s: not a dir: image: no manifest.json", store.name().c_str()));
  }
  ASSIGN_OR_RETURN(std::string text, ReadJsonBlob(store, mref));
  ASSIGN_OR_RETURN(ManifestDoc doc, ParseManifestDoc(text, mref.location));
  if (doc.is_index) {
    if (doc.manifests.empty()) {
      return Error(Errc::kNotFound, StrFormat("%s: empty manifest list", mref.location.c_str()));
    }
    ASSIGN_OR_RETURN(size_t pick, PickPlatform(store, doc.manifests, want, mref.location));
    const Descriptor& d = doc.manifests[pick];
    BlobRef inst;
    inst.digest = d.digest;  // validated by ParseManifestDoc
    inst.media_type = d.media_type;
    inst.size = d.size;
    inst.path = d.digest.substr(7) + ".manifest.json";
    inst.location = store.PathLocation(inst.path);
    if (!store.PathExists(inst.path)) {
      return Error(Errc::kNotFound, StrFormat("%s: manifest %s not found",
                                              store.name().c_str(), d.digest.c_str()));
    }
    ASSIGN_OR_RETURN(text, ReadJsonBlob(store, inst));
    ASSIGN_OR_RETURN(doc, ParseManifestDoc(text, inst.location));
    if (doc.is_index) {
      return Error(Errc::kUnsupported,
                   StrFormat("%s: nested manifest lists are not supported", inst.location.c_str()));
    }
    mref = std::move(inst);
  } else {
    mref.size = static_cast<int64_t>(text.size());
    mref.digest = Sha256::DigestOf(text);
  }
  return FillFromManifest(store, mref, std::move(text), doc, image);
}

}  // namespace whittle
