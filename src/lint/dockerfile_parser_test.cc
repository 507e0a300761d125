#include "lint/dockerfile_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "lint/ast_dump.h"
#include "lint/linter.h"
#include "util/file_util.h"

namespace whittle::lint {
namespace {

namespace fs = std::filesystem;

const fs::path kBuildkit = fs::path(WHITTLE_SOURCE_DIR) / "tests/data/buildkit-parser";

std::string ReadFile(const fs::path& p) {
  auto text = ReadFileToString(p.string(), kMaxDockerfileBytes);
  EXPECT_TRUE(text.has_value()) << text.error().message();
  return text ? *text : std::string();
}

std::vector<fs::path> CaseDirs(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_directory()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Dockerfile MustParse(const std::string& text) {
  Result<Dockerfile> r = ParseDockerfile(text, "Dockerfile");
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message());
  if (!r.has_value()) return Dockerfile();
  return std::move(r).value();
}

// The AST points into the text: refuse temporaries.
Dockerfile MustParse(std::string&&) = delete;
Dockerfile MustParse(const char*) = delete;

std::string ErrorOf(const std::string& text) {
  Result<Dockerfile> r = ParseDockerfile(text, "Dockerfile");
  if (r.has_value()) return "(parsed)";
  return r.error().message();
}

// BuildKit's TestParseCases: Dump()+"\n" equals `result` byte for byte.
TEST(BuildkitCases, DumpMatchesResult) {
  std::vector<fs::path> dirs = CaseDirs(kBuildkit / "testfiles");
  ASSERT_EQ(dirs.size(), 33u);
  for (const fs::path& d : dirs) {
    SCOPED_TRACE(d.filename().string());
    // The text must outlive the AST (views point into it).
    std::string text = ReadFile(d / "Dockerfile");
    std::string want = ReadFile(d / "result");
    Result<Dockerfile> r = ParseDockerfile(text, "Dockerfile");
    ASSERT_TRUE(r.has_value()) << r.error().message();
    EXPECT_EQ(DumpAst(*r) + "\n", want);
  }
}

// BuildKit's TestParseErrorCases.
TEST(BuildkitCases, NegativeCasesFail) {
  struct Want {
    const char* name;
    const char* message;
  };
  const Want kWant[] = {
      {"empty_dockerfile", "Dockerfile:1: file with no instructions"},
      {"env_no_value", "Dockerfile:3: ENV must have two arguments"},
      {"only_comments", "Dockerfile:3: file with no instructions"},
      {"shykes-nested-json",
       "Dockerfile:1: when using JSON array syntax, arrays must be comprised of strings only"},
  };
  std::vector<fs::path> dirs = CaseDirs(kBuildkit / "testfiles-negative");
  ASSERT_EQ(dirs.size(), 4u);
  for (const Want& w : kWant) {
    std::string text = ReadFile(kBuildkit / "testfiles-negative" / w.name / "Dockerfile");
    Result<Dockerfile> r = ParseDockerfile(text, "Dockerfile");
    ASSERT_FALSE(r.has_value()) << w.name;
    EXPECT_EQ(r.error().message(), w.message);
    EXPECT_EQ(r.error().code(), Errc::kCorrupt);
  }
}

// BuildKit's TestParseIncludesLineNumbers.
TEST(BuildkitCases, LineNumbers) {
  std::string text = ReadFile(kBuildkit / "testfile-line/Dockerfile");
  Dockerfile df = MustParse(text);
  EXPECT_EQ(df.start_line, 5);
  EXPECT_EQ(df.end_line, 31);
  ASSERT_EQ(df.instructions.size(), 3u);
  const int want[3][2] = {{5, 5}, {11, 12}, {17, 31}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(df.instructions[i].start_line(), want[i][0]) << i;
    EXPECT_EQ(df.instructions[i].end_line(), want[i][1]) << i;
  }
}

TEST(Parser, DumpTable) {
  struct Case {
    const char* dockerfile;
    const char* dump;
  };
  const Case kCases[] = {
      {"FROM a\nfoo bar\n", "(from \"a\")\n(foo \"\")"},
      {"FROM a\nONBUILD\n", "(from \"a\")\n(onbuild)"},
      {"FROM a\nONBUILD --x=1 COPY --from=b /a /b\n",
       "(from \"a\")\n(onbuild [\"--x=1\"] (copy [\"--from=b\"] \"/a\" \"/b\"))"},
      {"RUN --mount=type=cache,target=/root/.cache --network=none pip install x\n",
       "(run [\"--mount=type=cache,target=/root/.cache\" \"--network=none\"] \"pip install x\")"},
      {"COPY --link --chown=\"a b\" x y\n", "(copy [\"--link\" \"--chown=a b\"] \"x\" \"y\")"},
      {"FROM --platform=$BUILDPLATFORM golang:1.22 AS build\n",
       "(from [\"--platform=$BUILDPLATFORM\"] \"golang:1.22\" \"AS\" \"build\")"},
      {"CMD [\"a\"] trailing\n", "(cmd \"[\\\"a\\\"] trailing\")"},
      {"SHELL [\"/bin/sh\", \"-c\"]\n", "(shell \"/bin/sh\" \"-c\")"},
      {"LABEL a=b c=\"d e\"\n", "(label \"a\" \"b\" \"=\" \"c\" \"\\\"d e\\\"\" \"=\")"},
      {"ARG A\nARG B=1 C\n", "(arg \"A\")\n(arg \"B=1\" \"C\")"},
      {"MAINTAINER Jane <j@x>\n", "(maintainer \"Jane <j@x>\")"},
      {"EXPOSE 80/tcp\t443\n", "(expose \"80/tcp\" \"443\")"},
      {"RUN <<EOF\necho hi\nEOF\n", "(run \"<<EOF\")"},
      {"\xEF\xBB\xBF" "FROM a\n", "(from \"a\")"},
      {"FROM a\r\nRUN b \\\r\n c\r\n", "(from \"a\")\n(run \"b  c\")"},
      {"USER \xC3\xA9t\xC3\xA9\n", "(user \"\xC3\xA9t\xC3\xA9\")"},
      {"RUN a\x01\n", "(run \"a\\x01\")"},
      {"CMD [\"\\u00a0\\ud83d\\ude00\"]\n", "(cmd \"\\u00a0\xF0\x9F\x98\x80\")"},
      {"WORKDIR\n", "(workdir)"},
  };
  for (const Case& c : kCases) {
    std::string text = c.dockerfile;
    Dockerfile df = MustParse(text);
    EXPECT_EQ(DumpAst(df), c.dump) << c.dockerfile;
  }
}

TEST(Parser, Errors) {
  struct Case {
    const char* dockerfile;
    const char* error;
  };
  const Case kCases[] = {
      {"FROM a\nENV a=b c\n", "Dockerfile:2: Syntax error - can't find = in \"c\". Must be of the form: name=value"},
      {"# escape=x\nFROM a\n", "Dockerfile:1: invalid escape token 'x' does not match ` or \\"},
      {"# escape=`\n# escape=\\\nFROM a\n", "Dockerfile:2: only one escape parser directive can be used"},
      {"FROM a\nRUN <<EOF\nx\n", "Dockerfile:2: unterminated heredoc"},
      {"FROM a\nLABEL x\n", "Dockerfile:2: LABEL must have two arguments"},
      {"RUN [\"a\", 1]\n", "Dockerfile:1: when using JSON array syntax, arrays must be comprised of strings only"},
  };
  for (const Case& c : kCases) EXPECT_EQ(ErrorOf(c.dockerfile), c.error) << c.dockerfile;
}

TEST(Parser, LineLengthLimit) {
  std::string ok = "FROM a\nRUN " + std::string(kMaxLineLength - 4, 'x') + "\n";
  EXPECT_TRUE(ParseDockerfile(ok, "Dockerfile").has_value());
  std::string bad = "FROM a\nRUN " + std::string(kMaxLineLength - 3, 'x') + "\n";
  Result<Dockerfile> r = ParseDockerfile(bad, "Dockerfile");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "Dockerfile:2: dockerfile line greater than max allowed size of 65535");
  EXPECT_EQ(r.error().code(), Errc::kTooLarge);
}

TEST(Parser, Directives) {
  std::string text =
      "\xEF\xBB\xBF# syntax=docker/dockerfile:1.7\n# check = skip=all;error=true\n#escape=`\n"
      "# not a directive=1\nFROM a\nRUN x `\n  y\n";
  Dockerfile df = MustParse(text);
  EXPECT_TRUE(df.directives.had_bom);
  EXPECT_EQ(df.directives.syntax.value_or(""), "docker/dockerfile:1.7");
  EXPECT_EQ(df.directives.check.value_or(""), "skip=all;error=true");
  EXPECT_EQ(df.directives.escape, '`');
  ASSERT_EQ(df.directives.all.size(), 3u);
  EXPECT_EQ(df.directives.all[2].range.start.line, 3);
  ASSERT_EQ(df.comments.size(), 1u);
  EXPECT_EQ(df.comments[0].text, "not a directive=1");
  EXPECT_EQ(DumpAst(df), "(from \"a\")\n(run \"x   y\")");
  ASSERT_EQ(df.instructions[0].comments.size(), 1u);
  // A directive after a comment is just a comment.
  std::string late_text = "# hello\n# escape=`\nFROM a\n";
  Dockerfile late = MustParse(late_text);
  EXPECT_EQ(late.directives.escape, '\\');
  EXPECT_TRUE(late.directives.all.empty());
  EXPECT_EQ(late.comments.size(), 2u);
}

TEST(Parser, EmptyContinuationWarning) {
  std::string text = "FROM a\nRUN a \\\n\n  b\n";
  Dockerfile df = MustParse(text);
  ASSERT_EQ(df.warnings.size(), 1u);
  EXPECT_EQ(df.warnings[0].line, 4);
  EXPECT_EQ(df.warnings[0].message, "Empty continuation line found in: RUN a   b");
  std::string commented = "FROM a\nRUN a \\\n  # c\n  b\n";
  EXPECT_EQ(MustParse(commented).warnings.size(), 0u);
}

TEST(Parser, RangesAndSegments) {
  std::string text = "FROM a\n  run --mount=type=cache,target=/x apt-get \\\n    install -y  \\\n# c\n    b\n";
  Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 2u);
  const Instruction& run = df.instructions[1];
  EXPECT_EQ(run.kind, InstructionKind::kRun);
  EXPECT_EQ(run.keyword, "RUN");
  EXPECT_EQ(run.keyword_spelling, "run");
  EXPECT_EQ(run.keyword_range.start, (SourcePos{2, 3}));
  EXPECT_EQ(run.keyword_range.end, (SourcePos{2, 6}));
  EXPECT_EQ(run.range.start, (SourcePos{2, 3}));
  EXPECT_EQ(run.range.end, (SourcePos{5, 6}));
  EXPECT_EQ(run.form, ArgForm::kShell);
  EXPECT_EQ(run.args_text(), "apt-get     install -y      b");
  ASSERT_EQ(run.args.size(), 1u);
  EXPECT_EQ(run.args[0], run.args_text());
  EXPECT_EQ(run.args_range.start, (SourcePos{2, 36}));
  EXPECT_EQ(run.args_range.end, (SourcePos{5, 6}));
  EXPECT_EQ(text.substr(run.args_range.begin_offset, 7), "apt-get");
  ASSERT_EQ(run.flags.size(), 1u);
  EXPECT_EQ(run.flags[0].name, "mount");
  EXPECT_EQ(run.flags[0].value, "type=cache,target=/x");
  EXPECT_EQ(run.flags[0].range.start, (SourcePos{2, 7}));
  EXPECT_EQ(run.flags[0].range.end, (SourcePos{2, 35}));
  // "install" on line 3 column 5.
  size_t at = run.line.find("install");
  EXPECT_EQ(run.PosAt(at), (SourcePos{3, 5}));
  SourceRange r = run.RangeOf(at, at + 7);
  EXPECT_EQ(text.substr(r.begin_offset, r.end_offset - r.begin_offset), "install");
}

