// BlobStore: the blobs of one image, addressed by digest. Everything that
// resolves an image from its manifests (resolve.h: platform choice, manifest
// and config reading, layer location) and the layer scanner read blobs only
// through this interface, so any place that can hand out blobs by digest
// plugs in without touching them.
//
//   BlobStore                 Open / Size / Exists / Location by BlobRef
//    └─ LayoutStore           + files by path (index.json, manifest.json...)
//        ├─ DirectoryStore    an OCI layout directory, skopeo dir:
//        └─ TarArchiveStore   docker save, oci-archive (an indexed tar)
//
// Addressing. A BlobRef is found by its |digest|. The one exception is
// docker save's legacy members (`<id>/layer.tar`, `<id>.json`), which have
// no digest: formats set BlobRef::path for them, and only the file layouts
// (LayoutStore) honour it. Stores that are not files ignore |path|.
//
// Seam for network stores (not written yet; see docs/architecture.md):
//   - A registry store: Open(ref) is GET /v2/NAME/blobs/DIGEST, or
//     /v2/NAME/manifests/DIGEST when ref.media_type is a manifest or index
//     type (registries serve manifests only there; ReadManifest() in
//     resolve.h always passes the descriptor's media type). Size(ref) may
//     answer ref.size, the manifest's word, without a request; Exists(ref)
//     is a HEAD. The image named by tag (`docker://NAME:TAG`) is the
//     store's own fetch by tag, which returns the bytes plus the digest and
//     media type from the response headers; its opener hands those to
//     ResolveManifest() (resolve.h) and everything after is shared.
//   - A Docker Engine store: the same interface over the Engine socket.
#ifndef WHITTLE_IMAGE_BLOB_STORE_H_
#define WHITTLE_IMAGE_BLOB_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "io/byte_source.h"
#include "util/status.h"

namespace whittle {

/// A content-addressed blob as a manifest names it.
struct BlobRef {
  std::string digest;      // "sha256:<hex>"; empty when the format has none (legacy layer.tar)
  std::string media_type;  // as written in the manifest, may be empty
  int64_t size = -1;       // from the manifest; -1 unknown (legacy docker save)
  /// Where the blob sits, for messages: "app.tar:blobs/sha256/ab..", "dir/blobs/..".
  std::string location;
  /// Path of the blob inside its archive or layout when the format names it
  /// by path (docker save `<id>/layer.tar`, kaniko `<hex>.tar.gz`); empty
  /// when it is found by digest (blobs/sha256/<hex>, dir: `<hex>`). Only
  /// file layouts (LayoutStore) read it.
  std::string path;
};

/// Hands out the blobs of one image by BlobRef. Implementations: a directory
/// (OCI layout, dir:), a tar archive indexed by member offsets (docker save,
/// oci-archive); later a registry or an Engine socket (see the file comment).
/// Thread-safe for concurrent Open/Size calls (the scanner opens one layer
/// per worker).
class BlobStore {
 public:
  virtual ~BlobStore() = default;

  /// A stream of |blob|'s stored bytes (still compressed). Does not verify
  /// the digest: wrap it in a HashingSource for that. Errors: kNotFound when
  /// the store has no such blob; kCorrupt for a ref the store cannot name
  /// (an invalid digest, a path leaving the layout).
  virtual Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) = 0;
  /// Stored size of |blob| in bytes, as the store holds it (a network store
  /// may answer blob.size). Errors as Open().
  virtual Result<uint64_t> Size(const BlobRef& blob) = 0;
  /// True when Open(blob) would find it; false (not an error) for refs the
  /// store cannot name.
  virtual bool Exists(const BlobRef& blob) = 0;
  /// Where |blob| is, for messages ("app.tar:blobs/sha256/<hex>",
  /// "layout/<hex>"), whether or not it exists. Errors: kCorrupt for a ref
  /// the store cannot name, with the same message as Open().
  virtual Result<std::string> Location(const BlobRef& blob) const = 0;
  /// The store itself, for messages ("app.tar", "layout").
  virtual const std::string& name() const = 0;
};

/// Reads a blob of JSON (manifest, config, index) fully, refusing more than
/// kMaxJsonBlob bytes before allocating. When |blob.digest| is set, the
/// content must hash to it (kDigestMismatch naming the blob's location) and,
/// when blob.size >= 0, have that size.
inline constexpr size_t kMaxJsonBlob = 4u << 20;
Result<std::string> ReadJsonBlob(BlobStore& store, const BlobRef& blob);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_BLOB_STORE_H_
