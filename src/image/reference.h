// ImageReference: what the user typed to name an image, parsed. skopeo's
// transport syntax is accepted so people can paste what they already use:
//
//   docker-archive:PATH[:NAME:TAG|:@N]   a `docker save` tar (any vintage)
//   oci:DIR[:REF|:@N]                    an OCI image layout directory
//   oci-archive:PATH[:REF|:@N]           an OCI image layout in a tar
//   dir:DIR                              skopeo's own directory layout
//   PATH                                 a bare path, detected by content
//
// As in skopeo, the path ends at the first ':' after the transport. This
// file only parses; DetectTransport() looks at a bare path's content.
#ifndef WHITTLE_IMAGE_REFERENCE_H_
#define WHITTLE_IMAGE_REFERENCE_H_

#include <string>
#include <string_view>

#include "util/status.h"

namespace whittle {

enum class Transport { kAuto, kDockerArchive, kOci, kOciArchive, kDir };

/// "docker-archive", "oci", "oci-archive", "dir" ("auto" for kAuto).
const char* TransportName(Transport t);

struct ImageReference {
  Transport transport = Transport::kAuto;
  std::string path;
  /// Which image inside a multi-image layout/archive: a ref name or
  /// NAME:TAG; empty when not given (then index, or the only image).
  std::string ref;
  /// The `@N` form: 0-based position in manifest.json / index.json; -1 unset.
  int index = -1;
};

/// Parses |text|. Errors (kUsage): empty path, a bad `@N`, a ref on `dir:`,
/// a skopeo transport whittle does not read (docker://, containers-storage:).
Result<ImageReference> ParseImageReference(std::string_view text);

/// Decides the transport of a bare |path| from its content, without the
/// transport prefix: a directory with an `oci-layout` file is kOci, one with
/// `manifest.json` is kDir; a regular file is kDockerArchive or kOciArchive,
/// but telling those apart needs the tar's member list, so files return
/// kAuto here and the caller decides after indexing the archive.
/// Errors: kNotFound (missing path), kUnsupported (a directory that is no
/// image layout, naming what was looked for).
Result<Transport> DetectTransport(const std::string& path);

/// True when the image name |have| (a RepoTag, a ref.name or
/// io.containerd.image.name annotation) is what the user asked for with
/// |want|: equal, or equal once both are normalised the way Docker does
/// ("docker.io/library/" dropped, ":latest" added when no tag or digest).
bool RefMatches(std::string_view want, std::string_view have);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_REFERENCE_H_
