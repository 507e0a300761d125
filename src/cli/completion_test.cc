// The completions' own tables against the parsers they describe: every
// fixed choice is a value the verb accepts, and every option a verb declares
// is in every shell's script.
#include "cli/completion.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "cli/commands.h"
#include "cli/run.h"
#include "cli/verb_runner.h"

namespace whittle {
namespace {

ExitCode RunLine(const std::vector<std::string>& args, std::string* err) {
  std::string out;
  Console console(&out, err);
  return RunCommandLine(args, console);
}

TEST(Completion, EveryChoiceIsAcceptedByTheVerb) {
  size_t checked = 0;
  for (const VerbSpec& v : Commands()) {
    for (const FlagSet::Declared& d : VerbOptions(v)) {
      if (!d.takes_value) continue;
      for (const std::string& word : OptionChoices(v, d.name).words) {
        // Options are parsed in order, so the value is checked before
        // --help stops the run.
        std::string err;
        EXPECT_EQ(RunLine({v.name, d.name, word, "--help"}, &err), ExitCode::kOk)
            << v.name << " " << d.name << " " << word << ": " << err;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 40u);
}

TEST(Completion, ARejectedValueIsRejected) {
  std::string err;
  EXPECT_EQ(RunLine({"profile", "--sort", "bytes", "--help"}, &err), ExitCode::kError);
}

TEST(Completion, EveryOptionIsInEveryScript) {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    auto script = CompletionScript(shell);
    ASSERT_TRUE(script.has_value()) << shell;
    for (const VerbSpec& v : Commands()) {
      EXPECT_NE(script->find(v.name), std::string::npos) << shell << " " << v.name;
      for (const FlagSet::Declared& d : VerbOptions(v)) {
        // fish spells options without their dashes: -l format -s f.
        std::string want = std::string(shell) == "fish" ? std::string("-l ") + (d.name + 2) : std::string(d.name);
        EXPECT_NE(script->find(want), std::string::npos) << shell << " " << v.name << " " << d.name;
      }
    }
    for (const std::string& prefix : TransportPrefixes()) {
      EXPECT_NE(script->find(prefix), std::string::npos) << shell << " " << prefix;
    }
  }
}

TEST(Completion, VerbOptionsListsSharedAndOwnOptions) {
  auto names = [](const char* verb) {
    std::vector<std::string> out;
    for (const FlagSet::Declared& d : VerbOptions(*FindCommand(verb))) out.push_back(d.name);
    return out;
  };
  std::vector<std::string> history = names("history");
  EXPECT_NE(std::find(history.begin(), history.end(), "--platform"), history.end());
  EXPECT_NE(std::find(history.begin(), history.end(), "--reverse"), history.end());
  std::vector<std::string> lint = names("lint");
  EXPECT_EQ(std::find(lint.begin(), lint.end(), "--platform"), lint.end());  // no image
  EXPECT_NE(std::find(lint.begin(), lint.end(), "--failure-threshold"), lint.end());
}

TEST(Completion, UnknownShellIsAUsageError) {
  auto script = CompletionScript("tcsh");
  ASSERT_FALSE(script.has_value());
  EXPECT_EQ(script.error().message(), "--completions takes bash, zsh or fish, got 'tcsh'");
  std::string err;
  EXPECT_EQ(RunLine({"--completions", "tcsh"}, &err), ExitCode::kError);
  EXPECT_EQ(err, "whittle: --completions takes bash, zsh or fish, got 'tcsh'\n");
}

}  // namespace
}  // namespace whittle
