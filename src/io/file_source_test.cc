#include "io/file_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "io/test_util.h"

namespace whittle {
namespace {

using testing::TempDir;

// Bytes this process has asked the kernel to read so far (read/pread...).
uint64_t ReadCharCount() {
  std::ifstream f("/proc/self/io");
  std::string key;
  uint64_t value = 0;
  while (f >> key >> value) {
    if (key == "rchar:") return value;
  }
  return 0;
}

class FileSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = testing::MakeTestData(1 << 20, 7);
    path_ = dir_.File("blob");
    testing::WriteFile(path_, data_);
  }
  TempDir dir_;
  std::string data_;
  std::string path_;
};

TEST_F(FileSourceTest, OpenMissingFileIsNotFoundNamingPath) {
  auto f = File::Open(dir_.File("nope"));
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code(), Errc::kNotFound);
  EXPECT_EQ(f.error().message(), dir_.File("nope") + ": cannot open: No such file or directory");
}

TEST_F(FileSourceTest, DirectoryOpensAsDirectoryButNotAsSource) {
  auto f = File::Open(dir_.path());
  ASSERT_TRUE(f.has_value());
  EXPECT_TRUE((*f)->is_directory());
  auto src = OpenFileSource(dir_.path());
  ASSERT_FALSE(src.has_value());
  EXPECT_EQ(src.error().code(), Errc::kIo);
  EXPECT_EQ(src.error().message(), dir_.path() + ": is a directory");
}

TEST_F(FileSourceTest, WholeFileMatchesWithMixedReadSizes) {
  auto src = OpenFileSource(path_);
  ASSERT_TRUE(src.has_value());
  EXPECT_EQ((*src)->name(), path_);
  std::string got;
  std::vector<char> buf(300000);
  size_t sizes[] = {1, 512, 7, 200000, 131072, 300000, 3};
  size_t i = 0;
  while (true) {
    auto n = (*src)->Read(buf.data(), sizes[i++ % 7]);
    ASSERT_TRUE(n.has_value());
    if (*n == 0) break;
    got.append(buf.data(), *n);
    EXPECT_EQ((*src)->position(), got.size());
    EXPECT_EQ((*src)->blob_position(), got.size());
  }
  EXPECT_EQ(got, data_);
  auto again = (*src)->Read(buf.data(), 10);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 0u);
}

TEST_F(FileSourceTest, RangeSeesOnlyItsBytes) {
  auto file = File::Open(path_);
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ((*file)->size(), data_.size());
  auto src = MakeFileRangeSource(*file, 1000, 5000, "app.tar:blobs/x");
  auto all = ReadAllCapped(*src, 1 << 20);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, data_.substr(1000, 5000));
}

TEST_F(FileSourceTest, SkipInsideBufferAndBeyondIt) {
  auto file = File::Open(path_);
  ASSERT_TRUE(file.has_value());
  auto src = MakeFileRangeSource(*file, 100, 900000, "r");
  char buf[16];
  ASSERT_EQ(*src->Read(buf, 10), 10u);  // fills the 128 KiB buffer
  ASSERT_TRUE(src->Skip(1000).ok());    // inside the buffer
  ASSERT_EQ(*src->Read(buf, 16), 16u);
  EXPECT_EQ(std::string(buf, 16), data_.substr(100 + 1010, 16));
  ASSERT_TRUE(src->Skip(500000).ok());  // far beyond it
  EXPECT_EQ(src->position(), 501026u);
  ASSERT_EQ(*src->Read(buf, 16), 16u);
  EXPECT_EQ(std::string(buf, 16), data_.substr(100 + 501026, 16));
  // Exactly to the end is fine, and reading there returns 0.
  ASSERT_TRUE(src->Skip(900000 - 501042).ok());
  EXPECT_EQ(*src->Read(buf, 16), 0u);
}

TEST_F(FileSourceTest, SkipPastRangeEndIsCorruptNamingOffset) {
  auto file = File::Open(path_);
  ASSERT_TRUE(file.has_value());
  auto src = MakeFileRangeSource(*file, 0, 1000, "app.tar:layer.tar");
  char buf[10];
  ASSERT_EQ(*src->Read(buf, 10), 10u);
  Status s = src->Skip(2000);
  EXPECT_EQ(s.code(), Errc::kCorrupt);
  EXPECT_EQ(s.message(),
            "app.tar:layer.tar: unexpected end of data at offset 1000 (wanted 1010 more bytes)");
  // Sticky.
  auto r = src->Read(buf, 10);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), s.message());
}

TEST_F(FileSourceTest, LongSkipDoesNotReadTheSkippedBytes) {
  // A 64 MiB sparse file: skipping 60 MiB of it must not read 60 MiB.
  std::string big = dir_.File("sparse");
  int fd = ::open(big.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::ftruncate(fd, 64 << 20), 0);
  ::close(fd);
  auto src = OpenFileSource(big);
  ASSERT_TRUE(src.has_value());
  char buf[100];
  uint64_t before = ReadCharCount();
  ASSERT_NE(before, 0u);
  ASSERT_EQ(*(*src)->Read(buf, 100), 100u);
  ASSERT_TRUE((*src)->Skip(60 << 20).ok());
  ASSERT_EQ(*(*src)->Read(buf, 100), 100u);
  uint64_t after = ReadCharCount();
  EXPECT_LT(after - before, 1u << 20);
  EXPECT_EQ((*src)->position(), (60u << 20) + 200);
}

TEST_F(FileSourceTest, FileShorterThanRangeIsCorrupt) {
  auto file = File::Open(path_);
  ASSERT_TRUE(file.has_value());
  auto src = MakeFileRangeSource(*file, data_.size() - 100, 1000, "blob@end");
  auto all = Drain(*src);
  ASSERT_FALSE(all.has_value());
  EXPECT_EQ(all.error().code(), Errc::kCorrupt);
  EXPECT_EQ(all.error().message(),
            "blob@end: unexpected end of file at offset 100 (file " + path_ +
                " is shorter than the blob's range)");
}

TEST_F(FileSourceTest, ReadAtReturnsShortCountOnlyAtEof) {
  auto file = File::Open(path_);
  ASSERT_TRUE(file.has_value());
  std::string buf(4096, '\0');
  auto n = (*file)->ReadAt(data_.size() - 10, buf.data(), buf.size());
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, 10u);
  EXPECT_EQ(buf.substr(0, 10), data_.substr(data_.size() - 10));
}

}  // namespace
}  // namespace whittle
