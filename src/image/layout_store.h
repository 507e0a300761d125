// LayoutStore: the BlobStore of a local image container (a directory or a
// tar archive) that can also open the container's named files (index.json,
// manifest.json, `<id>/layer.tar`...) by relative path.
//
// Paths come from untrusted manifests, so every one goes through
// CheckRelativePath() first: absolute paths, ".." components and (in the
// implementations) symlinks that leave the container are errors naming the
// path ("manifest points outside the layout"). Digests go through
// IsValidSha256Digest() before they become file names.
#ifndef WHITTLE_IMAGE_LAYOUT_STORE_H_
#define WHITTLE_IMAGE_LAYOUT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "image/image.h"
#include "io/byte_source.h"
#include "util/status.h"

namespace whittle {

/// How a blob named only by digest is found inside the container.
enum class BlobNaming {
  kOciBlobs,  // blobs/sha256/<hex> (OCI layout, Docker 25+ docker save)
  kDirHex,    // <hex> (skopeo dir:)
};

class LayoutStore : public BlobStore {
 public:
  /// Opens the file at |rel| (relative to the layout root / archive root).
  /// Errors: kNotFound, kCorrupt for paths leaving the container.
  virtual Result<std::unique_ptr<ByteSource>> OpenPath(std::string_view rel) = 0;
  /// Size in bytes of the file at |rel|.
  virtual Result<uint64_t> PathSize(std::string_view rel) = 0;
  /// True when |rel| names a regular file (or a link to one inside).
  virtual bool Exists(std::string_view rel) = 0;
  /// "app.tar:manifest.json" or "layout/index.json", for messages.
  virtual std::string Location(std::string_view rel) const = 0;
  /// The container itself, for messages ("app.tar", "layout").
  virtual const std::string& root_name() const = 0;

  void set_blob_naming(BlobNaming n) { naming_ = n; }
  BlobNaming blob_naming() const { return naming_; }

  /// The relative path of |blob|: blob.path when set (docker save members),
  /// else derived from its digest. Errors: kCorrupt for an invalid digest.
  Result<std::string> BlobPath(const BlobRef& blob) const;

  // BlobStore
  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override;
  Result<uint64_t> StoredSize(const BlobRef& blob) override;

 private:
  BlobNaming naming_ = BlobNaming::kOciBlobs;
};

/// Checks a relative path read from a manifest: non-empty, not absolute, no
/// "." / ".." / empty components once a leading "./" is dropped. Returns the
/// cleaned path; errors (kCorrupt) read "WHERE: manifest points outside the
/// layout: PATH".
Result<std::string> CheckRelativePath(std::string_view path, std::string_view where);

/// Reads a blob of JSON (manifest, config, index) fully, refusing more than
/// kMaxJsonBlob bytes before allocating. When |blob.digest| is set, the
/// content must hash to it (kDigestMismatch naming blob.location) and, when
/// blob.size >= 0, have that size.
inline constexpr size_t kMaxJsonBlob = 4u << 20;
Result<std::string> ReadJsonBlob(LayoutStore& store, const BlobRef& blob);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_LAYOUT_STORE_H_
