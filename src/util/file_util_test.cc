#include "util/file_util.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace whittle {
namespace {

class ReadFileToStringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "whittle-file-util-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Write(const std::string& name, const std::string& content) {
    std::string p = dir_ + "/" + name;
    FILE* f = std::fopen(p.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    if (f == nullptr) return p;
    std::fwrite(content.data(), 1, content.size(), f);
    std::fclose(f);
    return p;
  }

  std::string dir_;
};

TEST_F(ReadFileToStringTest, ReadsWholeFileUpToTheCap) {
  std::string data(100000, 'x');
  data[0] = '\0';  // binary-safe
  data[99999] = 'y';
  std::string p = Write("a", data);
  auto got = ReadFileToString(p, 100000);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(*got, data);
}

TEST_F(ReadFileToStringTest, EmptyFile) {
  auto got = ReadFileToString(Write("empty", ""), 10);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, "");
}

TEST_F(ReadFileToStringTest, OneByteOverTheCapIsTooLarge) {
  std::string p = Write("big", std::string(11, 'z'));
  auto got = ReadFileToString(p, 10);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Errc::kTooLarge);
  EXPECT_EQ(got.error().message(), p + ": larger than 10 bytes");
}

TEST_F(ReadFileToStringTest, MissingFileIsNotFound) {
  std::string p = dir_ + "/nope";
  auto got = ReadFileToString(p, 10);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Errc::kNotFound);
  EXPECT_EQ(got.error().message(), p + ": cannot open: No such file or directory");
}

TEST_F(ReadFileToStringTest, PathThroughAFileIsNotFound) {
  std::string p = Write("file", "x") + "/child";
  auto got = ReadFileToString(p, 10);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Errc::kNotFound);
  EXPECT_EQ(got.error().message(), p + ": cannot open: Not a directory");
}

TEST_F(ReadFileToStringTest, DirectoryIsAnError) {
  auto got = ReadFileToString(dir_, 10);
  ASSERT_FALSE(got.has_value());
  EXPECT_EQ(got.error().code(), Errc::kIo);
  EXPECT_EQ(got.error().message(), dir_ + ": is a directory");
}

// "-" is stdin: a pipe has no size up front, so the cap applies as it reads.
TEST_F(ReadFileToStringTest, DashReadsStdinAndCapsIt) {
  for (size_t cap : {size_t{5}, size_t{4}}) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    ASSERT_EQ(write(fds[1], "hello", 5), 5);
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    ASSERT_GE(saved, 0);
    ASSERT_EQ(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    close(fds[0]);
    auto got = ReadFileToString("-", cap);
    dup2(saved, STDIN_FILENO);
    close(saved);
    if (cap == 5) {
      ASSERT_TRUE(got.has_value()) << got.error().message();
      EXPECT_EQ(*got, "hello");
    } else {
      ASSERT_FALSE(got.has_value());
      EXPECT_EQ(got.error().message(), "-: larger than 4 bytes");
    }
  }
}

}  // namespace
}  // namespace whittle
