#include "lint/ast_dump.h"

#include <gtest/gtest.h>

namespace whittle::lint {
namespace {

TEST(GoQuote, MatchesStrconvQuote) {
  struct Case {
    std::string in;
    const char* want;
  };
  const Case kCases[] = {
      {"", "\"\""},
      {"plain", "\"plain\""},
      {"a\"b\\c", "\"a\\\"b\\\\c\""},
      {"\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\""},
      {std::string("\0\x1f\x7f", 3), "\"\\x00\\x1f\\x7f\""},
      {"\xE2\x99\xA5\xE2\x98\x83", "\"\xE2\x99\xA5\xE2\x98\x83\""},  // printable runes stay
      {"\xC2\xA0", "\"\\u00a0\""},                                   // NBSP is not printable
      {"\xC2\x85", "\"\\u0085\""},                                   // C1 control
      {"\xEF\xBB\xBF", "\"\\ufeff\""},
      {"\xF3\xB0\x80\x80", "\"\\U000f0000\""},  // private use plane 15
      {"\xFF", "\"\\xff\""},                    // invalid UTF-8 byte
      {"\xE2\x82", "\"\\xe2\\x82\""},           // truncated sequence
      {"\xED\xA0\x80", "\"\\xed\\xa0\\x80\""},  // encoded surrogate is invalid
      {"`", "\"`\""},
  };
  for (const Case& c : kCases) EXPECT_EQ(GoQuote(c.in), c.want) << c.want;
}

TEST(DumpInstruction, FlagsArgsAndOnbuild) {
  Instruction copy;
  copy.keyword = "COPY";
  copy.flags.push_back(Flag{"--from=a", "from", "a", true, {}});
  copy.args = {"x", "y z"};
  EXPECT_EQ(DumpInstruction(copy), "copy [\"--from=a\"] \"x\" \"y z\"");
  Instruction onbuild;
  onbuild.keyword = "ONBUILD";
  onbuild.onbuild.push_back(copy);
  EXPECT_EQ(DumpInstruction(onbuild), "onbuild (copy [\"--from=a\"] \"x\" \"y z\")");
  Dockerfile df;
  df.instructions = {copy, onbuild};
  EXPECT_EQ(DumpAst(df), "(copy [\"--from=a\"] \"x\" \"y z\")\n(onbuild (copy [\"--from=a\"] \"x\" \"y z\"))");
  EXPECT_EQ(DumpAst(Dockerfile()), "");
}

}  // namespace
}  // namespace whittle::lint
