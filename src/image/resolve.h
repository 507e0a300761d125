// Image resolution by digest: from an image manifest or index to an Image,
// reading blobs only through BlobStore (by BlobRef, never by path). Every
// transport whose manifests name blobs by digest shares it: OCI layouts and
// archives, Docker 25+ docker save, skopeo dir:, and later a registry or the
// Docker Engine (see blob_store.h for that seam).
//
//   descriptor ──> ReadManifest ──> image index? ─ one entry: take it, whatever its platform
//                                 │              └ several: PickPlatform(--platform); recurse
//                                 └> image manifest ──> FillFromManifest:
//                                      config (digest-checked) + layers (located, sizes checked)
//
// Manifests and configs are digest- and size-checked as they are read;
// layer blobs are only located (stored size checked against the manifest).
// Finding the first descriptor is the format's business (index.json in a
// layout, manifest.json in dir:, a tag in a registry).
#ifndef WHITTLE_IMAGE_RESOLVE_H_
#define WHITTLE_IMAGE_RESOLVE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "image/blob_store.h"
#include "image/image.h"
#include "image/manifest.h"
#include "image/platform.h"
#include "util/status.h"

namespace whittle {

/// Image indexes nested deeper than this are kCorrupt.
inline constexpr int kMaxIndexDepth = 4;

/// The BlobRef a descriptor names (digest, media type, size; no location).
BlobRef BlobRefOf(const Descriptor& d);

/// Reads and parses the manifest or index descriptor |d| names: fills |ref|
/// (located in |store|) and |text| (its digest-checked bytes). |what| names
/// it in the not-found error ("ROOT: blob DIGEST (WHAT) not found").
Result<ManifestDoc> ReadManifest(BlobStore& store, const Descriptor& d, const std::string& what,
                                 BlobRef* ref, std::string* text);

/// Resolves descriptor |d| (an image manifest, or an index to pick from for
/// platform |want|) into |image|: fills every Image field that
/// FillFromManifest() fills.
Status ResolveDescriptor(BlobStore& store, const Descriptor& d, const Platform& want,
                         Image* image);

/// The same from a manifest or index already read: |ref| names it (digest,
/// media type, location), |text| is its bytes and |doc| their parse. The
/// entry point of a source that fetches its first manifest by other means
/// (a registry by tag).
Status ResolveManifest(BlobStore& store, const BlobRef& ref, std::string text,
                       const ManifestDoc& doc, const Platform& want, Image* image);

/// The first half of ResolveManifest: descends from the manifest or index
/// |*ref| (bytes |*text|, parse |*doc|) through image indexes, picking for
/// platform |want| and reading each nested manifest, to one image manifest,
/// which replaces |*ref|, |*text| and |*doc|. Reads no config. A source that
/// needs only the image manifest's digest (`whittle scan` telling an image
/// it has stored) stops here; FillFromManifest is the second half.
Status ResolveToImageManifest(BlobStore& store, const Platform& want, BlobRef* ref, std::string* text,
                              ManifestDoc* doc);

/// Fills |image| from a parsed image manifest |doc| whose bytes are
/// |manifest_text| and whose blob is |manifest|: reads and checks the
/// config, builds the layer list in manifest order, and checks every layer
/// blob exists with the manifest's size. Sets manifest, manifest_json,
/// config, config_json, layers and the config's fields (ParseImageConfig).
Status FillFromManifest(BlobStore& store, const BlobRef& manifest, std::string manifest_text,
                        const ManifestDoc& doc, Image* image);

/// Index into |ds| of the entry for platform |want|: the only entry when
/// there is one, else the one whose platform matches (entries whose blob is
/// absent from |store|, and unknown/unknown attestation entries, are
/// ignored). Errors list the available platforms. |where| names the index.
Result<size_t> PickPlatform(BlobStore& store, const std::vector<Descriptor>& ds,
                            const Platform& want, const std::string& where);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_RESOLVE_H_
