#include "htmlreport/page.h"

#include <gtest/gtest.h>

#include <string>

namespace whittle::htmlreport {
namespace {

using nlohmann::json;

const char kDataOpen[] = "<script type=\"application/json\" id=\"whittle-data\">";

// The JSON between the data element's tags.
std::string DataElement(const std::string& page) {
  size_t at = page.find(kDataOpen);
  if (at == std::string::npos) return "";
  at += sizeof(kDataOpen) - 1;
  size_t end = page.find("</script>", at);
  return end == std::string::npos ? "" : page.substr(at, end - at);
}

json Sample(const std::string& path) {
  return {{"header", {{"image", "app<1>.tar & co"}}},
          {"tree", {{"root", json::array({"/", 1, 1, 0, 1, json::array({json::array({path, 1, 1, 0, 1})})})}}}};
}

TEST(Page, InlinesEveryAssetAndFillsEveryPlaceholder) {
  std::string page = RenderReportPage(Sample("/bin/sh"));
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* name : {"{{TITLE}}", "{{STYLE}}", "{{DATA}}", "{{ECHARTS}}", "{{SCRIPT}}"}) {
    EXPECT_EQ(page.find(name), std::string::npos) << name;
  }
  EXPECT_NE(page.find("<title>whittle report: app&lt;1&gt;.tar &amp; co</title>"), std::string::npos);
  EXPECT_NE(page.find("echarts"), std::string::npos);             // the library is inlined
  EXPECT_NE(page.find("drawTree"), std::string::npos);            // so is the page's script
  EXPECT_NE(page.find("--live: #4e79a7"), std::string::npos);     // and its style
  EXPECT_GT(page.size(), 500000u);  // ECharts alone is over 500 KB
}

bool Ascii(const std::string& s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

TEST(Page, IsAsciiWhateverThePathsAndTheNameHold) {
  // Latin-1, beyond it, beyond the BMP, and bytes that are not UTF-8.
  const std::string path = "/usr/share/locale/fran\xc3\xa7" "ais/\xe2\x86\x92/\xf0\x9f\x93\xa6/\xff\xc3";
  json data = Sample(path);
  data["header"]["image"] = "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x93\xa6 \xc3(.tar";
  std::string page = RenderReportPage(data);
  EXPECT_TRUE(Ascii(page));
  EXPECT_NE(page.find("<title>whittle report: caf&#xE9; &#x2192; &#x1F4E6; &#xFFFD;(.tar</title>"), std::string::npos);
  // The data reads back as it was, but for the bytes that are not UTF-8
  // (replaced by U+FFFD, as report --json does).
  json back = json::parse(DataElement(page));
  EXPECT_EQ(back["tree"]["root"][5][0][0], "/usr/share/locale/fran\xc3\xa7" "ais/\xe2\x86\x92/\xf0\x9f\x93\xa6/\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(back["header"]["image"], data["header"]["image"].get<std::string>().replace(15, 1, "\xef\xbf\xbd"));
}

TEST(Page, NothingIsLoadedFromElsewhere) {
  std::string page = RenderReportPage(Sample("/bin/sh"));
  EXPECT_EQ(page.find("<script src"), std::string::npos);
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
}

TEST(Page, EmbedsTheDataExactlyAndNoPathCanEndTheElement) {
  const std::string evil = "/x</script><script>alert(1)</script>{{SCRIPT}}{{ECHARTS}}";
  json data = Sample(evil);
  std::string page = RenderReportPage(data);
  std::string embedded = DataElement(page);
  EXPECT_EQ(embedded, EmbeddedJson(data));
  json back = json::parse(embedded);
  EXPECT_EQ(back, data);
  EXPECT_EQ(embedded.find('<'), std::string::npos);
  // The placeholders in the data were not filled: the page still has one
  // copy of the script, after the data.
  const std::string script = "// whittle report: draws the page from the embedded JSON";
  EXPECT_EQ(page.find(script), page.rfind(script));
  EXPECT_GT(page.find(script), page.find(kDataOpen));
}

TEST(Page, SameDataSameBytes) {
  EXPECT_EQ(RenderReportPage(Sample("/a")), RenderReportPage(Sample("/a")));
}

}  // namespace
}  // namespace whittle::htmlreport
