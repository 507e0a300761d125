#include "fix/dockerignore.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "lint/dockerfile_parser.h"

namespace whittle::fix {
namespace {

class DockerignoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/whittle-ctx-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  void File(const std::string& rel, size_t size) {
    std::string path = dir_ + "/" + rel;
    std::system(("mkdir -p \"$(dirname '" + path + "')\"").c_str());
    std::ofstream f(path, std::ios::binary);
    f << std::string(size, 'x');
  }

  DockerignoreSuggestion Suggest(const std::string& dockerfile, const WalkLimits& limits = WalkLimits()) {
    text_ = dockerfile;
    auto df = lint::ParseDockerfile(text_, dir_ + "/Dockerfile");
    EXPECT_TRUE(df.has_value());
    auto s = SuggestDockerignore(*df, dir_, limits);
    EXPECT_TRUE(s.has_value()) << (s.has_value() ? "" : s.error().message());
    return s.has_value() ? *s : DockerignoreSuggestion();
  }

  static std::string Patterns(const DockerignoreSuggestion& s) {
    std::string out;
    for (const DockerignoreEntry& e : s.entries) out += e.pattern + " (" + e.category + ", " + std::to_string(e.bytes) + ")\n";
    return out;
  }

  std::string dir_;
  std::string text_;
};

TEST_F(DockerignoreTest, ListsWhatNoCopyNames) {
  File(".git/HEAD", 23);
  File(".git/objects/ab/cd", 1000);
  File(".env", 60);
  File(".env.example", 60);  // a template, meant to be shared
  File("tests/test_app.py", 300);
  File("notes/dev.log", 2000);
  File("data/model.bin", 8000);
  File("app/main.py", 100);
  File("app/__pycache__/main.cpython-311.pyc", 50);
  File("app.swp", 10);
  File("Dockerfile", 40);
  DockerignoreSuggestion s = Suggest("FROM python:3.12-slim\nCOPY . /app\n");
  EXPECT_TRUE(s.whole_context);
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(Patterns(s),
            ".git (version control, 1023)\n"
            ".env (secrets-looking files, 60)\n"
            "tests (tests, 300)\n"
            "notes (notes and docs, 2000)\n"
            "data (data, 8000)\n"
            "app.swp (editor files, 10)\n"
            "app/__pycache__ (caches and local environments, 50)\n");
  EXPECT_EQ(s.bytes(), 1023u + 60 + 300 + 2000 + 8000 + 10 + 50);
  std::string text = s.Text("Dockerfile");
  EXPECT_NE(text.find("\n# version control: 1023 B in 2 files\n.git\n"), std::string::npos) << text;
  EXPECT_NE(text.find("`COPY .` sends"), std::string::npos) << text;
}

TEST_F(DockerignoreTest, NamedSourcesStayOut) {
  File("tests/fixtures/a.json", 5);
  File("data/schema.sql", 5);
  File("docs/index.md", 5);
  File("logs/x.log", 5);
  File("go.mod", 5);
  File(".git/HEAD", 5);
  DockerignoreSuggestion s = Suggest(
      "FROM golang:1.22\nCOPY tests/fixtures /fixtures\nCOPY data/*.sql /schema/\nADD docs/ /docs\n"
      "RUN --mount=type=bind,source=logs,target=/l true\nCOPY --from=other /x /x\n");
  EXPECT_FALSE(s.whole_context);
  EXPECT_EQ(Patterns(s), ".git (version control, 5)\n");
}

TEST_F(DockerignoreTest, NestedFileGlobsCollapse) {
  for (int i = 0; i < 5; ++i) File("src/m" + std::to_string(i) + "/x.log", 1);
  File("top.log", 1);
  DockerignoreSuggestion s = Suggest("FROM alpine:3.20\nCOPY . .\n");
  EXPECT_EQ(Patterns(s), "**/*.log (logs, 6)\n");
}

TEST_F(DockerignoreTest, WholeContextBindMount) {
  File("tests/a", 1);
  DockerignoreSuggestion s = Suggest("FROM golang:1.22\nRUN --mount=type=bind,target=. go build ./...\n");
  EXPECT_TRUE(s.whole_context);
  EXPECT_EQ(Patterns(s), "tests (tests, 1)\n");
}

TEST_F(DockerignoreTest, WalkIsBounded) {
  for (int i = 0; i < 20; ++i) File("d/f" + std::to_string(i), 1);
  File("z/.git/x", 1);
  WalkLimits small;
  small.max_entries = 10;
  DockerignoreSuggestion s = Suggest("FROM alpine:3.20\nCOPY . .\n", small);
  EXPECT_TRUE(s.truncated);
  EXPECT_NE(s.Text("Dockerfile").find("sizes are lower bounds"), std::string::npos);
}

TEST_F(DockerignoreTest, MissingContextIsAnError) {
  auto df = lint::ParseDockerfile("FROM alpine\n", "Dockerfile");
  ASSERT_TRUE(df.has_value());
  auto s = SuggestDockerignore(*df, dir_ + "/nope");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Errc::kNotFound);
  EXPECT_NE(s.error().message().find("cannot read the build context"), std::string::npos);
}

TEST_F(DockerignoreTest, SymlinksAreNotFollowed) {
  File("real/tests/a", 100);
  ASSERT_EQ(symlink((dir_ + "/real").c_str(), (dir_ + "/link").c_str()), 0);
  DockerignoreSuggestion s = Suggest("FROM alpine:3.20\nCOPY real /real\nCOPY . .\n");
  EXPECT_EQ(Patterns(s), "");
}

}  // namespace
}  // namespace whittle::fix

namespace whittle::fix {
namespace {

TEST_F(DockerignoreTest, PathsTheImageUsesAfterCopyAllAreKept) {
  File("data/model.bin", 8);
  File("tools/gen.py", 1);
  File("tests/t.py", 1);
  File("docs/a.md", 1);
  File("notes/n", 1);
  DockerignoreSuggestion s = Suggest(
      "FROM debian:12\nWORKDIR /app\nCOPY . .\nRUN cp -a /app/data/model.bin /tmp/ && python3 tools/gen.py\n"
      "CMD [\"python3\", \"-m\", \"http.server\", \"--directory\", \"/app/docs\"]\n");
  EXPECT_EQ(Patterns(s), "tests (tests, 1)\nnotes (notes and docs, 1)\n");
}

}  // namespace
}  // namespace whittle::fix
