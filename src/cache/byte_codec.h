// The few byte-level pieces the cache's encodings share (layer_codec.h for
// one LayerScan, waste_codec.h for one image's waste analysis): LEB128
// varints, length-prefixed strings, and a sticky-error cursor to read them
// back from untrusted bytes (STYLE.md §6). Not a serialization framework:
// each codec lays out its own fields and checks its own invariants.
#ifndef WHITTLE_CACHE_BYTE_CODEC_H_
#define WHITTLE_CACHE_BYTE_CODEC_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/sha256.h"
#include "util/status.h"
#include "util/strings.h"

namespace whittle {

/// Longest string a cached value may hold: far above any real path, warning
/// or body a rule keeps, far below what would hurt.
inline constexpr uint64_t kMaxCachedString = 64ull << 20;

/// Appends |v| as an unsigned LEB128 varint (1 to 10 bytes).
inline void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

/// Appends the length of |s| (varint), then its bytes.
inline void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

/// Reads what PutVarint and PutString wrote. After the first failure every
/// read returns 0 (or "") and ok() is false: check once per record. error()
/// is "offset N: what".
class ByteCursor {
 public:
  explicit ByteCursor(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return error_.empty(); }
  size_t offset() const { return pos_; }
  size_t remaining() const { return bytes_.size() - pos_; }
  const std::string& error() const { return error_; }

  /// Records the first failure, at the current offset.
  void Fail(const std::string& what) {
    if (ok()) error_ = StrFormat("offset %zu: %s", pos_, what.c_str());
  }
  uint8_t ReadU8() {
    if (!ok()) return 0;
    if (remaining() < 1) {
      Fail("truncated");
      return 0;
    }
    return static_cast<uint8_t>(bytes_[pos_++]);
  }
  uint64_t ReadVarint() {
    uint64_t v = 0;
    for (int shift = 0; ok(); shift += 7) {
      if (shift > 63) {
        Fail("varint too long");
        return 0;
      }
      uint8_t b = ReadU8();
      if (shift == 63 && (b & 0x7e) != 0) {
        Fail("varint overflows 64 bits");
        return 0;
      }
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return 0;
  }
  /// A varint that must be <= |max|.
  uint64_t ReadBounded(uint64_t max, const char* what) {
    uint64_t v = ReadVarint();
    if (ok() && v > max) {
      Fail(StrFormat("%s %llu is over %llu", what, static_cast<unsigned long long>(v),
                     static_cast<unsigned long long>(max)));
      return 0;
    }
    return v;
  }
  /// The next |n| bytes (a view into the input).
  std::string_view ReadBytes(uint64_t n) {
    if (!ok()) return {};
    if (n > remaining()) {
      Fail(StrFormat("%llu bytes needed, %zu left", static_cast<unsigned long long>(n), remaining()));
      return {};
    }
    std::string_view out = bytes_.substr(pos_, n);
    pos_ += n;
    return out;
  }
  std::string_view ReadString() { return ReadBytes(ReadBounded(kMaxCachedString, "string length")); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  std::string error_;
};

/// Bytes of the SHA-256 every cached value ends with.
inline constexpr size_t kValueChecksumSize = 32;

/// Appends the SHA-256 of everything in |out| so far.
inline void AppendChecksum(std::string* out) {
  Sha256 sum;
  sum.Update(out->data(), out->size());
  const std::array<uint8_t, 32> digest = sum.FinishRaw();
  out->append(reinterpret_cast<const char*>(digest.data()), digest.size());
}

/// Checks that |bytes| starts with the 4-byte |magic| and ends with the
/// SHA-256 of the rest; sets |*body| to what the checksum covers. Errors:
/// kCorrupt "|what|: offset N: ...".
inline Status OpenSealedValue(std::string_view bytes, const char (&magic)[4], const char* what,
                              std::string_view* body) {
  auto corrupt = [what](const std::string& m) { return Error(Errc::kCorrupt, std::string(what) + ": " + m); };
  if (bytes.size() < sizeof(magic) + 1 + kValueChecksumSize) return corrupt("offset 0: too short");
  if (bytes.compare(0, sizeof(magic), std::string_view(magic, sizeof(magic))) != 0) {
    return corrupt("offset 0: bad magic");
  }
  *body = bytes.substr(0, bytes.size() - kValueChecksumSize);
  Sha256 sum;
  sum.Update(body->data(), body->size());
  const std::array<uint8_t, 32> digest = sum.FinishRaw();
  if (bytes.substr(body->size()) != std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())) {
    return corrupt(StrFormat("offset %zu: checksum mismatch", body->size()));
  }
  return Status::Ok();
}

}  // namespace whittle

#endif  // WHITTLE_CACHE_BYTE_CODEC_H_
