#include "support/cli_test_file.h"

#include <gtest/gtest.h>

namespace whittle::testing {
namespace {

TEST(SplitWords, QuotesAndEscapes) {
  std::vector<std::string> w;
  ASSERT_TRUE(SplitWords("whittle  profile -d 'layers,paths' \"a b\\\"c\" x\"y z\"", &w));
  EXPECT_EQ(w, (std::vector<std::string>{"whittle", "profile", "-d", "layers,paths", "a b\"c", "xy z"}));
  ASSERT_TRUE(SplitWords("text=\"hello\\n\" '^/usr/(bin|lib)$'", &w));
  EXPECT_EQ(w, (std::vector<std::string>{"text=hello\n", "^/usr/(bin|lib)$"}));
  EXPECT_FALSE(SplitWords("a 'b", &w));
  EXPECT_FALSE(SplitWords("a \"b", &w));
}

const char kExample[] =
    "# whiteouts\n"
    "image docker-archive gzip tag=app:1\n"
    "layer \"/bin/sh -c apt-get install -y gcc\" created=2024-01-02T03:04:05Z\n"
    "  dir /usr/bin\n"
    "  file /usr/bin/gcc 1000\n"
    "  file /etc/motd text=\"hi\\n\" mode=0600\n"
    "  symlink /usr/bin/cc gcc\n"
    "  hardlink /usr/bin/gcc-12 /usr/bin/gcc\n"
    "empty \"ENV A=1\"\n"
    "layer \"/bin/sh -c rm /usr/bin/gcc\"\n"
    "  whiteout /usr/bin/gcc\n"
    "  opaque /etc\n"
    "write .dive-ci <<EOF\n"
    "rules:\n"
    "  lowestEfficiency: 0.9\n"
    "EOF\n"
    "truncate image.tar 2048\n"
    "$ whittle history IMAGE\n"
    "line 1\n"
    "\n"
    "line 3\n"
    "$ whittle ci IMAGE\n"
    "--- stderr\n"
    "whittle: oops\n"
    "[exit 2]\n"
    "$ whittle lint --dump-ast Dockerfile\n"
    "(from \"x\")\n"
    "\\ no newline at end\n";

TEST(CliTestFile, ParsesSetupAndCases) {
  CliTestFile t;
  ASSERT_EQ(ParseCliTestFile(kExample, &t), "");
  ASSERT_TRUE(t.image.has_value());
  EXPECT_EQ(t.image->container, ImageContainer::kDockerArchive);
  EXPECT_EQ(t.image->compression, LayerCompression::kGzip);
  EXPECT_EQ(t.image->tag, "app:1");
  ASSERT_EQ(t.image->platforms.size(), 1u);
  const auto& steps = t.image->platforms[0].steps;
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].created_by, "/bin/sh -c apt-get install -y gcc");
  EXPECT_EQ(steps[0].created, "2024-01-02T03:04:05Z");
  ASSERT_EQ(steps[0].members.size(), 5u);
  EXPECT_EQ(steps[0].members[0].name, "usr/bin/");
  EXPECT_EQ(steps[0].members[0].typeflag, '5');
  EXPECT_EQ(steps[0].members[1].name, "usr/bin/gcc");
  EXPECT_EQ(steps[0].members[1].data, FillerContent("/usr/bin/gcc", 1000));
  EXPECT_EQ(steps[0].members[2].data, "hi\n");
  EXPECT_EQ(steps[0].members[2].mode, 0600u);
  EXPECT_EQ(steps[0].members[3].typeflag, '2');
  EXPECT_EQ(steps[0].members[3].link, "gcc");
  EXPECT_EQ(steps[0].members[4].typeflag, '1');
  EXPECT_EQ(steps[0].members[4].link, "usr/bin/gcc");
  EXPECT_TRUE(steps[1].empty_layer);
  EXPECT_EQ(steps[2].members[0].name, "usr/bin/.wh.gcc");
  EXPECT_EQ(steps[2].members[1].name, "etc/.wh..wh..opq");
  ASSERT_EQ(t.writes.size(), 1u);
  EXPECT_EQ(t.writes[0].first, ".dive-ci");
  EXPECT_EQ(t.writes[0].second, "rules:\n  lowestEfficiency: 0.9\n");
  ASSERT_EQ(t.truncates.size(), 1u);
  EXPECT_EQ(t.truncates[0].second, 2048u);

