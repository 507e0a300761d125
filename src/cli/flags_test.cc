#include "cli/flags.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

using V = std::vector<std::string>;

struct Bound {
  bool wide = false;
  std::string config;
  V ignores;
  long jobs = 0;
  int actions = 0;
};

FlagSet Declare(Bound* b) {
  FlagSet f;
  f.Bool("--wide", "-w", &b->wide);
  f.String("--config", "-c", &b->config);
  f.Append("--ignore", nullptr, &b->ignores);
  f.Value("--jobs", "-j", [b](const std::string& v) {
    if (!TryParseInt(v, 1, 8, &b->jobs)) return Error(Errc::kUsage, "-j needs 1 to 8, got '" + v + "'");
    return Status::Ok();
  });
  f.Action("--tick", nullptr, [b] { ++b->actions; });
  f.Info("--help", "-h", [] { return std::string("usage\n"); });
  return f;
}

TEST(FlagSet, BindsEveryKindAndKeepsOperandsInOrder) {
  Bound b;
  auto r = Declare(&b).Parse(
      {"a", "-w", "--config=x.yaml", "--ignore", "R1", "b", "--ignore=R2", "-j3", "--tick", "--tick", "-c", "y.yaml"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_TRUE(b.wide);
  EXPECT_EQ(b.config, "y.yaml");  // the last one wins
  EXPECT_EQ(b.ignores, (V{"R1", "R2"}));
  EXPECT_EQ(b.jobs, 3);
  EXPECT_EQ(b.actions, 2);
  EXPECT_EQ(r->operands.before_dashes, (V{"a", "b"}));
  EXPECT_TRUE(r->operands.after_dashes.empty());
  EXPECT_FALSE(r->operands.saw_dashes);
  EXPECT_FALSE(r->info.has_value());
}

TEST(FlagSet, DoubleDashSplitsOperands) {
  Bound b;
  auto r = Declare(&b).Parse({"new", "-w", "--", "-old", "--wide"});
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(b.wide);
  EXPECT_TRUE(r->operands.saw_dashes);
  EXPECT_EQ(r->operands.before_dashes, (V{"new"}));
  EXPECT_EQ(r->operands.after_dashes, (V{"-old", "--wide"}));
  EXPECT_EQ(r->operands.All(), (V{"new", "-old", "--wide"}));
}

TEST(FlagSet, Errors) {
  struct Case {
    V args;
    const char* want;
  };
  const Case kCases[] = {
      {{"--bogus"}, "unknown option '--bogus'"},
      {{"a", "-x"}, "unknown option '-x'"},
      {{"--config"}, "option --config needs a value"},
      {{"-j", "9"}, "-j needs 1 to 8, got '9'"},
      {{"-jx"}, "-j needs 1 to 8, got 'x'"},
      {{"--wide=1"}, "unknown option '--wide=1'"},  // flags take no value
  };
  for (const Case& c : kCases) {
    Bound b;
    auto r = Declare(&b).Parse(c.args);
    ASSERT_FALSE(r.has_value()) << c.args[0];
    EXPECT_EQ(r.error().code(), Errc::kUsage);
    EXPECT_EQ(r.error().message(), c.want);
  }
}

TEST(FlagSet, InfoStopsParsingWhereItStands) {
  Bound b;
  auto r = Declare(&b).Parse({"-w", "--help", "--bogus"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->info, "usage\n");
  // An error before it still wins: options are read left to right.
  auto bad = Declare(&b).Parse({"--bogus", "--help"});
  EXPECT_FALSE(bad.has_value());
}

TEST(FlagSet, AliasAddsAShortForm) {
  Bound b;
  FlagSet f = Declare(&b);
  f.Alias("-i", "--ignore");
  auto r = f.Parse({"-i", "A", "-iB"});
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(b.ignores, (V{"A", "B"}));
}

TEST(TryParseInt, WholeNumbersInRange) {
  long v = 0;
  EXPECT_TRUE(TryParseInt("0", 0, 10, &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(TryParseInt("10", 0, 10, &v));
  EXPECT_EQ(v, 10);
  for (const char* bad : {"", "11", "-1", "1x", "x", "99999999999999999999999"}) {
    EXPECT_FALSE(TryParseInt(bad, 0, 10, &v)) << bad;
  }
  size_t rows = 0;
  EXPECT_TRUE(ParseMaxRows("0", &rows).ok());
  EXPECT_EQ(ParseMaxRows("-2", &rows).message(), "-n needs a number >= 0, got '-2'");
}

}  // namespace
}  // namespace whittle
