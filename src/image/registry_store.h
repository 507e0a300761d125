// The registry source, `docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST]` (skopeo's
// syntax): the OCI distribution API v2 over HTTP (net/http.h), as a
// BlobStore. Manifests are negotiated (OCI and Docker v2 schema 2, image
// indexes and manifest lists resolved by --platform in resolve.h); blobs are
// streamed straight into the scanner, never written to disk. `history` needs
// only the manifest and the config, so it fetches no layer.
//
//   docker://HOST/REPO:TAG ─ GET /v2/REPO/manifests/TAG (Accept: the 4 types)
//        ─ digest checked (Docker-Content-Digest, @DIGEST) ─> ResolveManifest
//   Open(blob) ─ GET /v2/REPO/blobs/DIGEST (redirects followed), or
//                /v2/REPO/manifests/DIGEST for a manifest media type
//
// Names: a first component with a '.' or ':' or "localhost" is the host;
// otherwise the image is on Docker Hub (registry-1.docker.io, "library/"
// added to one-component names). No tag means "latest".
//
// Auth: a 401's WWW-Authenticate says Bearer (token from its realm, with the
// credentials as basic auth when there are any, anonymous otherwise) or
// Basic; credentials come from registry_auth.h. TLS: https with the system
// store (plus --cert-dir); --tls-verify=false skips verification and falls
// back to plain http, as skopeo does.
//
// Faults: 429, 5xx and transport failures are retried (kAttempts in all,
// backing off, or after a 429/503's Retry-After seconds, capped); a blob
// that drops or stalls mid-body is resumed with `Range: bytes=N-`. A stall
// is WHITTLE_STALL_TIMEOUT seconds (default 30) without a byte.
#ifndef WHITTLE_IMAGE_REGISTRY_STORE_H_
#define WHITTLE_IMAGE_REGISTRY_STORE_H_

#include <memory>
#include <string>

#include "image/blob_store.h"
#include "image/manifest.h"
#include "image/reference.h"
#include "util/status.h"

namespace whittle {

struct Image;
class RegistryClient;

/// A docker:// name, split.
struct RegistryName {
  std::string host;    // "127.0.0.1:5000", "registry-1.docker.io"
  std::string repo;    // "library/alpine"
  std::string tag;     // "" when a digest is given
  std::string digest;  // "sha256:..." or ""
  /// "HOST/REPO:TAG" or "HOST/REPO@DIGEST", for messages.
  std::string ToString() const;
};

/// Parses what follows "docker://". kUsage for an empty or malformed name.
Result<RegistryName> ParseRegistryName(const std::string& text);

/// A registry image opened as far as its image manifest: the manifest
/// fetched by tag or digest (digest-checked), image indexes resolved for
/// the platform (each nested manifest read), the config not yet fetched.
/// `whittle scan` tells an image it has stored by digest() alone and
/// Open()s only the others; OpenRegistryImage is Fetch then Open.
class RegistryManifest {
 public:
  /// Fetches the image |name| names (what follows "docker://") with
  /// |options|' credentials and TLS, for platform |want|.
  static Result<RegistryManifest> Fetch(const std::string& name, const RegistryOptions& options,
                                        const Platform& want);

  /// The image manifest's digest: what the opened Image's manifest.digest
  /// will be.
  const std::string& digest() const { return ref_.digest; }

  /// Fetches the config and fills |image| as OpenImage does (checks the
  /// layers' descriptors; reads no layer). Once: the manifest moves in.
  Status Open(Image* image);

 private:
  RegistryManifest() = default;
  RegistryName name_;
  std::unique_ptr<BlobStore> store_;
  BlobRef ref_;
  std::string text_;
  ManifestDoc doc_;
};

/// The transport row's opener (transport.h): resolves the image |ref| names
/// (ref.path and ref.ref joined back: the reference parser split them at
/// the first ':') in its registry, with ref.registry's options.
Status OpenRegistryImage(const ImageReference& ref, const Platform& want, Image* image);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_REGISTRY_STORE_H_
