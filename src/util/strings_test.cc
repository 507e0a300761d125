#include "util/strings.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(FormatSize, Table) {
  struct Case { uint64_t in; const char* want; };
  const Case kCases[] = {
      {0, "0"}, {1023, "1023"}, {1024, "1.00Ki"}, {1536, "1.50Ki"},
      {10 * 1024, "10.0Ki"}, {141ull << 20, "141Mi"}, {(1ull << 30) * 3 / 2, "1.50Gi"},
      {1023ull * 1024 + 1000, "1024Ki"},
  };
  for (const auto& c : kCases) EXPECT_EQ(FormatSize(c.in), c.want) << c.in;
}

TEST(FormatSize, Signed) {
  EXPECT_EQ(FormatSignedSize(0), "0");
  EXPECT_EQ(FormatSignedSize(-20), "-20");
  EXPECT_EQ(FormatSignedSize(2048), "+2.00Ki");
  EXPECT_EQ(FormatSizeWithUnit(20), "20 B");
  EXPECT_EQ(FormatSizeWithUnit(2048), "2.00 KiB");
}

TEST(NormalizePath, Table) {
  struct Case { const char* in; const char* want; bool escaped; };
  const Case kCases[] = {
      {"./a//b/", "/a/b", false}, {"a/./b", "/a/b", false}, {"", "/", false},
      {".", "/", false},          {"./", "/", false},        {"/", "/", false},
      {"a/../b", "/b", false},    {"../etc/passwd", "/etc/passwd", true},
      {"a/../../x", "/x", true},  {"usr/bin/", "/usr/bin", false},
      // the fast path (no "." or ".." component) agrees with the general one
      {"/usr/bin/gcc", "/usr/bin/gcc", false}, {"usr//lib", "/usr/lib", false},
      {"/a/.hidden/b", "/a/.hidden/b", false}, {"/a/..b/...", "/a/..b/...", false},
      {"//", "/", false},
  };
  for (const auto& c : kCases) {
    bool escaped = false;
    EXPECT_EQ(NormalizePath(c.in, &escaped), c.want) << c.in;
    EXPECT_EQ(escaped, c.escaped) << c.in;
  }
}

TEST(Strings, BaseName) {
  EXPECT_EQ(BaseName("/usr/bin/pip3"), "pip3");
  EXPECT_EQ(BaseName("pip"), "pip");
  EXPECT_EQ(BaseName("a/b/"), "b");
  EXPECT_EQ(BaseName("/"), "");
  EXPECT_EQ(BaseName(""), "");
}

TEST(Strings, SplitAndTrim) {
  auto parts = Split("a,,b", ',');
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[1], "");
  EXPECT_EQ(TrimWhitespace("  x y \t\n"), "x y");
  EXPECT_EQ(EscapeForMessage("a\nb"), "a\\x0ab");
}

TEST(Strings, CollapseWhitespace) {
  EXPECT_EQ(CollapseWhitespace("  set -e;\tapt-get update \\\n  && rm  "), "set -e; apt-get update \\ && rm");
  EXPECT_EQ(CollapseWhitespace(" \n\t "), "");
}

TEST(Strings, WidthAndElision) {
  EXPECT_EQ(Utf8Width("a\xE2\x80\xA6" "b"), 3u);
  EXPECT_EQ(ElideMiddle("abcdefghij", 20), "abcdefghij");
  EXPECT_EQ(ElideMiddle("/usr/lib/python3/dist-packages/x.py", 15), "/usr/li\xE2\x80\xA6" "es/x.py");
  EXPECT_EQ(ElideEnd("abcdefghij", 20), "abcdefghij");
  EXPECT_EQ(ElideEnd("abcdefghij", 5), "abcd\xE2\x80\xA6");
  EXPECT_EQ(Utf8Width(ElideEnd("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 3)), 3u);
}

TEST(Strings, CsvAndXml) {
  EXPECT_EQ(CsvQuote("plain"), "plain");
  EXPECT_EQ(CsvQuote("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvQuote("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(XmlEscape("<a href='x'>&\"\x01</a>"), "&lt;a href=&apos;x&apos;&gt;&amp;&quot;?&lt;/a&gt;");
}

TEST(Strings, EditDistance) {
  struct Case {
    const char* a;
    const char* b;
    size_t want;
  };
  const Case kCases[] = {
      {"", "", 0},           {"", "abc", 3},           {"abc", "", 3},
      {"history", "history", 0}, {"histroy", "history", 1},  // adjacent swap
      {"hstory", "history", 1},  {"hiistory", "history", 1}, {"hixtory", "history", 1},
      {"profiel", "profile", 1}, {"ca", "ac", 1},            {"abc", "ca", 3},  // no swap across an edit
      {"kitten", "sitting", 3},  {"lint", "waste", 4},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(EditDistance(c.a, c.b), c.want) << c.a << " -> " << c.b;
    EXPECT_EQ(EditDistance(c.b, c.a), c.want) << c.b << " -> " << c.a;
  }
}

}  // namespace
}  // namespace whittle
