// Image: the resolved, format-independent description of one container image
// (manifest + config + where each layer's blob lives). Plain structs; every
// image format (docker-archive, OCI layout/archive, dir:, registry later)
// produces one of these, and everything downstream reads only this.
//
// Not the layer contents: those are streamed from |blobs| (a BlobStore,
// blob_store.h) by the scanner.
#ifndef WHITTLE_IMAGE_IMAGE_H_
#define WHITTLE_IMAGE_IMAGE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image/blob_store.h"
#include "image/reference.h"
#include "io/compression.h"
#include "util/status.h"

namespace whittle {

struct LayerRef {
  BlobRef blob;
  Compression compression = Compression::kNone;  // from media type, else sniffed
  std::string diff_id;  // config rootfs.diff_ids[i]: digest of the uncompressed tar
};

/// One config `history` entry.
struct HistoryEntry {
  std::string created;  // RFC 3339 as stored
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;
};

struct Image {
  std::string reference;   // what the user typed
  std::string format;      // "docker-archive", "oci", "oci-archive", "dir"
  std::string name;        // repo:tag when known ("" otherwise)

  BlobRef manifest;        // digest/size of the manifest JSON (may be synthesised for docker save)
  BlobRef config;
  std::string manifest_json;  // raw bytes, kept for `inspect`-style output
  std::string config_json;

  std::string os, architecture, variant;
  std::string created;

  std::vector<LayerRef> layers;         // in manifest order: base first
  std::vector<HistoryEntry> history;    // config history, oldest first
  std::vector<std::string> diff_ids;    // config rootfs.diff_ids

  std::unique_ptr<BlobStore> blobs;

  Image() = default;
  Image(Image&&) = default;
  Image& operator=(Image&&) = default;
  Image(const Image&) = delete;
  Image& operator=(const Image&) = delete;
};

struct OpenOptions {
  /// "os/arch[/variant]"; empty means the machine's platform (linux/amd64 here).
  std::string platform;
  /// Checks every blob's digest even where it would be skipped through,
  /// and the diff_ids of decompressed layers.
  bool verify = false;
  /// docker:// only: credentials and TLS.
  RegistryOptions registry;
};

/// Opens the image named by |reference|: skopeo transport syntax
/// (`docker-archive:PATH[:NAME:TAG|:@N]`, `oci:DIR[:REF]`,
/// `oci-archive:PATH[:REF]`, `dir:DIR`) or a bare path detected by content.
/// Reads and checks the manifest and config (digests verified: they are read
/// anyway). Errors name the file and the blob or offset.
Result<Image> OpenImage(const std::string& reference, const OpenOptions& options);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_IMAGE_H_
