#include "tar/tar_header.h"

#include <cstdint>
#include <cstring>

namespace whittle {

TarMagic DetectTarMagic(const char* block) {
  const char* m = block + tar_field::kMagic;
  if (std::memcmp(m, "ustar  \0", 8) == 0) return TarMagic::kGnu;
  if (std::memcmp(m, "ustar\0", 6) == 0) return TarMagic::kUstar;
  // Some writers put "ustar" followed by a space-padded version; treat as ustar.
  if (std::memcmp(m, "ustar", 5) == 0 && m[5] == ' ') return TarMagic::kGnu;
  return TarMagic::kV7;
}

bool TryParseTarNumber(const char* field, size_t len, int64_t* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(field);
  if (len == 0) return false;
  if (p[0] & 0x80) {
    // Base-256: the first byte's low 7 bits are the top of a two's-complement
    // number (0x40 is its sign bit).
    if (p[0] != 0x80 && p[0] != 0xff) return false;
    int64_t v = (p[0] & 0x40) ? static_cast<int64_t>(p[0] & 0x7f) - 128 : (p[0] & 0x3f);
    for (size_t i = 1; i < len; ++i) {
      int64_t shifted;
      if (__builtin_mul_overflow(v, int64_t{256}, &shifted)) return false;
      if (__builtin_add_overflow(shifted, static_cast<int64_t>(p[i]), &v)) return false;
    }
    *out = v;
    return true;
  }
  size_t i = 0;
  while (i < len && p[i] == ' ') ++i;
  int64_t v = 0;
  while (i < len && p[i] >= '0' && p[i] <= '7') {
    if (v > (INT64_MAX >> 3)) return false;
    v = v * 8 + (p[i] - '0');
    ++i;
  }
  if (i < len && p[i] != ' ' && p[i] != '\0') return false;
  *out = v;
  return true;
}

int64_t TarUnsignedChecksum(const char* block) {
  // A plain loop the compiler vectorises; the chksum field is swapped for
  // spaces afterwards.
  const auto* p = reinterpret_cast<const unsigned char*>(block);
  uint32_t sum = 0;
  for (size_t i = 0; i < kTarBlockSize; ++i) sum += p[i];
  for (size_t i = tar_field::kChksum; i < tar_field::kChksum + tar_field::kChksumLen; ++i) sum -= p[i];
  return static_cast<int64_t>(sum) + 8 * ' ';
}

int64_t TarSignedChecksum(const char* block) {
  const auto* p = reinterpret_cast<const signed char*>(block);
  int32_t sum = 0;
  for (size_t i = 0; i < kTarBlockSize; ++i) sum += p[i];
  for (size_t i = tar_field::kChksum; i < tar_field::kChksum + tar_field::kChksumLen; ++i) sum -= p[i];
  return static_cast<int64_t>(sum) + 8 * ' ';
}

TarChecksums ComputeTarChecksums(const char* block) {
  return {TarUnsignedChecksum(block), TarSignedChecksum(block)};
}

bool IsZeroBlock(const char* block) {
  uint64_t acc = 0;
  for (size_t i = 0; i < kTarBlockSize; i += 8) {
    uint64_t w;
    std::memcpy(&w, block + i, 8);
    acc |= w;
  }
  return acc == 0;
}

}  // namespace whittle
