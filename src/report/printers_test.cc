#include "report/printers.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

RollupOutput Sample() {
  Rollup r;
  r.Add({"#1 ADD file:x in /", "/usr/lib"}, 3000, 150000);
  r.Add({"#1 ADD file:x in /", "[tar headers]"}, 100, 2048);
  r.Add({"#2 RUN make", "/app, \"quoted\""}, 500, 700);
  return r.Finish({"layers", "paths"}, 20, SortBy::kBoth);
}

TEST(FormatTable, LayoutMatchesBloatyStyle) {
  std::string t = FormatTable(Sample(), TableOptions{});
  const char* want =
      "  BLOB SIZE        TAR SIZE\n"
      "--------------  --------------\n"
      " 86.1%  3.03Ki   99.5%   148Ki    #1 ADD file:x in /\n"
      "   96.8%  2.93Ki   98.7%   146Ki    /usr/lib\n"
      "    3.2%     100    1.3%  2.00Ki    [tar headers]\n"
      " 13.9%     500    0.5%     700    #2 RUN make\n"
      "  100.0%     500  100.0%     700    /app, \"quoted\"\n"
      "100.0%  3.52Ki  100.0%   149Ki    TOTAL\n";
  EXPECT_EQ(t, want);
}

TEST(FormatTable, SingleDomainAndElision) {
  TableOptions opt;
  opt.domain = Domain::kTar;
  opt.label_width = 10;
  std::string t = FormatTable(Sample(), opt);
  EXPECT_NE(t.find("   TAR SIZE\n--------------\n"), std::string::npos) << t;
  EXPECT_NE(t.find("#1 A\xE2\x80\xA6 in /"), std::string::npos) << t;
  EXPECT_EQ(t.find("BLOB"), std::string::npos);
}

TEST(FormatTable, TerminalWidthCutsLongLabels) {
  TableOptions opt;
  opt.line_width = 55;
  std::string t = FormatTable(Sample(), opt);
  size_t pos = 0;
  while (pos < t.size()) {
    size_t nl = t.find('\n', pos);
    std::string line = t.substr(pos, nl - pos);
    size_t cps = 0;
    for (unsigned char c : line) cps += (c & 0xC0) != 0x80;
    EXPECT_LE(cps, 55u) << line;
    pos = nl + 1;
  }
  EXPECT_NE(t.find("#1 ADD file:x in /"), std::string::npos) << "short labels stay whole";

  Rollup r;
  r.Add({"#1 RUN " + std::string(100, 'x') + " end"}, 1, 1);
  std::string long_table = FormatTable(r.Finish({"layers"}, 0, SortBy::kBoth), opt);
  size_t first_nl = long_table.find('\n', long_table.find('\n') + 1);
  std::string row = long_table.substr(first_nl + 1, long_table.find('\n', first_nl + 1) - first_nl - 1);
  EXPECT_NE(row.find("#1 RUN xxx"), std::string::npos) << row;
  EXPECT_NE(row.find("\xE2\x80\xA6"), std::string::npos) << row;
  EXPECT_NE(row.find("xx end"), std::string::npos) << row;
}

TEST(FormatDelimited, CsvLeavesWithRawBytes) {
  std::string csv = FormatDelimited(Sample(), ',');
  EXPECT_EQ(csv,
            "layers,paths,blobSize,tarSize\n"
            "#1 ADD file:x in /,/usr/lib,3000,150000\n"
            "#1 ADD file:x in /,[tar headers],100,2048\n"
            "#2 RUN make,\"/app, \"\"quoted\"\"\",500,700\n");
  std::string tsv = FormatDelimited(Sample(), '\t');
  EXPECT_NE(tsv.find("#2 RUN make\t/app, \"quoted\"\t500\t700\n"), std::string::npos);
}

TEST(FormatJson, RowsAndTotal) {
  std::string j = FormatJson(Sample());
  EXPECT_NE(j.find("\"dataSources\": [\n    \"layers\",\n    \"paths\"\n  ]"), std::string::npos) << j;
  EXPECT_NE(j.find("\"total\": {\n    \"blobSize\": 3600,\n    \"tarSize\": 152748\n  }"), std::string::npos) << j;
}

}  // namespace
}  // namespace whittle
