// HashingSource: passes bytes through unchanged while computing their
// SHA-256, and checks the digest when the stream ends. Reading past the end
// (Read returning 0) with a mismatching digest is a kDigestMismatch error
// naming the blob, the expected and the actual digest.
//
// Skip() on a hashing source must read the bytes (they have to be hashed).
//
// Meant to sit directly on a stored blob (under the decompressor). In
// background mode the inner source is read ahead, so blob_position() is
// position(); in inline mode it is forwarded to the inner source.
#ifndef WHITTLE_IO_HASHING_SOURCE_H_
#define WHITTLE_IO_HASHING_SOURCE_H_

#include <memory>
#include <string>

#include "io/byte_source.h"

namespace whittle {

/// Where the hashing happens. kBackground reads ahead and hashes on a
/// second thread (a ring of 4 x 512 KiB chunks handed to the consumer, which
/// decompressors read in place through ReadView), so SHA-256 runs on another
/// core than the decompressor. kAuto picks kBackground for blobs of unknown
/// size or at least 16 MiB when the machine has 2+ cores.
enum class HashThreading { kAuto, kInline, kBackground };

class HashingSource : public ByteSource {
 public:
  /// |expected| is "sha256:<hex>" or empty (hash only, no check).
  /// |expected_size| < 0 means unknown; otherwise a size mismatch at end of
  /// stream is also kDigestMismatch ("size N, manifest says M").
  static std::unique_ptr<HashingSource> Make(std::unique_ptr<ByteSource> inner,
                                             std::string expected, int64_t expected_size = -1,
                                             HashThreading threading = HashThreading::kAuto);
  /// "sha256:<hex>" of the whole stream once Read() has returned 0 (end of
  /// stream); empty before that.
  virtual std::string digest() const = 0;

  /// Reads (and hashes) whatever is left, then returns the end-of-stream
  /// check. For callers that stop before EOF, e.g. a tar reader that stops at
  /// the end-of-archive blocks: call this to still verify the blob.
  virtual Status Finish() = 0;
};

}  // namespace whittle

#endif  // WHITTLE_IO_HASHING_SOURCE_H_
