// Incremental SHA-256 over OpenSSL's EVP interface (uses SHA-NI where the CPU
// has it). Digests are printed the way OCI names blobs: "sha256:<64 hex>".
#ifndef WHITTLE_UTIL_SHA256_H_
#define WHITTLE_UTIL_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace whittle {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(const void* data, size_t n);
  /// Finishes and returns "sha256:<hex>". The object may not be updated after.
  std::string FinishDigest();
  /// Finishes and returns the raw 32-byte digest.
  std::array<uint8_t, 32> FinishRaw();

  /// One-shot helper.
  static std::string DigestOf(std::string_view data);

 private:
  void* ctx_;  // EVP_MD_CTX*
};

/// True for "sha256:" followed by exactly 64 lowercase hex digits. Digests
/// name files on disk, so anything else (e.g. "../x") must be rejected first.
bool IsValidSha256Digest(std::string_view digest);

}  // namespace whittle

#endif  // WHITTLE_UTIL_SHA256_H_
