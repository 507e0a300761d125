#include "io/byte_source.h"

#include <gtest/gtest.h>

#include <string>

namespace whittle {
namespace {

TEST(MemorySourceTest, ReadsSkipsAndCountsPositions) {
  auto src = MakeMemorySource("hello, world", "mem");
  char buf[5];
  ASSERT_EQ(*src->Read(buf, 5), 5u);
  EXPECT_EQ(std::string(buf, 5), "hello");
  EXPECT_EQ(src->position(), 5u);
  EXPECT_EQ(src->blob_position(), 5u);
  ASSERT_TRUE(src->Skip(2).ok());
  ASSERT_EQ(*src->Read(buf, 5), 5u);
  EXPECT_EQ(std::string(buf, 5), "world");
  EXPECT_EQ(*src->Read(buf, 5), 0u);
  EXPECT_EQ(src->position(), 12u);
}

TEST(MemorySourceTest, SkipPastEndIsCorruptNamingOffset) {
  auto src = MakeMemorySource("abc", "mem");
  Status s = src->Skip(10);
  EXPECT_EQ(s.code(), Errc::kCorrupt);
  EXPECT_EQ(s.message(), "mem: unexpected end of data at offset 3");
}

TEST(ReadFullTest, ShortStreamNamesOffsetAndShortfall) {
  auto src = MakeMemorySource("abcdef", "blob");
  char buf[16];
  ASSERT_TRUE(ReadFull(*src, buf, 4).ok());
  Status s = ReadFull(*src, buf, 10);
  EXPECT_EQ(s.code(), Errc::kCorrupt);
  EXPECT_EQ(s.message(), "blob: unexpected end of data at offset 6 (wanted 8 more bytes)");
}

TEST(DrainTest, CountsEverythingLeft) {
  auto src = MakeMemorySource(std::string(300000, 'x'), "m");
  char buf[10];
  ASSERT_TRUE(ReadFull(*src, buf, 10).ok());
  auto n = Drain(*src);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 299990u);
}

TEST(ReadAllCappedTest, ReturnsDataUnderCapAndFailsOver) {
  auto ok = MakeMemorySource("{\"a\":1}", "config.json");
  auto got = ReadAllCapped(*ok, 7);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, "{\"a\":1}");

  auto big = MakeMemorySource(std::string(100, 'x'), "manifest.json");
  auto err = ReadAllCapped(*big, 99);
  ASSERT_FALSE(err.has_value());
  EXPECT_EQ(err.error().code(), Errc::kTooLarge);
  EXPECT_EQ(err.error().message(), "manifest.json: larger than the 99-byte limit for this kind of blob");
}

TEST(ByteSourceDefaultSkipTest, ReadsAndDiscardsAndFailsPastEnd) {
  // A source that only implements Read, to exercise ByteSource::Skip.
  class Counting final : public ByteSource {
   public:
    Result<size_t> Read(void* buf, size_t n) override {
      size_t k = std::min<size_t>(n, 100000 - pos_);
      for (size_t i = 0; i < k; ++i) static_cast<char*>(buf)[i] = static_cast<char>((pos_ + i) % 251);
      pos_ += k;
      return k;
    }
    uint64_t position() const override { return pos_; }
    const std::string& name() const override { return name_; }

   private:
    uint64_t pos_ = 0;
    std::string name_ = "counting";
  } src;
  ASSERT_TRUE(src.Skip(70000).ok());
  unsigned char c;
  ASSERT_EQ(*src.Read(&c, 1), 1u);
  EXPECT_EQ(c, 70000 % 251);
  Status s = src.Skip(40000);
  EXPECT_EQ(s.code(), Errc::kCorrupt);
  EXPECT_EQ(s.message(), "counting: unexpected end of data at offset 100000 (wanted 10001 more bytes)");
}

}  // namespace
}  // namespace whittle
