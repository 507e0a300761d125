// Golden files for every output format: tests/data/lint/golden/. Set
// WHITTLE_UPDATE_GOLDENS=1 to rewrite them (then review the diff).
#include "lint/output.h"
#include "util/file_util.h"
#include "util/strings.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

namespace whittle::lint {
namespace {

const std::string kDir = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/lint/golden/";

std::string ReadFile(const std::string& p) {
  auto text = ReadFileToString(p, 1 << 20);
  if (!text) return "<" + text.error().message() + ">";
  return *text;
}

std::vector<FileReport> Reports() {
  LintOptions opt;
  opt.use_context = false;
  std::vector<FileReport> r;
  r.push_back(LintText(ReadFile(kDir + "Dockerfile"), "Dockerfile", opt));
  r.push_back(LintText(ReadFile(kDir + "broken.Dockerfile"), "broken.Dockerfile", opt));
  return r;
}

void CheckGolden(const std::string& name, const std::string& got) {
  std::string path = kDir + name;
  if (std::getenv("WHITTLE_UPDATE_GOLDENS") != nullptr) {
    FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr) << path;
    std::fwrite(got.data(), 1, got.size(), f);
    std::fclose(f);
  }
  EXPECT_EQ(got, ReadFile(path)) << "golden " << name << " differs; rerun with WHITTLE_UPDATE_GOLDENS=1 to see";
}

TEST(OutputTest, ReportsAreWhatTheGoldensShow) {
  auto r = Reports();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_TRUE(r[0].error.ok()) << r[0].error.message();
  EXPECT_FALSE(r[1].error.ok());
  EXPECT_EQ(r[1].error_line, 1);
  EXPECT_FALSE(r[0].findings.empty());
}

TEST(OutputTest, Tty) { CheckGolden("tty.txt", FormatTty(Reports(), false)); }
TEST(OutputTest, TtyColour) {
  std::string s = FormatTty(Reports(), true);
  EXPECT_NE(s.find("\033[1;33mwarning\033[0m"), std::string::npos);
  EXPECT_EQ(FormatTty(Reports(), false).find('\033'), std::string::npos);
}
TEST(OutputTest, Json) {
  std::string s = FormatJson(Reports());
  CheckGolden("json.json", s);
  // hadolint's shape: every element has exactly these keys.
  auto j = nlohmann::json::parse(s);
  ASSERT_TRUE(j.is_array());
  for (const auto& e : j) {
    EXPECT_EQ(e.size(), 6u);
    for (const char* k : {"code", "column", "file", "level", "line", "message"}) EXPECT_TRUE(e.contains(k)) << k;
  }
}
// The streamed json (one file at a time) is byte-identical to FormatJson
// over the same files, for every mix: no files, clean files with no
// findings, files with findings, files that failed, in any order.
TEST(OutputTest, JsonStreamEqualsFormatJson) {
  std::vector<FileReport> r = Reports();  // [findings, parse error]
  FileReport clean;
  clean.path = "clean.Dockerfile";
  ASSERT_TRUE(r[0].error.ok());
  ASSERT_FALSE(r[1].error.ok());
  const std::vector<std::vector<FileReport>> kMixes = {
      {}, {clean}, {r[0]}, {r[1]}, {clean, r[0]}, {r[1], r[0]}, {r[0], clean, r[1], clean, r[0]},
      {clean, clean}};
  for (const auto& files : kMixes) {
    JsonStream stream;
    std::string got = stream.Begin();
    for (const FileReport& f : files) got += stream.Add(f);
    got += stream.End();
    EXPECT_EQ(got, FormatJson(files)) << files.size() << " files";
  }
}

TEST(OutputTest, Sarif) { CheckGolden("sarif.json", FormatSarif(Reports(), "0.1.0")); }
TEST(OutputTest, Junit) { CheckGolden("junit.xml", FormatJunit(Reports())); }
TEST(OutputTest, Checkstyle) { CheckGolden("checkstyle.xml", FormatCheckstyle(Reports())); }

TEST(OutputTest, XmlEscape) {
  EXPECT_EQ(XmlEscape("a<b>&\"c'\x01"), "a&lt;b&gt;&amp;&quot;c&apos;?");
}

}  // namespace
}  // namespace whittle::lint
