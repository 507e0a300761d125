#include "io/hashing_source.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/file_source.h"
#include "io/test_util.h"

namespace whittle {
namespace {

using testing::TempDir;

// Every test runs in both modes: hashing inline and on a worker thread.
class HashingSourceTest : public ::testing::TestWithParam<HashThreading> {
 protected:
  void SetUp() override {
    data_ = testing::MakeTestData(3 * 1000 * 1000 + 17, 21);  // several worker chunks
    digest_ = testing::Sha256sumOf(dir_, data_);
    ASSERT_EQ(digest_.size(), 71u);
  }
  std::unique_ptr<HashingSource> Make(std::string expected, int64_t size,
                                      const std::string& data) {
    return HashingSource::Make(MakeMemorySource(data, "blobs/sha256/ab"), std::move(expected),
                               size, GetParam());
  }
  std::unique_ptr<HashingSource> Make(std::string expected, int64_t size) {
    return Make(std::move(expected), size, data_);
  }
  TempDir dir_;
  std::string data_;
  std::string digest_;
};

// Reads everything with varied read sizes; returns the bytes and the
// final status.
std::pair<std::string, Status> ReadAll(ByteSource& src) {
  std::string out;
  std::vector<char> buf(1 << 20);
  const size_t kSizes[] = {4096, 1 << 20, 1, 700000, 512};
  for (size_t i = 0;; ++i) {
    auto n = src.Read(buf.data(), kSizes[i % 5]);
    if (!n.has_value()) return {out, n.error()};
    if (*n == 0) return {out, Status::Ok()};
    out.append(buf.data(), *n);
  }
}

TEST_P(HashingSourceTest, MatchingDigestPassesBytesThrough) {
  auto src = Make(digest_, static_cast<int64_t>(data_.size()));
  EXPECT_EQ(src->digest(), "");
  auto [got, status] = ReadAll(*src);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(got == data_);
  EXPECT_EQ(src->digest(), digest_);
  EXPECT_EQ(src->position(), data_.size());
  EXPECT_EQ(src->blob_position(), data_.size());
  EXPECT_EQ(src->name(), "blobs/sha256/ab");
  // Past the end stays at the end.
  char b;
  auto again = src->Read(&b, 1);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0u);
}

TEST_P(HashingSourceTest, DigestMismatchNamesBothDigests) {
  std::string wrong = "sha256:" + std::string(64, 'a');
  auto src = Make(wrong, -1);
  auto [got, status] = ReadAll(*src);
  EXPECT_TRUE(got == data_);  // every byte came through before the verdict
  EXPECT_EQ(status.code(), Errc::kDigestMismatch);
  EXPECT_EQ(status.message(),
            "blobs/sha256/ab: digest mismatch: manifest says " + wrong + ", content is " + digest_);
  EXPECT_EQ(src->digest(), digest_);
  char b;
  auto again = src->Read(&b, 1);  // sticky
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message(), status.message());
}

TEST_P(HashingSourceTest, OneFlippedByteIsAMismatch) {
  std::string bad = data_;
  bad[bad.size() / 2] ^= 1;
  auto src = Make(digest_, static_cast<int64_t>(bad.size()), bad);
  auto [got, status] = ReadAll(*src);
  EXPECT_EQ(status.code(), Errc::kDigestMismatch);
  EXPECT_EQ(status.message(), "blobs/sha256/ab: digest mismatch: manifest says " + digest_ +
                                  ", content is " + testing::Sha256sumOf(dir_, bad));
}

TEST_P(HashingSourceTest, ContentShorterThanManifestSize) {
  auto src = Make(digest_, static_cast<int64_t>(data_.size() + 5));
  auto [got, status] = ReadAll(*src);
  EXPECT_EQ(status.code(), Errc::kDigestMismatch);
  EXPECT_EQ(status.message(), "blobs/sha256/ab: size mismatch: manifest says " +
                                  std::to_string(data_.size() + 5) + " bytes, content is " +
                                  std::to_string(data_.size()) + " bytes");
}

TEST_P(HashingSourceTest, ContentLongerThanManifestSizeFailsEarly) {
  auto src = Make("", 1000);
  auto [got, status] = ReadAll(*src);
  EXPECT_EQ(status.code(), Errc::kDigestMismatch);
  EXPECT_EQ(status.message(),
            "blobs/sha256/ab: size mismatch: manifest says 1000 bytes, content is longer");
  EXPECT_LT(got.size(), data_.size());  // did not stream the whole blob first
}

TEST_P(HashingSourceTest, EmptyExpectedOnlyHashes) {
  auto src = Make("", -1);
  auto [got, status] = ReadAll(*src);
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(src->digest(), digest_);
}

TEST_P(HashingSourceTest, MalformedExpectedDigestIsUnsupported) {
  auto src = Make("sha512:abcd", -1);
  auto [got, status] = ReadAll(*src);
  EXPECT_EQ(status.code(), Errc::kUnsupported);
  EXPECT_EQ(status.message(),
            "blobs/sha256/ab: unsupported or malformed digest \"sha512:abcd\" (want sha256:<64 hex>)");
}

