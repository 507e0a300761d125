// docker save archives: the manifest.json array at the root of the tar
// ([{Config, RepoTags, Layers}]) in every vintage whittle has met:
//   - Docker < 25: `<id>/layer.tar` layers, `<id>.json` config;
//   - skopeo docker-archive: `<diffid>.tar` layers;
//   - kaniko: `<hex>.tar.gz` layers, config member named `sha256:<hex>`;
//   - Docker 25+: an OCI layout in the tar, manifest.json pointing into
//     blobs/sha256/. The OCI manifest reachable from index.json is preferred
//     (it knows the layers' media types and digests).
// Layer compression comes from the file name (.gz, .zst) or is sniffed
// from the first bytes. The config is digest-checked when its name carries
// the digest (`<hex>.json`, `sha256:<hex>`, blobs/sha256/<hex>).
#ifndef WHITTLE_IMAGE_DOCKER_ARCHIVE_H_
#define WHITTLE_IMAGE_DOCKER_ARCHIVE_H_

#include <string>

#include "image/image.h"
#include "image/layout_store.h"
#include "image/reference.h"
#include "util/status.h"

namespace whittle {

/// Resolves the image |ref| selects (NAME:TAG against RepoTags, @N, or the
/// only entry) in the docker save archive |store|. |hint| names the archive
/// in the ambiguity error ("docker-archive:app.tar"). Fills every Image
/// field except reference, format and blobs.
Status ResolveDockerArchive(LayoutStore& store, const ImageReference& ref, const std::string& hint,
                            Image* image);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_DOCKER_ARCHIVE_H_
