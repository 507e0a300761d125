#include "io/compress.h"

#include <gtest/gtest.h>

#include <random>

#include "io/byte_sink.h"
#include "io/decompress.h"

namespace whittle {
namespace {

std::string Inflate(Compression c, const std::string& data) {
  auto src = MakeDecompressor(c, MakeMemorySource(data, "blob"));
  auto all = ReadAllCapped(*src, 1u << 30);
  EXPECT_TRUE(all.has_value()) << (all ? "" : all.error().message());
  return all ? *all : "";
}

// Text-like input (compressible) that spans several chunks.
std::string Sample(size_t n) {
  std::mt19937 rng(7);
  std::string s;
  s.reserve(n);
  const char* words[] = {"layer ", "blob ", "tar ", "whiteout ", "digest\n", "sha256 "};
  while (s.size() < n) s += words[rng() % 6];
  s.resize(n);
  return s;
}

std::string Compress(const CompressOptions& o, const std::string& in, size_t piece) {
  StringSink out;
  auto c = MakeCompressor(o, &out);
  for (size_t off = 0; off < in.size(); off += piece) {
    EXPECT_TRUE(c->Write(in.data() + off, std::min(piece, in.size() - off)).ok());
  }
  EXPECT_TRUE(c->Close().ok());
  return out.str();
}

TEST(CompressTest, GzipAndZstdRoundTripAcrossChunks) {
  const std::string in = Sample(2 * kCompressChunk + 12345);
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    CompressOptions o;
    o.compression = c;
    std::string z = Compress(o, in, 100000);
    EXPECT_LT(z.size(), in.size() / 2);
    EXPECT_EQ(SniffCompression(z.data(), z.size()), c);
    EXPECT_EQ(Inflate(c, z), in);
  }
}

TEST(CompressTest, OutputDoesNotDependOnThreads) {
  const std::string in = Sample(3 * kCompressChunk + 7);
  CompressOptions one;
  CompressOptions four;
  four.threads = 4;
  EXPECT_EQ(Compress(one, in, 1 << 20), Compress(four, in, 333333));
}

TEST(CompressTest, EmptyInputIsAValidEmptyStream) {
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    CompressOptions o;
    o.compression = c;
    std::string z = Compress(o, "", 1);
    EXPECT_FALSE(z.empty());
    EXPECT_EQ(Inflate(c, z), "");
  }
}

TEST(CompressTest, NoneAndHashingSinkPassBytesThrough) {
  StringSink out;
  HashingSink hash(&out);
  CompressOptions o;
  o.compression = Compression::kNone;
  auto c = MakeCompressor(o, &hash);
  ASSERT_TRUE(c->Write("abc", 3).ok());
  ASSERT_TRUE(c->Close().ok());
  ASSERT_TRUE(hash.Close().ok());
  EXPECT_EQ(out.str(), "abc");
  EXPECT_EQ(hash.size(), 3u);
  EXPECT_EQ(hash.digest(), "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace whittle