TEST(Parser, ExecForm) {
  std::string text = "CMD [ \"a b\", \"c\" ]\nENTRYPOINT [\"x\"\n";
  Dockerfile df = MustParse(text);
  const Instruction& cmd = df.instructions[0];
  EXPECT_TRUE(cmd.is_exec_form());
  EXPECT_EQ(cmd.args, (std::vector<std::string>{"a b", "c"}));
  EXPECT_EQ(cmd.args_text(), "[ \"a b\", \"c\" ]");
  const Instruction& ep = df.instructions[1];
  EXPECT_EQ(ep.form, ArgForm::kShell);  // invalid JSON falls back to shell form
  EXPECT_EQ(ep.args, (std::vector<std::string>{"[\"x\""}));
}

TEST(Parser, Heredocs) {
  std::string text =
      "FROM a\n"
      "RUN 3<<-'EOT' cat <<EOF2 > /f && \\\n  cat\n"
      "\tbody one\n"
      "\tEOT\n"
      "x $Y\n"
      "EOF2\n"
      "COPY <<\"A\" /a\n"
      "A\n"
      "RUN [\"<<EOF\"]\n";
  Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 4u);
  const Instruction& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 2u);
  EXPECT_EQ(run.heredocs[0].name, "EOT");
  EXPECT_TRUE(run.heredocs[0].quoted);
  EXPECT_TRUE(run.heredocs[0].strip_tabs);
  EXPECT_EQ(run.heredocs[0].fd, 3);
  EXPECT_EQ(run.heredocs[0].body, "\tbody one\n");
  EXPECT_EQ(run.heredocs[0].EffectiveBody(), "body one\n");
  EXPECT_EQ(run.heredocs[0].marker_range.start, (SourcePos{2, 5}));
  EXPECT_EQ(run.heredocs[0].terminator_range.start.line, 5);
  EXPECT_EQ(run.heredocs[1].name, "EOF2");
  EXPECT_FALSE(run.heredocs[1].quoted);
  EXPECT_FALSE(run.heredocs[1].strip_tabs);
  EXPECT_EQ(run.heredocs[1].fd, -1);
  EXPECT_EQ(run.heredocs[1].body, "x $Y\n");
  EXPECT_EQ(run.heredocs[1].body_range.start.line, 6);
  EXPECT_EQ(run.start_line(), 2);
  EXPECT_EQ(run.end_line(), 7);
  const Instruction& copy = df.instructions[2];
  ASSERT_EQ(copy.heredocs.size(), 1u);
  EXPECT_EQ(copy.heredocs[0].name, "A");
  EXPECT_TRUE(copy.heredocs[0].quoted);
  EXPECT_EQ(copy.heredocs[0].body, "");
  EXPECT_EQ(copy.start_line(), 8);
  EXPECT_EQ(copy.end_line(), 9);
  EXPECT_TRUE(df.instructions[3].heredocs.empty());  // exec form has none
  // ONBUILD carries its trigger's heredocs.
  std::string ob_text = "ONBUILD RUN <<EOF\nls\nEOF\n";
  Dockerfile ob = MustParse(ob_text);
  ASSERT_EQ(ob.instructions[0].heredocs.size(), 1u);
  ASSERT_EQ(ob.instructions[0].onbuild.size(), 1u);
  EXPECT_EQ(ob.instructions[0].onbuild[0].heredocs[0].body, "ls\n");
  EXPECT_EQ(DumpAst(ob), "(onbuild (run \"<<EOF\"))");
}

