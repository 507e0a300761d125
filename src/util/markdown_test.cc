#include "util/markdown.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(Markdown, CellEscapesWhatTablesAndHtmlWouldEat) {
  EXPECT_EQ(MarkdownCell("RUN a | b && rm -rf /var/lib/apt/lists/*"),
            "RUN a \\| b &amp;&amp; rm -rf /var/lib/apt/lists/\\*");
  EXPECT_EQ(MarkdownCell("<script>`x`_y_[z]\\"), "&lt;script&gt;\\`x\\`\\_y\\_\\[z]\\\\");
  EXPECT_EQ(MarkdownCell("two\nlines\tand\r"), "two lines and ");
  EXPECT_EQ(MarkdownCell("/usr/lib/é"), "/usr/lib/é");  // UTF-8 passes through
}

TEST(Markdown, TableAlignsNumbersRight) {
  EXPECT_EQ(MarkdownTable({"Layer", "Size"}, {false, true}, {{"#1", "5 B"}, {"#2", "0 B"}}),
            "| Layer | Size |\n"
            "|---|---:|\n"
            "| #1 | 5 B |\n"
            "| #2 | 0 B |\n");
}

}  // namespace
}  // namespace whittle
