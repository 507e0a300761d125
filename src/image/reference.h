// ImageReference: what the user typed to name an image, parsed. skopeo's
// transport syntax is accepted so people can paste what they already use:
//
//   docker-archive:PATH[:NAME:TAG|:@N]   a `docker save` tar (any vintage)
//   oci:DIR[:REF|:@N]                    an OCI image layout directory
//   oci-archive:PATH[:REF|:@N]           an OCI image layout in a tar
//   dir:DIR                              skopeo's own directory layout
//   PATH                                 a bare path, detected by content
//
// As in skopeo, the path ends at the first ':' after the transport. The
// transports and their prefixes are the rows of transport.h. This file only
// parses; DetectTransport() looks at a bare path's content.
#ifndef WHITTLE_IMAGE_REFERENCE_H_
#define WHITTLE_IMAGE_REFERENCE_H_

#include <string>
#include <string_view>

#include "image/transport.h"
#include "util/status.h"

namespace whittle {

/// How to reach a registry (docker://): --creds, --tls-verify, --cert-dir.
struct RegistryOptions {
  std::string creds;       // "USER:PASSWORD"; "" to look in the auth files
  bool tls_verify = true;  // false: no certificate checks, and plain http allowed
  std::string cert_dir;    // extra CA certificates; "" for the system store only
};

struct ImageReference {
  /// The row of the transport typed; nullptr for a bare path (detected by
  /// content).
  const Transport* transport = nullptr;
  std::string path;
  /// Which image inside a multi-image layout/archive: a ref name or
  /// NAME:TAG; empty when not given (then index, or the only image).
  std::string ref;
  /// The `@N` form: 0-based position in manifest.json / index.json; -1 unset.
  int index = -1;
  /// Copied from OpenOptions; only docker:// reads it.
  RegistryOptions registry;
};

/// Parses |text|. Errors (kUsage): empty path, a bad `@N`, a name after a
/// transport that selects none (`dir:`), a skopeo transport whittle does not
/// read (docker://, containers-storage:).
Result<ImageReference> ParseImageReference(std::string_view text);

/// Decides the transport of a bare |path| from its content, without the
/// transport prefix: a directory with an `oci-layout` file is `oci`, one with
/// `manifest.json` is `dir`; a regular file is `docker-archive` or
/// `oci-archive`, but telling those apart needs the tar's member list, so
/// files return nullptr here and OpenArchiveByContent() decides.
/// Errors: kNotFound (missing path), kUnsupported (a directory that is no
/// image layout, naming what was looked for).
Result<const Transport*> DetectTransport(const std::string& path);

/// True when the image name |have| (a RepoTag, a ref.name or
/// io.containerd.image.name annotation) is what the user asked for with
/// |want|: equal, or equal once both are normalised the way Docker does
/// ("docker.io/library/" dropped, ":latest" added when no tag or digest).
bool RefMatches(std::string_view want, std::string_view have);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_REFERENCE_H_
