// Test-only helpers for the image tests: a temp directory and a small
// builder of OCI layouts / docker save trees in memory (files by relative
// path), written out as a directory or packed as a tar with the project's
// tar builder. Never linked into whittle.
#ifndef WHITTLE_IMAGE_IMAGE_TEST_UTIL_H_
#define WHITTLE_IMAGE_IMAGE_TEST_UTIL_H_

#include <map>
#include <string>
#include <vector>

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

}  // namespace whittle::testing

#endif  // WHITTLE_IMAGE_IMAGE_TEST_UTIL_H_