TEST(Parser, KeyValuesAndStages) {
  std::string text =
      "ARG BASE=python\nARG TAG\nFROM ${BASE}:${TAG:-3.12}-slim AS Builder\n"
      "ENV PATH /x:$PATH\nENV A=\"b c\" D=e\\ f\n"
      "FROM --platform=linux/amd64 builder\nCOPY --from=Builder /a /b\n";
  Dockerfile df = MustParse(text);
  ASSERT_EQ(df.global_args.size(), 2u);
  EXPECT_EQ(df.global_args[0].key, "BASE");
  EXPECT_EQ(df.global_args[0].value, "python");
  EXPECT_FALSE(df.global_args[1].has_value);
  ASSERT_EQ(df.stages.size(), 2u);
  const Stage& s0 = df.stages[0];
  EXPECT_EQ(s0.image, "${BASE}:${TAG:-3.12}-slim");
  EXPECT_EQ(s0.image_expanded, "python:3.12-slim");
  EXPECT_EQ(s0.name, "Builder");
  EXPECT_EQ(s0.name_lower, "builder");
  EXPECT_EQ(s0.name_range.start, (SourcePos{3, 35}));
  EXPECT_EQ(s0.from_instruction, 2u);
  EXPECT_EQ(s0.end_instruction, 5u);
  const Stage& s1 = df.stages[1];
  EXPECT_EQ(s1.platform, "linux/amd64");
  EXPECT_EQ(s1.image, "builder");
  EXPECT_EQ(df.FindStage("BUILDER"), &s0);
  EXPECT_EQ(df.FindStage("1"), &s1);
  EXPECT_EQ(df.StageOf(6), &s1);
  EXPECT_EQ(df.StageOf(0), nullptr);
  const Instruction& env1 = df.instructions[3];
  ASSERT_EQ(env1.key_values.size(), 1u);
  EXPECT_TRUE(env1.key_values[0].legacy);
  EXPECT_EQ(env1.key_values[0].value, "/x:$PATH");
  const Instruction& env2 = df.instructions[4];
  ASSERT_EQ(env2.key_values.size(), 2u);
  EXPECT_EQ(env2.key_values[0].value, "b c");
  EXPECT_EQ(env2.key_values[0].raw_value, "\"b c\"");
  EXPECT_EQ(env2.key_values[1].value, "e f");
  EXPECT_EQ(df.instructions[6].FindFlag("from")->value, "Builder");
}

