// OCI image layout resolution (a directory, an oci-archive tar, or the
// layout inside a Docker 25+ `docker save` tar): index.json -> optional
// image index(es) -> image manifest -> config, into an Image.
//
//   index.json ──┬─ ref / @N / the only entry ─> descriptor
//                └─ several, no ref ─> one image in several platforms? pick
//                                      by platform; else error listing refs
//   descriptor ──> image index? ─ one entry: take it, whatever its platform
//                               └ several: the one matching --platform
//              ──> image manifest ─> config (digest-checked) ─> Image
//
// Manifests and configs are digest- and size-checked as they are read;
// layer blobs are only located (stored size checked against the manifest).
#ifndef WHITTLE_IMAGE_OCI_LAYOUT_H_
#define WHITTLE_IMAGE_OCI_LAYOUT_H_

#include <string>

#include "image/image.h"
#include "image/layout_store.h"
#include "image/manifest.h"
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

/// Fills |image| from a parsed image manifest |doc| whose bytes are
/// |manifest_text| and whose blob is |manifest|: reads and checks the
/// config, builds the layer list in manifest order, and checks every layer
/// blob exists with the manifest's size.
Status FillFromManifest(LayoutStore& store, const BlobRef& manifest, std::string manifest_text,
                        const ManifestDoc& doc, Image* image);

/// Index into |ds| of the entry for platform |want|: the only entry when
/// there is one, else the one whose platform matches (entries whose blob is
/// absent from |store|, and unknown/unknown attestation entries, are
/// ignored). Errors list the available platforms. |where| names the index.
Result<size_t> PickPlatform(LayoutStore& store, const std::vector<Descriptor>& ds,
                            const Platform& want, const std::string& where);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_OCI_LAYOUT_H_