TEST_P(HashingSourceTest, SkipStillHashes) {
  auto good = Make(digest_, static_cast<int64_t>(data_.size()));
  char buf[100];
  ASSERT_EQ(*good->Read(buf, 100), 100u);
  ASSERT_TRUE(good->Skip(2000000).ok());
  EXPECT_EQ(good->position(), 2000100u);
  ASSERT_EQ(*good->Read(buf, 100), 100u);
  EXPECT_EQ(std::string(buf, 100), data_.substr(2000100, 100));
  ASSERT_TRUE(good->Skip(data_.size() - 2000200).ok());
  auto end = good->Read(buf, 1);
  ASSERT_TRUE(end.has_value()) << end.error().message();
  EXPECT_EQ(*end, 0u);
  EXPECT_EQ(good->digest(), digest_);

  std::string bad = data_;
  bad[1500000] ^= 0x80;  // inside the skipped stretch
  auto src = Make(digest_, -1, bad);
  ASSERT_TRUE(src->Skip(bad.size()).ok());
  auto r = src->Read(buf, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kDigestMismatch);
}

TEST_P(HashingSourceTest, SkipPastEndIsCorrupt) {
  auto src = Make("", -1);
  Status s = src->Skip(data_.size() + 1);
  EXPECT_EQ(s.code(), Errc::kCorrupt);
  EXPECT_EQ(s.message(), "blobs/sha256/ab: unexpected end of data at offset " +
                             std::to_string(data_.size()) + " (wanted 1 more bytes)" );
}

TEST_P(HashingSourceTest, FinishVerifiesTheRest) {
  auto good = Make(digest_, static_cast<int64_t>(data_.size()));
  char buf[512];
  ASSERT_EQ(*good->Read(buf, 512), 512u);
  EXPECT_TRUE(good->Finish().ok());
  EXPECT_EQ(good->digest(), digest_);
  EXPECT_EQ(good->position(), data_.size());

  auto bad = Make("sha256:" + std::string(64, 'b'), -1);
  ASSERT_EQ(*bad->Read(buf, 512), 512u);
  Status s = bad->Finish();
  EXPECT_EQ(s.code(), Errc::kDigestMismatch);
}

TEST_P(HashingSourceTest, DestroyMidStreamDoesNotHang) {
  for (int i = 0; i < 20; ++i) {
    auto src = Make(digest_, -1);
    char buf[10];
    ASSERT_EQ(*src->Read(buf, 10), 10u);
  }
  auto unread = Make(digest_, -1);  // never read: no thread to stop
}

TEST_P(HashingSourceTest, InnerErrorsPropagate) {
  std::string path = dir_.File("short");
  testing::WriteFile(path, data_.substr(0, 1000));
  auto file = File::Open(path);
  ASSERT_TRUE(file.has_value());
  auto src = HashingSource::Make(MakeFileRangeSource(*file, 0, 5000, "t:blob"), digest_, 5000,
                                 GetParam());
  auto [got, status] = ReadAll(*src);
  EXPECT_EQ(got, data_.substr(0, 1000));
  EXPECT_EQ(status.code(), Errc::kCorrupt);
  EXPECT_EQ(status.message().rfind("t:blob: unexpected end of file at offset 1000", 0), 0u)
      << status.message();
}

TEST_P(HashingSourceTest, EmptyBlob) {
  auto src = Make("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0,
                  "");
  auto [got, status] = ReadAll(*src);
  EXPECT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(got, "");
}

TEST_P(HashingSourceTest, ReadViewHandsOutTheSameBytes) {
  auto src = Make(digest_, static_cast<int64_t>(data_.size()));
  if (GetParam() == HashThreading::kInline) {
    EXPECT_FALSE(src->has_read_view());  // the hash runs on the caller's buffer
    return;
  }
  ASSERT_TRUE(src->has_read_view());
  std::string got;
  char small[7];
  for (int i = 0;; ++i) {
    if (i % 5 == 4) {  // mixing in plain reads keeps the order
      auto n = src->Read(small, sizeof small);
      ASSERT_TRUE(n.has_value());
      got.append(small, *n);
      continue;
    }
    auto v = src->ReadView(i % 2 ? 1000 : SIZE_MAX);
    ASSERT_TRUE(v.has_value()) << v.error().message();
    if (v->empty()) break;
    got.append(v->data(), v->size());
    EXPECT_EQ(src->position(), got.size());
  }
  EXPECT_TRUE(got == data_);
  EXPECT_EQ(src->digest(), digest_);

  auto bad = Make("sha256:" + std::string(64, 'c'), -1);
  Result<std::string_view> v = std::string_view();
  while ((v = bad->ReadView(SIZE_MAX)).has_value() && !v->empty()) {
  }
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code(), Errc::kDigestMismatch);
}

INSTANTIATE_TEST_SUITE_P(Modes, HashingSourceTest,
                         ::testing::Values(HashThreading::kInline, HashThreading::kBackground),
                         [](const auto& p) {
                           return p.param == HashThreading::kInline ? "Inline" : "Background";
                         });

}  // namespace
}  // namespace whittle
