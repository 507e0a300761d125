// OutputImage: where compact writes, and how it writes atomically. Blobs are
// staged in a temporary directory beside the destination; Commit() turns
// the staging directory into the destination with one rename (oci:) or
// writes the archive inside it and renames that file (docker-archive:).
// Anything not committed is removed when the OutputImage is destroyed, so
// an error or an interrupt leaves nothing behind.
#ifndef WHITTLE_COMPACT_OUTPUT_IMAGE_H_
#define WHITTLE_COMPACT_OUTPUT_IMAGE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_sink.h"
#include "io/compression.h"
#include "util/status.h"

namespace whittle {

struct OutputRef {
  enum class Kind { kOci, kDockerArchive };
  Kind kind = Kind::kOci;
  std::string path;
  /// oci: the ref name ("" = none); docker-archive: "NAME:TAG" ("" = none).
  std::string ref;
};

/// Parses "oci:DIR[:REF]" or "docker-archive:PATH[:NAME:TAG]".
Result<OutputRef> ParseOutputRef(std::string_view text);

/// One blob of the output image, staged under its digest.
struct StagedBlob {
  std::string digest;  // "sha256:<hex>"
  uint64_t size = 0;
  std::string media_type;
};

class OutputImage {
 public:
  /// Refuses a destination that exists; creates the staging directory.
  static Result<OutputImage> Create(const OutputRef& ref);
  OutputImage(OutputImage&& o) noexcept;
  OutputImage& operator=(OutputImage&&) = delete;
  ~OutputImage();

  const OutputRef& ref() const { return ref_; }
  /// A fresh path in the staging directory for a blob being written.
  std::string TempPath();
  /// A new file at |staged_path| (in the staging directory) whose write
  /// errors name the destination: "OUT: write failed: STRERROR".
  Result<std::unique_ptr<ByteSink>> CreateSink(const std::string& staged_path) const;
  /// Moves the finished file |temp| to its digest's name.
  Status AddBlobFile(const std::string& temp, const std::string& digest);
  /// Writes |bytes| as a blob; returns its digest.
  Result<std::string> AddBlobBytes(std::string_view bytes);

  /// Writes the format's index files for |config| and |layers| (base
  /// first) and moves the result into place.
  Status Commit(const StagedBlob& config, const std::vector<StagedBlob>& layers);

 private:
  explicit OutputImage(OutputRef ref) : ref_(std::move(ref)) {}
  std::string BlobPath(const std::string& digest) const;
  OutputRef ref_;
  std::string staging_;  // "" once committed or moved from
  int temp_counter_ = 0;
};

/// The OCI layer media type for |c|.
const char* OciLayerMediaType(Compression c);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_OUTPUT_IMAGE_H_
