// Fuzz-style replay for the decompressors: random and mutated inputs must
// give either data or a clean error, never a crash, hang or overrun (run
// this under ASan/UBSan). FuzzDecompress has the shape of a libFuzzer entry
// point so a fuzz target can call it unchanged.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "io/decompress.h"
#include "io/test_util.h"

namespace whittle {

/// Feeds |data| to both decompressors with a mix of reads and skips,
/// stopping after 64 MiB of output (compression bombs). Returns the
/// statuses (gzip, zstd) for the caller to inspect.
std::pair<Status, Status> FuzzDecompress(const uint8_t* data, size_t size) {
  Status results[2];
  const Compression kinds[2] = {Compression::kGzip, Compression::kZstd};
  for (int k = 0; k < 2; ++k) {
    auto src = MakeDecompressor(
        kinds[k], MakeMemorySource(std::string(reinterpret_cast<const char*>(data), size), "fuzz"));
    std::vector<char> buf(100000);
    uint64_t last_blob = 0;
    for (int i = 0; src->position() < (64u << 20); ++i) {
      if (i % 3 == 2) {
        Status s = src->Skip(7000);
        if (!s.ok()) {
          results[k] = s;
          break;
        }
      } else {
        auto n = src->Read(buf.data(), i % 2 ? 100 : buf.size());
        if (!n.has_value()) {
          results[k] = n.error();
          break;
        }
        if (*n == 0) break;
      }
      // blob_position never goes backwards nor past the input.
      if (src->blob_position() < last_blob || src->blob_position() > size) {
        results[k] = Error(Errc::kInternal, "blob_position out of order");
        break;
      }
      last_blob = src->blob_position();
    }
  }
  return {results[0], results[1]};
}

namespace {

void ExpectCleanError(const Status& s) {
  if (s.ok()) return;
  EXPECT_TRUE(s.code() == Errc::kCorrupt || s.code() == Errc::kTooLarge) << s.message();
  EXPECT_EQ(s.message().rfind("fuzz: ", 0), 0u) << s.message();
  EXPECT_EQ(s.message().find('\n'), std::string::npos);
}

TEST(FuzzDecompressTest, RandomBytes) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 300; ++round) {
    size_t n = rng() % 4000;
    std::string in = testing::MakeRandomBytes(n, rng());
    if (round % 3 == 0 && n >= 2) in[0] = '\x1f', in[1] = '\x8b';  // past the gzip magic
    if (round % 3 == 1 && n >= 4) in.replace(0, 4, "\x28\xb5\x2f\xfd", 4);  // past zstd's
    auto [gz, zs] = FuzzDecompress(reinterpret_cast<const uint8_t*>(in.data()), in.size());
    ExpectCleanError(gz);
    ExpectCleanError(zs);
  }
}

TEST(FuzzDecompressTest, MutatedValidStreams) {
  testing::TempDir dir;
  std::string data = testing::MakeTestData(200000, 77);
  std::vector<std::string> seeds = {
      testing::CompressWith(dir, data, "gzip -c"),
      testing::CompressWith(dir, data, "pigz -c") + testing::CompressWith(dir, "x", "gzip -c"),
      testing::CompressWith(dir, data, "zstd -q -c"),
      testing::CompressWith(dir, data, "zstd -q --no-check -19 -c")};
  std::mt19937 rng(5678);
  int errors = 0;
  int oks = 0;
  for (const std::string& seed : seeds) {
    ASSERT_FALSE(seed.empty());
    for (int round = 0; round < 60; ++round) {
      std::string in = seed;
      switch (round % 4) {
        case 0:  // flip a few bits
          for (int i = 0; i < 3; ++i) in[rng() % in.size()] ^= static_cast<char>(1 << (rng() % 8));
          break;
        case 1:  // truncate
          in.resize(rng() % in.size());
          break;
        case 2:  // insert random bytes
          in.insert(rng() % in.size(), testing::MakeRandomBytes(1 + rng() % 40, rng()));
          break;
        case 3:  // overwrite a stretch with a copy of another part
          {
            size_t from = rng() % in.size(), to = rng() % in.size();
            size_t len = std::min<size_t>({64, in.size() - from, in.size() - to});
            in.replace(to, len, in.substr(from, len));
          }
          break;
      }
      auto [gz, zs] = FuzzDecompress(reinterpret_cast<const uint8_t*>(in.data()), in.size());
      ExpectCleanError(gz);
      ExpectCleanError(zs);
      errors += !gz.ok() + !zs.ok();
      oks += gz.ok() + zs.ok();
    }
  }
  // Each mutated stream is garbage to the other decompressor, and most
  // mutations break their own: errors dominate.
  EXPECT_GT(errors, 240);
}

TEST(FuzzDecompressTest, CompressionBombStopsAtTheCap) {
  testing::TempDir dir;
  std::string zeros(80 << 20, '\0');
  std::string gz = testing::CompressWith(dir, zeros, "gzip -1 -c");
  ASSERT_FALSE(gz.empty());
  ASSERT_LT(gz.size(), 1u << 20);
  auto [g, z] = FuzzDecompress(reinterpret_cast<const uint8_t*>(gz.data()), gz.size());
  EXPECT_TRUE(g.ok()) << g.message();  // stopped at 64 MiB, no error
  ExpectCleanError(z);
  EXPECT_FALSE(z.ok());
}

}  // namespace
}  // namespace whittle
