#include "cli/common.h"

#include <gtest/gtest.h>

#include <string>

#include "cli/console.h"

namespace whittle {
namespace {

TEST(ExitCodeFor, OkIsZeroAndEveryErrorIsTwo) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), ExitCode::kOk);
  for (Errc e : {Errc::kUsage, Errc::kIo, Errc::kNotFound, Errc::kCorrupt, Errc::kDigestMismatch, Errc::kTooLarge,
                 Errc::kUnsupported, Errc::kInternal}) {
    EXPECT_EQ(ExitCodeFor(Error(e, "x")), ExitCode::kError) << static_cast<int>(e);
  }
}

TEST(ExitCodeFor, ProcessStatuses) {
  EXPECT_EQ(ExitStatus(ExitCode::kOk), 0);
  EXPECT_EQ(ExitStatus(ExitCode::kCheckFailed), 1);
  EXPECT_EQ(ExitStatus(ExitCode::kError), 2);
  EXPECT_EQ(ExitStatus(ExitCode::kInterrupted), 130);
}

// Walks |args| the way FlagSet does, knowing one flag (-v) and one option
// (-o); returns what it saw: "flag", "opt=V", "pos:A", "dashes", "?ARG".
std::vector<std::string> Walk(const std::vector<std::string>& args) {
  ArgParser p(args);
  std::vector<std::string> seen;
  std::string v;
  while (!p.Done()) {
    if (p.TryDoubleDash()) {
      seen.push_back("dashes");
    } else if (p.TryFlag("--verbose", "-v")) {
      seen.push_back("flag");
    } else if (p.TryOption("--out", "-o", &v)) {
      seen.push_back("opt=" + v);
    } else if (p.TryPositional(&v)) {
      seen.push_back("pos:" + v);
    } else {
      seen.push_back("?" + p.Current());
      break;
    }
  }
  return seen;
}

TEST(ArgParser, OptionsAndOperandsInAnyOrder) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Walk({"a", "-v", "--out", "x", "b", "--out=y", "-oz", "-"}),
            (V{"pos:a", "flag", "opt=x", "pos:b", "opt=y", "opt=z", "pos:-"}));
  EXPECT_EQ(Walk({"--bogus"}), (V{"?--bogus"}));
}

TEST(ArgParser, EverythingAfterDoubleDashIsAnOperand) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Walk({"-v", "--", "-v", "--out", "x", "--", "-weird"}),
            (V{"flag", "dashes", "pos:-v", "pos:--out", "pos:x", "pos:--", "pos:-weird"}));
  EXPECT_EQ(Walk({"a", "--"}), (V{"pos:a", "dashes"}));
}

TEST(ArgParser, MissingValueIsAnError) {
  const std::vector<std::string> args = {"-o"};
  ArgParser p(args);
  std::string v;
  EXPECT_TRUE(p.TryOption("--out", "-o", &v));
  EXPECT_EQ(p.error().code(), Errc::kUsage);
  EXPECT_EQ(p.error().message(), "option -o needs a value");
}

TEST(ParseOutputFormat, NamesAndAliases) {
  EXPECT_EQ(*ParseOutputFormat("tty"), OutputFormat::kTty);
  EXPECT_EQ(*ParseOutputFormat("text"), OutputFormat::kTty);
  EXPECT_EQ(*ParseOutputFormat("checkstyle"), OutputFormat::kCheckstyle);
  EXPECT_FALSE(ParseOutputFormat("xml").has_value());
}

}  // namespace
}  // namespace whittle
