// Test-only helpers for the image tests: a temp directory and a small
// builder of OCI layouts / docker save trees in memory (files by relative
// path), written out as a directory or packed as a tar with the project's
// tar builder. Never linked into whittle.
#ifndef WHITTLE_IMAGE_IMAGE_TEST_UTIL_H_
#define WHITTLE_IMAGE_IMAGE_TEST_UTIL_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "image/blob_store.h"
#include "image/json_util.h"

namespace whittle::testing {

class ImageTempDir {
 public:
  ImageTempDir();
  ~ImageTempDir();
  ImageTempDir(const ImageTempDir&) = delete;
  ImageTempDir& operator=(const ImageTempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFileOrDie(const std::string& path, const std::string& data);
std::string ReadFileOrDie(const std::string& path);

/// The files of an image container, by relative path.
struct LayoutFiles {
  std::map<std::string, std::string> files;

  /// Stores |content| as blobs/sha256/<hex> (or <hex> when |dir_naming|);
  /// returns its digest.
  std::string AddBlob(const std::string& content, bool dir_naming = false);
  void WriteTo(const std::string& dir) const;
  /// A tar of the files (directories implied), sorted by name.
  std::string Tar() const;
};

/// A descriptor as JSON.
Json Desc(const std::string& media_type, const std::string& digest, size_t size);

/// A minimal image config: one history entry and one diff_id per layer.
std::string MakeConfig(const std::string& os, const std::string& arch,
                       const std::vector<std::string>& diff_ids);

/// A tiny uncompressed layer tar holding one file.
std::string MakeLayerTar(const std::string& name, const std::string& content);

/// Adds a complete single-layer OCI image (layer, config, manifest) to
/// |files|; returns the manifest's descriptor (for an index). |layer_type|
/// is the layer media type written in the manifest.
Json AddOciImage(LayoutFiles* files, const std::string& arch, const std::string& file_content,
                 const std::string& layer_type = "application/vnd.oci.image.layer.v1.tar");

/// index.json text over |manifests| plus the oci-layout file.
void SetIndex(LayoutFiles* files, const Json& manifests);

/// Blobs in memory, found by digest alone (BlobRef::path is ignored): the
/// smallest BlobStore, and what a registry store looks like to resolution and
/// to the scanner. Thread-safe.
class MemoryBlobStore : public BlobStore {
 public:
  /// Every blobs/sha256/<hex> file of |files| (nothing else: no index.json).
  explicit MemoryBlobStore(const LayoutFiles& files);
  MemoryBlobStore() = default;

  /// Stores |bytes| as the blob named |where| in messages; returns its ref.
  BlobRef Add(const std::string& where, std::string bytes);
  void Remove(const std::string& digest) { blobs_.erase(digest); }
  /// (digest, media type) of every Open(), in call order.
  std::vector<std::pair<std::string, std::string>> opened() const;

  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override;
  Result<uint64_t> Size(const BlobRef& blob) override;
  bool Exists(const BlobRef& blob) override { return blobs_.count(blob.digest) != 0; }
  /// "memory:<digest>" unless Add() named it.
  Result<std::string> Location(const BlobRef& blob) const override;
  const std::string& name() const override { return name_; }

 private:
  struct Blob {
    std::string where;
    std::string bytes;
  };
  Result<const Blob*> Find(const BlobRef& blob) const;

  std::string name_ = "memory";
  std::map<std::string, Blob> blobs_;  // by digest; not changed while in use
  mutable std::mutex mu_;              // guards opened_
  std::vector<std::pair<std::string, std::string>> opened_;
};

}  // namespace whittle::testing

#endif  // WHITTLE_IMAGE_IMAGE_TEST_UTIL_H_
