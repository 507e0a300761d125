// OCI image layout resolution (a directory, an oci-archive tar, or the
// layout inside a Docker 25+ `docker save` tar): index.json at the layout
// root chooses a descriptor; from there on everything is by digest
// (resolve.h), shared with every other source.
//
//   index.json ──┬─ ref / @N / the only entry ─> descriptor
//                └─ several, no ref ─> one image in several platforms? pick
//                                      by platform; else error listing refs
//   descriptor ──> ResolveDescriptor (resolve.h): index -> manifest -> Image
#ifndef WHITTLE_IMAGE_OCI_LAYOUT_H_
#define WHITTLE_IMAGE_OCI_LAYOUT_H_

#include <string>

#include "image/image.h"
#include "image/layout_store.h"
#include "image/platform.h"
#include "image/reference.h"
#include "util/status.h"

namespace whittle {

/// Resolves the image |ref| selects (ref.ref / ref.index, or the only one)
/// in the layout whose index.json is at the root of |store|, for platform
/// |want|. |hint| is how the user names this layout ("oci:dir"), used to
/// suggest a ref in the ambiguity error. Fills every Image field except
/// reference, format and blobs.
Status ResolveOciLayout(LayoutStore& store, const ImageReference& ref, const Platform& want,
                        const std::string& hint, Image* image);

/// Docker 25+ docker save: finds, among the image manifests reachable from
/// index.json, the one whose config digest is |config_digest| and fills
/// |image| from it. Returns false (image untouched) when none matches.
Result<bool> ResolveOciByConfigDigest(LayoutStore& store, const std::string& config_digest,
                                      Image* image);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_OCI_LAYOUT_H_