  ASSERT_EQ(t.cases.size(), 3u);
  EXPECT_EQ(t.cases[0].line, 18);
  EXPECT_EQ(t.cases[0].argv, (std::vector<std::string>{"whittle", "history", "IMAGE"}));
  EXPECT_EQ(t.cases[0].want_stdout, "line 1\n\nline 3\n");
  EXPECT_EQ(t.cases[0].want_stderr, "");
  EXPECT_EQ(t.cases[0].want_exit, 0);
  EXPECT_EQ(t.cases[1].want_stdout, "");
  EXPECT_EQ(t.cases[1].want_stderr, "whittle: oops\n");
  EXPECT_EQ(t.cases[1].want_exit, 2);
  EXPECT_EQ(t.cases[2].want_stdout, "(from \"x\")");
  EXPECT_EQ(t.setup, std::string(kExample).substr(0, std::string(kExample).find("$ ")));
}

// Formatting then parsing gives back exactly what was run, for every shape
// of output (so an update never changes what a test expects).
TEST(CliTestFile, FormatRoundTrips) {
  struct Run {
    std::string out, err;
    int code;
  };
  const Run kRuns[] = {{"", "", 0},
                       {"a\n", "", 0},
                       {"a", "", 1},
                       {"", "e\n", 2},
                       {"a\n\n\n", "e", 130},
                       {"\n", "\n", 0},
                       {"x\n--- stdout\n", "", 0}};
  std::string text = "image oci-layout\nlayer \"x\"\n  file /a 1\n";
  for (const Run& r : kRuns) {
    std::string err;
    text += FormatCliCase("whittle x", r.out, r.err, r.code, &err);
    ASSERT_EQ(err, "");
  }
  CliTestFile t;
  ASSERT_EQ(ParseCliTestFile(text, &t), "");
  ASSERT_EQ(t.cases.size(), std::size(kRuns));
  for (size_t i = 0; i < t.cases.size(); ++i) {
    EXPECT_EQ(t.cases[i].want_stdout, kRuns[i].out) << i;
    EXPECT_EQ(t.cases[i].want_stderr, kRuns[i].err) << i;
    EXPECT_EQ(t.cases[i].want_exit, kRuns[i].code) << i;
  }
}

TEST(CliTestFile, OutputThatLooksLikeAMarkerIsRefused) {
  std::string err;
  for (const char* out : {"$ x\n", "--- stderr\n", "[exit 3]\n", "\\ no newline at end\n"}) {
    FormatCliCase("whittle x", out, "", 0, &err);
    EXPECT_NE(err, "") << out;
  }
}

TEST(CliTestFile, DamagedMember) {
  CliTestFile t;
  ASSERT_EQ(ParseCliTestFile("image oci-layout\nlayer \"x\"\n  file /a 1 damage=checksum\n  dir /b\n$ whittle x\n", &t),
            "");
  EXPECT_TRUE(t.image->platforms[0].steps[0].members[0].bad_checksum);
  EXPECT_FALSE(t.image->platforms[0].steps[0].members[1].bad_checksum);
}

TEST(CliTestFile, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case kCases[] = {
      {"image tarball\n$ whittle x\n", "1: unknown container 'tarball'"},
      {"image oci-layout brotli\n", "1: unknown compression 'brotli' (none, gzip, zstd)"},
      {"image oci-layout\nlayer \"x\"\n  file /a\n$ whittle x\n", "3: file needs a SIZE or text=\"...\""},
      {"image oci-layout\n  file /a 1\n", "2: 'file' outside a layer"},
      {"image oci-layout\nlayer \"x\"\n  file /a 1 colour=red\n", "3: unknown option 'colour'"},
      {"image oci-layout\nlayer \"x\n", "2: unterminated quote"},
      {"write a <<EOF\nx\n", "1: no line 'EOF' ends the write"},
      {"image oci-layout\n$ whittle x\n", "2: the image has no layers"},
      {"image oci-layout\nlayer \"x\"\n  file /a 1 damage=size\n", "3: unknown damage 'size' (checksum)"},
      {"# nothing\n", "2: no '$ ' command"},
  };
  for (const Case& c : kCases) {
    CliTestFile t;
    EXPECT_EQ(ParseCliTestFile(c.text, &t), c.want) << c.text;
  }
}

}  // namespace
}  // namespace whittle::testing
