#include "io/decompress.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/file_source.h"
#include "io/hashing_source.h"
#include "io/test_util.h"
#include "util/strings.h"

namespace whittle {
namespace {

using testing::CompressWith;
using testing::TempDir;

struct Drained {
  std::string data;
  Status status;
  std::vector<uint64_t> blob_positions;  // after each read
};

// Reads |src| to the end with reads of varying sizes (small ones go through
// the decompressor's buffer, big ones straight into ours).
Drained ReadAllOf(ByteSource& src) {
  Drained d;
  std::vector<char> buf(1 << 20);
  const size_t kSizes[] = {1 << 20, 100, 65536, 1, 300000, 512};
  for (size_t i = 0;; ++i) {
    auto n = src.Read(buf.data(), kSizes[i % 6]);
    if (!n.has_value()) {
      d.status = n.error();
      return d;
    }
    if (*n == 0) return d;
    d.data.append(buf.data(), *n);
    d.blob_positions.push_back(src.blob_position());
  }
}

std::unique_ptr<ByteSource> Decompress(Compression c, const std::string& blob,
                                       const std::string& name = "blob") {
  return MakeDecompressor(c, MakeMemorySource(blob, name));
}

class DecompressTest : public ::testing::Test {
 protected:
  TempDir dir_;
};

// Each real tool, each stream read with mixed read sizes: the bytes come
// back, position() counts them, blob_position() climbs to the blob size.
TEST_F(DecompressTest, RealToolsRoundTrip) {
  struct Case {
    Compression c;
    const char* command;
  };
  const Case kCases[] = {
      {Compression::kGzip, "gzip -6 -c"},   {Compression::kGzip, "gzip -1 -c"},
      {Compression::kGzip, "gzip -9 -n -c"}, {Compression::kGzip, "pigz -c"},
      {Compression::kGzip, "pigz -p 2 -b 128 -c"}, {Compression::kGzip, "igzip -c"},
      {Compression::kGzip, "igzip -3 -c"},  {Compression::kZstd, "zstd -q -c"},
      {Compression::kZstd, "zstd -q -19 -c"}, {Compression::kZstd, "zstd -q --no-check -c"},
      {Compression::kZstd, "zstd -q -T2 -B262144 -c"},
      // A header with FNAME and MTIME set.
      {Compression::kGzip, "(f=$(mktemp) && cat > $f && gzip -N -c $f; rm -f $f)"},
  };
  const std::string data = testing::MakeTestData(3 << 20, 42);
  for (const Case& k : kCases) {
    SCOPED_TRACE(k.command);
    std::string blob = CompressWith(dir_, data, k.command);
    ASSERT_FALSE(blob.empty());
    auto src = Decompress(k.c, blob);
    Drained d = ReadAllOf(*src);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_TRUE(d.data == data);
    EXPECT_EQ(src->position(), data.size());
    // Monotonic, never past the blob, exact at the end.
    for (size_t i = 1; i < d.blob_positions.size(); ++i) {
      ASSERT_LE(d.blob_positions[i - 1], d.blob_positions[i]);
    }
    ASSERT_FALSE(d.blob_positions.empty());
    EXPECT_LE(d.blob_positions.back(), blob.size());
    EXPECT_EQ(src->blob_position(), blob.size());
    // Mid-stream it is a real approximation, not 0 or the end.
    uint64_t mid = d.blob_positions[d.blob_positions.size() / 2];
    EXPECT_GT(mid, 0u);
    EXPECT_LT(mid, blob.size());
  }
}

TEST_F(DecompressTest, EmptyContentStreams) {
  for (auto [c, cmd] : {std::pair{Compression::kGzip, "gzip -c"}, {Compression::kZstd, "zstd -q -c"}}) {
    std::string blob = CompressWith(dir_, "", cmd);
    ASSERT_FALSE(blob.empty());
    auto src = Decompress(c, blob);
    Drained d = ReadAllOf(*src);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_EQ(d.data, "");
    EXPECT_EQ(src->blob_position(), blob.size());
  }
}

TEST_F(DecompressTest, ConcatenatedGzipMembersFromDifferentTools) {
  std::string a = testing::MakeTestData(500000, 1);
  std::string b = testing::MakeTestData(70000, 2);
  std::string c = testing::MakeRandomBytes(300000, 3);
  std::string blob = CompressWith(dir_, a, "gzip -c") + CompressWith(dir_, b, "pigz -c") +
                     CompressWith(dir_, "", "igzip -c") + CompressWith(dir_, c, "igzip -c");
  auto src = Decompress(Compression::kGzip, blob);
  Drained d = ReadAllOf(*src);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_TRUE(d.data == a + b + c);
  EXPECT_EQ(src->blob_position(), blob.size());
  // gzip itself agrees on what these bytes mean.
  testing::WriteFile(dir_.File("cat.gz"), blob);
  EXPECT_TRUE(testing::RunAndCapture("gzip -dc < '" + dir_.File("cat.gz") + "'") == a + b + c);
}

TEST_F(DecompressTest, ConcatenatedZstdFramesAndSkippableFrames) {
  std::string a = testing::MakeTestData(400000, 4);
  std::string b = testing::MakeTestData(123457, 5);
  // A skippable frame: magic 0x184D2A5?, 4-byte little-endian size, payload.
  std::string skippable("\x53\x2a\x4d\x18\x05\x00\x00\x00hello", 13);
  std::string blob = skippable + CompressWith(dir_, a, "zstd -q -c") + skippable +
                     CompressWith(dir_, b, "zstd -q -3 -c") + skippable;
  EXPECT_EQ(SniffCompression(blob.data(), blob.size()), Compression::kZstd);
  auto src = Decompress(Compression::kZstd, blob);
  Drained d = ReadAllOf(*src);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_TRUE(d.data == a + b);
  EXPECT_EQ(src->blob_position(), blob.size());
  testing::WriteFile(dir_.File("cat.zst"), blob);
  EXPECT_TRUE(testing::RunAndCapture("zstd -q -dc < '" + dir_.File("cat.zst") + "'") == a + b);
}

// Cut a stream anywhere, header and trailer included: kCorrupt, naming the
// compressed offset where the data ran out.
TEST_F(DecompressTest, TruncatedStreamsNameTheOffset) {
  const std::string data = testing::MakeTestData(600000, 9);
  for (auto [c, cmd, kind] : {std::tuple{Compression::kGzip, "gzip -c", "gzip"},
                              {Compression::kGzip, "pigz -c", "gzip"},
                              {Compression::kZstd, "zstd -q -c", "zstd"}}) {
    std::string blob = CompressWith(dir_, data, cmd);
    ASSERT_GT(blob.size(), 100u);
    for (size_t cut : {size_t{0}, size_t{1}, size_t{5}, size_t{12}, blob.size() / 3,
                       blob.size() / 2, blob.size() - 8, blob.size() - 4, blob.size() - 1}) {
      SCOPED_TRACE(std::string(cmd) + " cut at " + std::to_string(cut));
      auto src = Decompress(c, blob.substr(0, cut), "layer.tar.gz");
      Drained d = ReadAllOf(*src);
      ASSERT_FALSE(d.status.ok());
      EXPECT_EQ(d.status.code(), Errc::kCorrupt);
      EXPECT_EQ(d.status.message(), std::string("layer.tar.gz: truncated ") + kind +
                                        " stream at compressed offset " + std::to_string(cut));
      EXPECT_TRUE(data.compare(0, d.data.size(), d.data) == 0);
      // Sticky.
      char b;
      auto again = src->Read(&b, 1);
      ASSERT_FALSE(again.has_value());
      EXPECT_EQ(again.error().message(), d.status.message());
    }
  }
}

TEST_F(DecompressTest, GzipChecksumAndLengthAreVerified) {
  const std::string data = testing::MakeTestData(200000, 10);
  std::string blob = CompressWith(dir_, data, "gzip -c");
  std::string bad_crc = blob;
  bad_crc[blob.size() - 8] ^= 0x01;  // CRC32 trailer
  std::string bad_len = blob;
  bad_len[blob.size() - 4] ^= 0x01;  // ISIZE trailer
  for (const std::string& b : {bad_crc, bad_len}) {
    auto src = Decompress(Compression::kGzip, b, "l.gz");
    Drained d = ReadAllOf(*src);
    EXPECT_EQ(d.status.code(), Errc::kCorrupt);
    EXPECT_NE(d.status.message().find("l.gz: corrupt gzip stream at compressed offset "),
              std::string::npos)
        << d.status.message();
    EXPECT_NE(d.status.message().find("CRC32 or length check failed"), std::string::npos);
  }
}

TEST_F(DecompressTest, ZstdContentChecksumIsVerified) {
  const std::string data = testing::MakeTestData(200000, 11);
  std::string blob = CompressWith(dir_, data, "zstd -q -C -c");
  blob[blob.size() - 2] ^= 0x40;  // inside the 4-byte content checksum
  auto src = Decompress(Compression::kZstd, blob, "l.zst");
  Drained d = ReadAllOf(*src);
  EXPECT_EQ(d.status.code(), Errc::kCorrupt);
  EXPECT_NE(d.status.message().find("l.zst: corrupt zstd stream at compressed offset "),
            std::string::npos)
      << d.status.message();
}

TEST_F(DecompressTest, GarbageIsCorrupt) {
  std::string garbage = testing::MakeRandomBytes(5000, 12);
  garbage[0] = 'X';  // not a gzip or zstd magic
  for (auto [c, want] :
       {std::pair{Compression::kGzip, "g: corrupt gzip stream at compressed offset "},
        {Compression::kZstd, "g: corrupt zstd stream at compressed offset "}}) {
    auto src = Decompress(c, garbage, "g");
    Drained d = ReadAllOf(*src);
    EXPECT_EQ(d.status.code(), Errc::kCorrupt);
    EXPECT_EQ(d.status.message().rfind(want, 0), 0u) << d.status.message();
    EXPECT_EQ(d.data, "");
  }
}

TEST_F(DecompressTest, TrailingGarbageAfterGzipMemberIsCorrupt) {
  const std::string data = testing::MakeTestData(100000, 13);
  std::string gz = CompressWith(dir_, data, "gzip -c");
  auto src = Decompress(Compression::kGzip, gz + "trailing junk!", "t.gz");
  Drained d = ReadAllOf(*src);
  EXPECT_EQ(d.status.code(), Errc::kCorrupt);
  EXPECT_EQ(d.status.message(), "t.gz: corrupt gzip stream at compressed offset " +
                                    std::to_string(gz.size()) + ": invalid gzip header");
  EXPECT_TRUE(d.data == data);  // the complete member still came through
}

TEST_F(DecompressTest, FlippedDeflateBitsAreCaught) {
  const std::string data = testing::MakeTestData(300000, 14);
  std::string gz = CompressWith(dir_, data, "gzip -c");
  int caught = 0;
  for (size_t at = 20; at + 8 < gz.size(); at += gz.size() / 17) {
    std::string bad = gz;
    bad[at] ^= 0x10;
    auto src = Decompress(Compression::kGzip, bad);
    Drained d = ReadAllOf(*src);
    // Either the deflate data is invalid or the CRC catches the change.
    EXPECT_EQ(d.status.code(), Errc::kCorrupt) << "flip at " << at;
    caught += d.status.code() == Errc::kCorrupt;
  }
  EXPECT_GE(caught, 16);
}

TEST_F(DecompressTest, SkipDecompressesAndDiscards) {
  const std::string data = testing::MakeTestData(2 << 20, 15);
  for (auto [c, cmd] : {std::pair{Compression::kGzip, "gzip -c"}, {Compression::kZstd, "zstd -q -c"}}) {
    SCOPED_TRACE(cmd);
    std::string blob = CompressWith(dir_, data, cmd);
    auto src = Decompress(c, blob, "s");
    char buf[64];
    ASSERT_EQ(*src->Read(buf, 10), 10u);        // buffered path
    ASSERT_TRUE(src->Skip(20).ok());            // inside the buffer
    ASSERT_EQ(*src->Read(buf, 64), 64u);
    EXPECT_EQ(std::string(buf, 64), data.substr(30, 64));
    uint64_t bp = src->blob_position();
    ASSERT_TRUE(src->Skip(1000000).ok());       // far past the buffer
    EXPECT_EQ(src->position(), 1000094u);
    EXPECT_GT(src->blob_position(), bp);
    ASSERT_EQ(*src->Read(buf, 64), 64u);
    EXPECT_EQ(std::string(buf, 64), data.substr(1000094, 64));
    Status s = src->Skip(data.size());  // past the end
    EXPECT_EQ(s.code(), Errc::kCorrupt);
    EXPECT_EQ(s.message(), "s: unexpected end of data at offset " + std::to_string(data.size()) +
                               " (wanted 1000158 more bytes)");
    EXPECT_EQ(src->blob_position(), blob.size());
  }
}

TEST_F(DecompressTest, SkipToExactEndThenReadReturnsZero) {
  const std::string data = testing::MakeTestData(700000, 16);
  std::string blob = CompressWith(dir_, data, "pigz -c");
  auto src = Decompress(Compression::kGzip, blob);
  ASSERT_TRUE(src->Skip(data.size()).ok());
  char b;
  auto n = src->Read(&b, 1);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 0u);
  EXPECT_EQ(src->blob_position(), blob.size());
}

TEST_F(DecompressTest, NoneReturnsTheInnerSource) {
  auto inner = MakeMemorySource("plain", "p");
  ByteSource* raw = inner.get();
  auto src = MakeDecompressor(Compression::kNone, std::move(inner));
  EXPECT_EQ(src.get(), raw);
}

TEST_F(DecompressTest, FileAndHashUnderneath) {
  // The real pipeline: file range -> digest check -> gzip -> consumer.
  const std::string data = testing::MakeTestData(1 << 20, 17);
  std::string blob = CompressWith(dir_, data, "gzip -c");
  std::string padded = "HEAD" + blob + "TAIL";
  testing::WriteFile(dir_.File("image.tar"), padded);
  auto file = File::Open(dir_.File("image.tar"));
  ASSERT_TRUE(file.has_value());
  std::string digest = testing::Sha256sumOf(dir_, blob);
  auto hashed = HashingSource::Make(MakeFileRangeSource(*file, 4, blob.size(), "image.tar:l.gz"),
                                    digest, static_cast<int64_t>(blob.size()));
  auto src = MakeDecompressor(Compression::kGzip, std::move(hashed));
  Drained d = ReadAllOf(*src);
  ASSERT_TRUE(d.status.ok()) << d.status.message();
  EXPECT_TRUE(d.data == data);
  EXPECT_EQ(src->blob_position(), blob.size());

  // Same bytes, wrong digest: the mismatch surfaces through the decompressor.
  std::string wrong = "sha256:" + std::string(64, '0');
  auto src2 = MakeDecompressor(
      Compression::kGzip,
      HashingSource::Make(MakeFileRangeSource(*file, 4, blob.size(), "image.tar:l.gz"), wrong));
  Drained d2 = ReadAllOf(*src2);
  EXPECT_EQ(d2.status.code(), Errc::kDigestMismatch);
  EXPECT_EQ(d2.status.message(), "image.tar:l.gz: digest mismatch: manifest says " + wrong +
                                     ", content is " + digest);
}

// Every blob of dive's test images (OCI gzip, zstd, estargz, uncompressed;
// kaniko's .tar.gz layers) through the real pipeline: digest checked
// against the blob's name, compression sniffed, content equal to what the
// reference CLI decompresses, blob_position() exact at the end.
TEST_F(DecompressTest, AnchorImageBlobs) {
  namespace fs = std::filesystem;
  const std::string data_dir = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive";
  std::map<Compression, int> seen;
  int estargz_members = 0;
  for (const char* image : {"test-oci-gzip-image.tar", "test-oci-zstd-image.tar",
                            "test-oci-estargz-image.tar", "test-oci-uncompressed-image.tar",
                            "test-kaniko-image.tar"}) {
    std::string out_dir = dir_.File(image) + ".d";
    ASSERT_EQ(testing::Run("mkdir -p '" + out_dir + "' && tar -xf '" + data_dir + "/" + image +
                           "' -C '" + out_dir + "'"),
              0);
    for (const auto& entry : fs::recursive_directory_iterator(out_dir)) {
      if (!entry.is_regular_file()) continue;
      std::string path = entry.path().string();
      bool is_blob = entry.path().parent_path().filename() == "sha256";
      if (!is_blob && !EndsWith(path, ".tar.gz")) continue;
      SCOPED_TRACE(path);
      auto file = File::Open(path);
      ASSERT_TRUE(file.has_value());
      char head[4];
      auto n = (*file)->ReadAt(0, head, 4);
      ASSERT_TRUE(n.has_value());
      Compression c = SniffCompression(head, *n);
      ++seen[c];
      std::string expected = is_blob ? "sha256:" + entry.path().filename().string() : "";
      auto hashed = HashingSource::Make(MakeFileRangeSource(*file, 0, (*file)->size(), path),
                                        expected, static_cast<int64_t>((*file)->size()));
      auto src = MakeDecompressor(c, std::move(hashed));
      Drained d = ReadAllOf(*src);
      ASSERT_TRUE(d.status.ok()) << d.status.message();
      const char* tool = c == Compression::kGzip ? "gzip -dc" : c == Compression::kZstd ? "zstd -q -dc" : "cat";
      EXPECT_TRUE(d.data == testing::RunAndCapture(std::string(tool) + " < '" + path + "'"));
      EXPECT_EQ(src->blob_position(), (*file)->size());
      if (c == Compression::kGzip && std::string(image) == "test-oci-estargz-image.tar") {
        // estargz: one gzip member per file plus the TOC and footer members.
        std::string blob = testing::ReadFile(path);
        for (size_t at = 0; (at = blob.find("\x1f\x8b\x08", at)) != std::string::npos; ++at) {
          ++estargz_members;
        }
      }
    }
  }
  EXPECT_GE(seen[Compression::kGzip], 2 + 11);  // OCI gzip, estargz layers; kaniko's 11+
  EXPECT_GE(seen[Compression::kZstd], 1);
  EXPECT_GE(seen[Compression::kNone], 6);  // configs, manifests, the uncompressed layer
  EXPECT_GE(estargz_members, 3);
}

// The same pipeline with hashing on a worker thread: the decompressor then
// decodes straight from the hasher's chunks (ReadView), for both formats,
// across many chunks.
TEST_F(DecompressTest, BackgroundHashingUnderneath) {
  const std::string data = testing::MakeRandomBytes(3 << 20, 18) + testing::MakeTestData(3 << 20, 19);
  for (auto [c, cmd] : {std::pair{Compression::kGzip, "pigz -c"}, {Compression::kZstd, "zstd -q -c"}}) {
    SCOPED_TRACE(cmd);
    std::string blob = CompressWith(dir_, data, cmd);
    ASSERT_GT(blob.size(), 2u << 20);
    std::string digest = testing::Sha256sumOf(dir_, blob);
    auto src = MakeDecompressor(
        c, HashingSource::Make(MakeMemorySource(blob, "b"), digest,
                               static_cast<int64_t>(blob.size()), HashThreading::kBackground));
    Drained d = ReadAllOf(*src);
    ASSERT_TRUE(d.status.ok()) << d.status.message();
    EXPECT_TRUE(d.data == data);
    EXPECT_EQ(src->blob_position(), blob.size());

    std::string bad = blob;
    bad[bad.size() / 2] ^= 0x20;
    auto src2 = MakeDecompressor(
        c, HashingSource::Make(MakeMemorySource(bad, "b"), digest, -1, HashThreading::kBackground));
    Drained d2 = ReadAllOf(*src2);
    // Either the decoder or the digest check notices first; both are errors.
    EXPECT_TRUE(d2.status.code() == Errc::kCorrupt || d2.status.code() == Errc::kDigestMismatch)
        << d2.status.message();
  }
}

// A pipe hands out whatever the writer has written so far. Where the
// compressed bytes are attributed must not depend on that: the same blob
// read through a file, a memory view, the background hasher's chunks and a
// source that returns a few bytes at a time gives the same blob_position()
// after every read (CI once saw a streamed archive attribute a few bytes
// differently from the same file).
class TrickleSource final : public ByteSource {
 public:
  explicit TrickleSource(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    static constexpr size_t kSizes[] = {1, 4093, 17, 65536, 300, 100000, 7};
    size_t k = std::min({n, data_.size() - pos_, kSizes[calls_++ % 7]});
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

 private:
  std::string data_;
  std::string name_ = "trickle";
  size_t pos_ = 0;
  size_t calls_ = 0;
};

TEST_F(DecompressTest, BlobPositionsDoNotDependOnHowTheInputArrives) {
  const std::string data = testing::MakeTestData(5 << 20, 23) + testing::MakeRandomBytes(1 << 20, 24);
  for (auto [c, cmd] : {std::pair{Compression::kGzip, "gzip -c"}, {Compression::kZstd, "zstd -q -c"}}) {
    SCOPED_TRACE(cmd);
    std::string blob = CompressWith(dir_, data, cmd);
    testing::WriteFile(dir_.File("blob"), blob);
    auto file = File::Open(dir_.File("blob"));
    ASSERT_TRUE(file.has_value());
    std::string digest = testing::Sha256sumOf(dir_, blob);
    std::vector<std::pair<std::string, std::unique_ptr<ByteSource>>> sources;
    sources.emplace_back("file", MakeFileRangeSource(*file, 0, blob.size(), "blob"));
    sources.emplace_back("memory", MakeMemorySource(blob, "blob"));
    sources.emplace_back("trickle", std::make_unique<TrickleSource>(blob));
    sources.emplace_back("hashed in the background",
                         HashingSource::Make(MakeMemorySource(blob, "blob"), digest,
                                             static_cast<int64_t>(blob.size()), HashThreading::kBackground));
    std::vector<uint64_t> want;
    for (auto& [what, inner] : sources) {
      SCOPED_TRACE(what);
      auto src = MakeDecompressor(c, std::move(inner));
      Drained d = ReadAllOf(*src);
      ASSERT_TRUE(d.status.ok()) << d.status.message();
      EXPECT_TRUE(d.data == data);
      EXPECT_EQ(d.blob_positions.back(), blob.size());
      if (want.empty()) {
        want = d.blob_positions;
        ASSERT_GT(want.size(), 10u);
      } else {
        EXPECT_EQ(d.blob_positions, want);
      }
    }
  }
}

}  // namespace
}  // namespace whittle
