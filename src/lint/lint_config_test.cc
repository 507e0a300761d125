#include "lint/lint_config.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "lint/dockerfile_parser.h"
#include "lint/linter.h"
#include "util/yaml.h"

namespace whittle::lint {
namespace {

TEST(LintConfigTest, HadolintKeys) {
  auto j = ParseYaml(
      "ignored: [DL3000, WS001]\noverride:\n  error: [DL3009]\n  style:\n    - DL3015\n  info:\n"
      "failure-threshold: warning\ntrustedRegistries: [docker.io]\nstrict-labels: true\n",
      ".hadolint.yaml");
  ASSERT_TRUE(j.has_value());
  LintConfig c;
  ASSERT_TRUE(c.Merge(*j, ".hadolint.yaml").ok());
  EXPECT_EQ(c.ignored, (std::set<std::string>{"DL3000", "WS001"}));
  EXPECT_EQ(c.SeverityOf("DL3009", Severity::kInfo), Severity::kError);
  EXPECT_EQ(c.SeverityOf("DL3015", Severity::kInfo), Severity::kStyle);
  EXPECT_EQ(c.SeverityOf("DL3042", Severity::kWarning), Severity::kWarning);
  EXPECT_EQ(c.failure_threshold, Severity::kWarning);
  EXPECT_EQ(c.trusted_registries, std::vector<std::string>{"docker.io"});
}

TEST(LintConfigTest, Errors) {
  struct Case {
    const char* yaml;
    const char* want;
  };
  const Case kCases[] = {
      {"failure-threshold: loud\n", "c.yaml: failure-threshold: expected error, warning, info, style or none"},
      {"override:\n  fatal: [DL3009]\n", "c.yaml: override: unknown level 'fatal' (error, warning, info, style)"},
      {"ignored: {a: 1}\n", "c.yaml: ignored: expected a list of strings"},
      {"override: [DL3009]\n", "c.yaml: override: expected a mapping"},
      {"- a\n", "c.yaml: expected a mapping of lint settings"},
  };
  for (const Case& k : kCases) {
    auto j = ParseYaml(k.yaml, "c.yaml");
    ASSERT_TRUE(j.has_value()) << k.yaml;
    LintConfig c;
    Status st = c.Merge(*j, "c.yaml");
    EXPECT_EQ(st.message(), k.want) << k.yaml;
    EXPECT_EQ(st.code(), Errc::kUsage);
  }
}

TEST(LintConfigTest, WhittleYamlLintSection) {
  std::string dir = ::testing::TempDir() + "/whittle_cfg_test";
  std::string mk = "mkdir -p " + dir;
  ASSERT_EQ(std::system(mk.c_str()), 0);
  std::string p = dir + "/.whittle.yaml";
  FILE* f = std::fopen(p.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("ci:\n  lowestEfficiency: 0.9\nlint:\n  ignored: [DL3059]\n  failure-threshold: error\n", f);
  std::fclose(f);
  auto c = DiscoverLintConfig(dir);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->source, p);
  EXPECT_TRUE(c->ignored.count("DL3059"));
  EXPECT_EQ(c->failure_threshold, Severity::kError);
  std::remove(p.c_str());
  auto d = DiscoverLintConfig(dir);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->source, "");
  EXPECT_EQ(d->failure_threshold, Severity::kInfo);
}

TEST(LintConfigTest, Pragmas) {
  struct Case {
    const char* text;
    bool ok;
    bool global;
    const char* ids;
  };
  const Case kCases[] = {
      {"hadolint ignore=DL3009", true, false, "DL3009,"},
      {"hadolint ignore=DL3009,DL3015", true, false, "DL3009,DL3015,"},
      {"hadolint ignore=DL3009, DL3015 because", true, false, "DL3009,DL3015,"},
      {"whittle ignore=WS001", true, false, "WS001,"},
      {"hadolint global ignore=DL3059", true, true, "DL3059,"},
      {"whittle  global  ignore = WS002", true, true, "WS002,"},
      {"hadolintignore=DL3009", false, false, ""},
      {"just a comment", false, false, ""},
      {"hadolint shell=bash", false, false, ""},
  };
  for (const Case& k : kCases) {
    bool global = false;
    std::vector<std::string> ids;
    bool ok = ParseIgnorePragma(k.text, &global, &ids);
    EXPECT_EQ(ok, k.ok) << k.text;
    if (!ok) continue;
    EXPECT_EQ(global, k.global) << k.text;
    std::string got;
    for (const auto& s : ids) got += s + ",";
    EXPECT_EQ(got, k.ids) << k.text;
  }
}

TEST(LintConfigTest, PragmaAppliesToNextInstructionOnly) {
  auto df = ParseDockerfile("FROM a:1\n# hadolint ignore=DL3059\nRUN x\nRUN y\n", "Dockerfile");
  ASSERT_TRUE(df.has_value());
  InlineIgnores ig = ReadInlineIgnores(*df);
  EXPECT_TRUE(ig.Ignores("DL3059", 1));
  EXPECT_FALSE(ig.Ignores("DL3059", 2));
  EXPECT_FALSE(ig.Ignores("DL3009", 1));
}

TEST(LintConfigTest, Dockerignore) {
  struct Case {
    const char* content;
    bool excludes;
  };
  const Case kCases[] = {
      {".git\n", true},          {"/.git/\n", true},        {"./.git\n", true},
      {"**/.git\n", true},       {"*\n!src\n", true},       {".*\n", true},
      {"node_modules\n", false}, {".git\n!.git\n", false},  {"# .git\n", false},
      {".gitignore\n", false},   {".git/**\n", true},       {"", false},
  };
  for (const Case& k : kCases) EXPECT_EQ(DockerignoreExcludesGit(k.content), k.excludes) << k.content;
}

TEST(LintConfigTest, DockerignoreLookupOrder) {
  std::string dir = ::testing::TempDir() + "/whittle_ctx_test";
  std::string mk = "rm -rf " + dir + " && mkdir -p " + dir + "/sub";
  ASSERT_EQ(std::system(mk.c_str()), 0);
  auto write = [](const std::string& p, const char* s) {
    FILE* f = std::fopen(p.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(s, f);
    std::fclose(f);
  };
  std::string df = dir + "/sub/Dockerfile";
  write(df, "FROM a:1\n");
  ContextFacts f = ReadContextFacts(df, "");
  EXPECT_TRUE(f.known);
  EXPECT_EQ(f.dockerignore, "");
  write(dir + "/.dockerignore", ".git\n");
  f = ReadContextFacts(df, dir);  // --context DIR
  EXPECT_EQ(f.dockerignore, dir + "/.dockerignore");
  EXPECT_TRUE(f.excludes_git);
  f = ReadContextFacts(df, "");  // default context: the Dockerfile's dir
  EXPECT_EQ(f.dockerignore, "");
  write(df + ".dockerignore", "node_modules\n");  // Dockerfile-specific wins
  f = ReadContextFacts(df, dir);
  EXPECT_EQ(f.dockerignore, df + ".dockerignore");
  EXPECT_FALSE(f.excludes_git);
}

}  // namespace
}  // namespace whittle::lint
