// LayoutStore: the BlobStore of a local image container (a directory or a
// tar archive), which can also open the container's named files
// (index.json, manifest.json, `<id>/layer.tar`...) by relative path. The
// path-based half serves what really is path-based (docker save's
// manifest.json and legacy members, index.json and oci-layout at a layout's
// root, dir:'s manifest files); blobs by digest go through the BlobStore
// half, which maps a digest to a file by BlobNaming.
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

#include "image/blob_store.h"
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
  virtual bool PathExists(std::string_view rel) = 0;
  /// "app.tar:manifest.json" or "layout/index.json", for messages.
  virtual std::string PathLocation(std::string_view rel) const = 0;

  void set_blob_naming(BlobNaming n) { naming_ = n; }
  BlobNaming blob_naming() const { return naming_; }

  /// The relative path of |blob|: blob.path when set (docker save members),
  /// else derived from its digest. Errors: kCorrupt for an invalid digest or
  /// a path leaving the container.
  Result<std::string> BlobPath(const BlobRef& blob) const;

  // BlobStore, through BlobPath() and the path-based calls above.
  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override;
  Result<uint64_t> Size(const BlobRef& blob) override;
  bool Exists(const BlobRef& blob) override;
  Result<std::string> Location(const BlobRef& blob) const override;

 private:
  BlobNaming naming_ = BlobNaming::kOciBlobs;
};

/// Checks a relative path read from a manifest: non-empty, not absolute, no
/// "." / ".." / empty components once a leading "./" is dropped. Returns the
/// cleaned path; errors (kCorrupt) read "WHERE: manifest points outside the
/// layout: PATH".
Result<std::string> CheckRelativePath(std::string_view path, std::string_view where);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_LAYOUT_STORE_H_
