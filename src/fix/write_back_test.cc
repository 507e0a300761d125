#include "fix/write_back.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "lint/linter.h"

namespace whittle::fix {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class WriteBackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/whittle-wb-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string dir_;
};

TEST_F(WriteBackTest, KeepsTheOriginalAndTheMode) {
  std::string df = dir_ + "/Dockerfile";
  { std::ofstream(df) << "FROM a\n"; }
  ASSERT_EQ(chmod(df.c_str(), 0640), 0);
  ASSERT_TRUE(WriteFixedDockerfile(df, "FROM a\n", "FROM b\n").ok());
  EXPECT_EQ(Slurp(df), "FROM b\n");
  EXPECT_EQ(Slurp(df + ".orig"), "FROM a\n");
  struct stat st;
  ASSERT_EQ(stat(df.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  // No temp files left behind.
  EXPECT_EQ(std::system(("test -z \"$(ls -A '" + dir_ + "' | grep -v '^Dockerfile')\"").c_str()), 0);
}

TEST_F(WriteBackTest, NothingWrittenWhenUnchanged) {
  std::string df = dir_ + "/Dockerfile";
  { std::ofstream(df) << "FROM a\n"; }
  ASSERT_TRUE(WriteFixedDockerfile(df, "FROM a\n", "FROM a\n").ok());
  EXPECT_NE(access((df + ".orig").c_str(), F_OK), 0);
}

TEST_F(WriteBackTest, WritesThroughASymlink) {
  std::string real = dir_ + "/real.Dockerfile", link = dir_ + "/Dockerfile";
  { std::ofstream(real) << "FROM a\n"; }
  ASSERT_EQ(symlink(real.c_str(), link.c_str()), 0);
  ASSERT_TRUE(WriteFixedDockerfile(link, "FROM a\n", "FROM b\n").ok());
  struct stat st;
  ASSERT_EQ(lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  EXPECT_EQ(Slurp(real), "FROM b\n");
}

TEST_F(WriteBackTest, FailureLeavesNoFile) {
  Status st = WriteFileAtomic(dir_ + "/missing/dir/x", "data");
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), dir_ + "/missing/dir/x: cannot create a temporary file in " + dir_ +
                             "/missing/dir: No such file or directory");
}

TEST_F(WriteBackTest, ReadCapsTheSize) {
  std::string big = dir_ + "/big";
  {
    std::ofstream f(big, std::ios::binary);
    f << std::string(lint::kMaxDockerfileBytes + 1, '#');
  }
  auto r = ReadDockerfile(big);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kTooLarge);
  auto missing = ReadDockerfile(dir_ + "/none");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), Errc::kNotFound);
  EXPECT_EQ(SuggestedDockerignorePath("a/Dockerfile"), "a/Dockerfile.dockerignore.suggested");
}

}  // namespace
}  // namespace whittle::fix
