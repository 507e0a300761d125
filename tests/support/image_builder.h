// image_builder: writes whole container images for tests — docker save
// archives, OCI layouts and OCI archives, with uncompressed, gzip or zstd
// layers, one platform or a multi-platform index — from a description in
// memory. The layers are tar streams made by tar_builder, so tests control
// every byte. Test-only: never linked into whittle.
//
//   ImageDescription d;
//   d.container = ImageContainer::kOciLayout;
//   d.compression = LayerCompression::kZstd;
//   d.platforms.push_back({.os = "linux", .architecture = "amd64", .steps = {
//       {.created_by = "ADD rootfs.tar /", .members = {Dir("etc/"), File("etc/os-release", "x")}},
//       {.created_by = "ENV A=1", .empty_layer = true}}});
//   std::string err = WriteImage(d, dir + "/image");
//
// What the files look like, by container:
//   docker-archive  a tar: manifest.json [{Config, RepoTags, Layers}],
//                   <config hex>.json and one <diff_id hex>.tar (.tar.gz,
//                   .tar.zst when compressed) per layer, like skopeo's.
//   oci-layout      a directory: oci-layout, index.json, blobs/sha256/<hex>.
//   oci-archive     the same files packed in a tar.
// Several platforms are an OCI image index blob that index.json points at
// (what buildx writes); docker-archive cannot hold them.
//
// Everything is deterministic: fixed mtimes, fixed compression levels
// (zlib level 6 with a zero gzip mtime, zstd level 3), sorted JSON keys.
#ifndef WHITTLE_TESTS_SUPPORT_IMAGE_BUILDER_H_
#define WHITTLE_TESTS_SUPPORT_IMAGE_BUILDER_H_

#include <string>
#include <vector>

#include "support/tar_builder.h"

namespace whittle::testing {

enum class ImageContainer { kDockerArchive, kOciLayout, kOciArchive };
enum class LayerCompression { kNone, kGzip, kZstd };

/// One config history entry, and the layer it made unless empty_layer.
struct HistoryStep {
  std::string created_by;
  std::string created;  // RFC 3339; "" = a fixed time that grows with the step
  std::string comment;
  bool empty_layer = false;
  std::vector<TarMember> members;  // the layer's tar (no members: an empty tar)
};

/// One image: a platform and its history.
struct PlatformImage {
  std::string os = "linux";
  std::string architecture = "amd64";
  std::string variant;
  std::vector<HistoryStep> steps;
};

struct ImageDescription {
  ImageContainer container = ImageContainer::kDockerArchive;
  LayerCompression compression = LayerCompression::kNone;
  TarFormat tar_format = TarFormat::kPax;  // of the layer tars
  /// docker-archive: RepoTags[0]; OCI: the ref.name annotation. "" = none.
  std::string tag;
  std::vector<PlatformImage> platforms;  // at least one
};

/// Writes the image to |path| (a file for the archives, a directory for
/// oci-layout; parent directories must exist). Returns "" or what is
/// wrong with the description.
std::string WriteImage(const ImageDescription& description, const std::string& path);

/// The compressed bytes, as WriteImage stores a layer.
std::string Compress(LayerCompression compression, const std::string& data);

/// |size| bytes of deterministic text-like filler (words and newlines) drawn
/// from |seed|: the same seed gives the same bytes, and it compresses like
/// real text files do (gzip ~3x).
std::string FillerContent(const std::string& seed, size_t size);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_SUPPORT_IMAGE_BUILDER_H_
