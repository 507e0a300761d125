#include "explain/explain_dockerfile.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace whittle::explain {
namespace {

class ExplainDockerfileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "whittle-explain-df-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string Write(const std::string& content) {
    std::string p = dir_ + "/Dockerfile";
    std::ofstream(p) << content;
    return p;
  }

  std::string dir_;
};

constexpr char kTwoStages[] =
    "FROM debian:12 AS build\n"
    "RUN apt-get update && apt-get install -y gcc\n"
    "FROM debian:12-slim AS run\n"
    "COPY --from=build /out /app\n";

TEST_F(ExplainDockerfileTest, AddToGivesTheParseItsPathLintAndTarget) {
  std::string path = Write(kTwoStages);
  auto d = ExplainDockerfile::Read(path, "build");
  ASSERT_TRUE(d.has_value()) << d.error().message();
  ExplainInput in;
  (*d)->AddTo(&in);
  ASSERT_NE(in.dockerfile, nullptr);
  EXPECT_EQ(in.dockerfile->stages.size(), 2u);
  EXPECT_EQ(in.dockerfile->instructions[1].keyword, "RUN");
  EXPECT_EQ(in.dockerfile_path, path);
  EXPECT_EQ(in.match.target, "build");
  // apt-get install without --no-install-recommends, in the target stage.
  bool dl3015 = false;
  for (const lint::Finding& f : in.lint) dl3015 |= f.code == "DL3015";
  EXPECT_TRUE(dl3015);
}

TEST_F(ExplainDockerfileTest, MissingFileUnknownTargetAndBadSyntaxAreErrors) {
  EXPECT_FALSE(ExplainDockerfile::Read(dir_ + "/no-such-Dockerfile", "").has_value());
  std::string path = Write(kTwoStages);
  auto unknown = ExplainDockerfile::Read(path, "nope");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("nope"), std::string::npos) << unknown.error().message();
  Write("# only a comment\n");
  auto empty = ExplainDockerfile::Read(path, "");
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message().find(path + ":1: file with no instructions"), std::string::npos)
      << empty.error().message();
}

}  // namespace
}  // namespace whittle::explain
