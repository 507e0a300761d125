// HashingSource: passes bytes through unchanged while computing their
// SHA-256, and checks the digest when the stream ends. Reading past the end
// (Read returning 0) with a mismatching digest is a kDigestMismatch error
// naming the blob, the expected and the actual digest.
//
// Skip() on a hashing source must read the bytes (they have to be hashed).
#ifndef WHITTLE_IO_HASHING_SOURCE_H_
#define WHITTLE_IO_HASHING_SOURCE_H_

#include <memory>
#include <string>

#include "io/byte_source.h"

namespace whittle {

class HashingSource : public ByteSource {
 public:
  /// |expected| is "sha256:<hex>" or empty (hash only, no check).
  /// |expected_size| < 0 means unknown; otherwise a size mismatch at end of
  /// stream is also kDigestMismatch ("size N, manifest says M").
  static std::unique_ptr<HashingSource> Make(std::unique_ptr<ByteSource> inner,
                                             std::string expected, int64_t expected_size = -1);
  /// The digest of everything read so far; final once the stream hit EOF.
  virtual std::string digest() const = 0;
};

}  // namespace whittle

#endif  // WHITTLE_IO_HASHING_SOURCE_H_
