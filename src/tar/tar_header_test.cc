#include "tar/tar_header.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace whittle {
namespace {

struct NumberCase {
  std::string field;
  bool ok;
  int64_t want;
};

TEST(TarHeaderTest, ParsesNumbers) {
  const NumberCase kCases[] = {
      {std::string("0000644\0", 8), true, 0644},
      {std::string("    644 ", 8), true, 0644},
      {std::string("644\0\0\0\0\0", 8), true, 0644},
      {std::string("\0\0\0\0\0\0\0\0", 8), true, 0},
      {std::string("        ", 8), true, 0},
      {std::string("77777777", 8), true, 077777777},  // no terminator: GNU accepts
      {std::string("0000644x", 8), false, 0},
      {std::string("12a4\0\0\0\0", 8), false, 0},
      {std::string("0008\0\0\0\0", 8), false, 0},
      {std::string("-000001\0", 8), false, 0},
      {std::string("\x80\0\0\0\0\0\0\x01", 8), true, 1},
      {std::string("\x80\0\0\0\0\0\x01\x00", 8), true, 256},
      {std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8), true, -1},
      {std::string("\xff\xff\xff\xff\xff\xff\xff\xfe", 8), true, -2},
      {std::string("\x90\0\0\0\0\0\0\0", 8), false, 0},  // neither 0x80 nor 0xff
      // 2^63 does not fit int64.
      {std::string("\x80\0\0\0\x80\0\0\0\0\0\0\0", 12), false, 0},
      {std::string("\x80\0\0\0\x7f\xff\xff\xff\xff\xff\xff\xff", 12), true, INT64_MAX},
      {std::string("\x80\0\0\0\0\0\0\x02\0\0\0\0", 12), true, int64_t{8} << 30},
  };
  for (const NumberCase& c : kCases) {
    int64_t v = -12345;
    bool ok = TryParseTarNumber(c.field.data(), c.field.size(), &v);
    EXPECT_EQ(ok, c.ok) << "field '" << c.field << "'";
    if (c.ok && ok) {
      EXPECT_EQ(v, c.want) << "field '" << c.field << "'";
    }
  }
}

TEST(TarHeaderTest, ChecksumSignedAndUnsigned) {
  char b[512];
  std::memset(b, 0, sizeof b);
  b[0] = 'a';
  b[10] = static_cast<char>(0xe9);
  TarChecksums s = ComputeTarChecksums(b);
  EXPECT_EQ(s.unsigned_sum, 8 * 32 + 'a' + 0xe9);
  EXPECT_EQ(s.signed_sum, 8 * 32 + 'a' + (0xe9 - 256));
  std::memset(b + 148, 'z', 8);  // the field itself never counts
  EXPECT_EQ(ComputeTarChecksums(b).unsigned_sum, s.unsigned_sum);
}

TEST(TarHeaderTest, MagicAndZeroBlocks) {
  char b[512];
  std::memset(b, 0, sizeof b);
  EXPECT_TRUE(IsZeroBlock(b));
  EXPECT_EQ(DetectTarMagic(b), TarMagic::kV7);
  std::memcpy(b + 257, "ustar\0" "00", 8);
  EXPECT_EQ(DetectTarMagic(b), TarMagic::kUstar);
  std::memcpy(b + 257, "ustar  \0", 8);
  EXPECT_EQ(DetectTarMagic(b), TarMagic::kGnu);
  EXPECT_FALSE(IsZeroBlock(b));
  std::memset(b, 0, sizeof b);
  b[511] = 1;
  EXPECT_FALSE(IsZeroBlock(b));
  EXPECT_EQ(TarPadding(0), 0u);
  EXPECT_EQ(TarPadding(1), 511u);
  EXPECT_EQ(TarPadding(512), 0u);
  EXPECT_EQ(TarPadding(513), 511u);
}

}  // namespace
}  // namespace whittle
