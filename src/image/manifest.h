// Manifest documents: OCI image manifests and indexes and their Docker v2
// equivalents (schema 2 manifest, manifest list), parsed into descriptors.
// Only what whittle needs is kept; unknown fields are ignored, fields it
// reads are type-checked. Docker schema 1 manifests are kUnsupported.
#ifndef WHITTLE_IMAGE_MANIFEST_H_
#define WHITTLE_IMAGE_MANIFEST_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "image/platform.h"
#include "util/status.h"

namespace whittle {

inline constexpr std::string_view kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndexType = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kDockerManifestType =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerListType =
    "application/vnd.docker.distribution.manifest.list.v2+json";

/// Annotation keys that name an image inside a layout.
inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";
inline constexpr const char* kContainerdNameAnnotation = "io.containerd.image.name";

struct Descriptor {
  std::string media_type;
  std::string digest;  // validated: "sha256:<64 hex>"
  int64_t size = -1;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;  // string values only

  bool IsIndex() const { return media_type == kOciIndexType || media_type == kDockerListType; }
  /// The annotation value or "".
  std::string Annotation(const char* key) const;
};

struct ManifestDoc {
  bool is_index = false;
  std::string media_type;  // as written ("" when absent)
  // Image manifest:
  Descriptor config;
  std::vector<Descriptor> layers;
  // Index / manifest list:
  std::vector<Descriptor> manifests;
};

/// Parses a manifest or index from |text|; |where| names it in messages.
/// Digests are checked with IsValidSha256Digest (they become file names).
Result<ManifestDoc> ParseManifestDoc(std::string_view text, const std::string& where);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_MANIFEST_H_
