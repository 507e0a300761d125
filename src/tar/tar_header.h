// tar_header: the fixed 512-byte tar header block — field offsets, numeric
// field decoding (octal and GNU base-256), checksums, magic detection.
// Pure functions over one block; no I/O. TarReader builds on these; they are
// exposed for unit tests and the fixture builder's own checks.
//
//   offset size field          offset size field (ustar)   old GNU instead
//   0      100  name           257    6   magic            345 atime[12]
//   100    8    mode           263    2   version          357 ctime[12]
//   108    8    uid            265    32  uname            369 offset[12]
//   116    8    gid            297    32  gname            381 longnames[4]
//   124    12   size           329    8   devmajor         386 sparse[4]x24
//   136    12   mtime          337    8   devminor         482 isextended
//   148    8    chksum         345    155 prefix           483 realsize[12]
//   156    1    typeflag
//   157    100  linkname
#ifndef WHITTLE_TAR_TAR_HEADER_H_
#define WHITTLE_TAR_TAR_HEADER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace whittle {

constexpr size_t kTarBlockSize = 512;

namespace tar_field {
constexpr size_t kName = 0, kNameLen = 100;
constexpr size_t kMode = 100, kModeLen = 8;
constexpr size_t kUid = 108, kUidLen = 8;
constexpr size_t kGid = 116, kGidLen = 8;
constexpr size_t kSize = 124, kSizeLen = 12;
constexpr size_t kMtime = 136, kMtimeLen = 12;
constexpr size_t kChksum = 148, kChksumLen = 8;
constexpr size_t kTypeflag = 156;
constexpr size_t kLinkname = 157, kLinknameLen = 100;
constexpr size_t kMagic = 257;
constexpr size_t kUname = 265, kUnameLen = 32;  // ustar and GNU; not in v7
constexpr size_t kGname = 297, kGnameLen = 32;
constexpr size_t kPrefix = 345, kPrefixLen = 155;
// Old GNU sparse header ('S') and its extension blocks.
constexpr size_t kGnuSparse = 386;        // 4 entries of offset[12] numbytes[12]
constexpr size_t kGnuIsExtended = 482;
constexpr size_t kGnuRealSize = 483, kGnuRealSizeLen = 12;
constexpr size_t kGnuExtIsExtended = 504;  // in an extension block (21 entries)
}  // namespace tar_field

enum class TarMagic : uint8_t {
  kV7,     // no magic: 7th edition / pre-POSIX
  kUstar,  // "ustar\0" "00": POSIX ustar and pax (has the prefix field)
  kGnu,    // "ustar  \0": GNU / old GNU (no prefix field)
};

TarMagic DetectTarMagic(const char* block);

/// Decodes a numeric header field: octal digits after optional leading
/// spaces, ended by space, NUL or the field end (an all-NUL or all-space
/// field is 0); or GNU base-256 when the first byte has the high bit set
/// (0x80 positive, 0xff negative, big-endian two's complement). Returns false
/// on any other byte or on overflow of int64.
bool TryParseTarNumber(const char* field, size_t len, int64_t* out);

/// The header checksum as GNU tar accepts it: the byte sum with the chksum
/// field read as spaces, summed as unsigned and as signed chars.
struct TarChecksums {
  int64_t unsigned_sum;
  int64_t signed_sum;
};
TarChecksums ComputeTarChecksums(const char* block);
int64_t TarUnsignedChecksum(const char* block);  // the one writers use
int64_t TarSignedChecksum(const char* block);    // old Sun/BSD tars

bool IsZeroBlock(const char* block);

/// Length of a NUL-terminated field of at most |len| bytes.
inline std::string_view TarString(const char* block, size_t off, size_t len) {
  const char* p = block + off;
  size_t n = 0;
  while (n < len && p[n] != '\0') ++n;
  return std::string_view(p, n);
}

/// Bytes of zero padding after |n| data bytes to the next block boundary.
constexpr uint64_t TarPadding(uint64_t n) { return (kTarBlockSize - n % kTarBlockSize) % kTarBlockSize; }

}  // namespace whittle

#endif  // WHITTLE_TAR_TAR_HEADER_H_