TEST(Parser, KeywordSplitByContinuation) {
  std::string text = "FR\\\nOM a\n";
  Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 1u);
  EXPECT_EQ(df.instructions[0].kind, InstructionKind::kFrom);
  EXPECT_EQ(df.instructions[0].keyword_spelling, "FROM");
  Dockerfile copy = df;  // views stay valid in a copy
  EXPECT_EQ(copy.instructions[0].keyword_spelling, "FROM");
}

TEST(Parser, OnbuildNestingIsCapped) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "ONBUILD ";
  deep += "RUN x\n";
  Result<Dockerfile> r = ParseDockerfile(deep, "Dockerfile");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "Dockerfile:1: ONBUILD nested too deeply");
  std::string two = "ONBUILD ONBUILD RUN x\n";
  EXPECT_EQ(DumpAst(MustParse(two)), "(onbuild (onbuild (run \"x\")))");
}

// Found by the dockerfile fuzzer (tests/fuzz/regressions/dockerfile/
// onbuild-nested-range): a trigger two ONBUILDs deep ended at offset 0.
TEST(Parser, NestedTriggersEndWhereTheirLineEnds) {
  std::string text = "FROM a\nONBUILD ONBUILD RUN x\n";
  Dockerfile df = MustParse(text);
  ASSERT_EQ(df.instructions.size(), 2u);
  const Instruction& outer = df.instructions[1];
  ASSERT_EQ(outer.onbuild.size(), 1u);
  ASSERT_EQ(outer.onbuild[0].onbuild.size(), 1u);
  const Instruction& inner = outer.onbuild[0].onbuild[0];
  EXPECT_EQ(inner.range.begin_offset, 23u);  // "RUN x" starts after "FROM a\nONBUILD ONBUILD "
  EXPECT_EQ(inner.range.end_offset, 28u);
  EXPECT_EQ(inner.range.end.line, 2);
  EXPECT_EQ(outer.onbuild[0].range.end_offset, 28u);
}

}  // namespace
}  // namespace whittle::lint
