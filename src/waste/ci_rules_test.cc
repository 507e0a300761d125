#include "waste/ci_rules.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "util/yaml.h"

namespace whittle {
namespace {

TEST(ParseHumanBytes, AsGoHumanize) {
  struct Case {
    const char* in;
    uint64_t want;
  };
  const Case kCases[] = {
      {"1B", 1},          {"50kB", 50000},     {"20Mb", 20000000}, {"20MB", 20000000}, {"1MiB", 1048576},
      {"1mib", 1048576},  {"42", 42},          {"1.5 KB", 1500},   {"1,000", 1000},    {"2k", 2000},
      {"3Gi", 3221225472}, {" 5 b ", 0},  // leading space: no digits -> error (checked below)
  };
  for (const Case& c : kCases) {
    auto r = ParseHumanBytes(c.in);
    if (std::string(c.in) == " 5 b ") {
      EXPECT_FALSE(r.has_value());
      continue;
    }
    ASSERT_TRUE(r.has_value()) << c.in << ": " << r.error().message();
    EXPECT_EQ(*r, c.want) << c.in;
  }
  for (const char* bad : {"1BB", "-1BB", "-1", "not_a_size", "", "MB", "1.2.3MB", "99999999999EB"}) {
    EXPECT_FALSE(ParseHumanBytes(bad).has_value()) << bad;
  }
}

TEST(CiRules, DisabledValues) {
  for (const char* v : {"", "disabled", "off", "false", " Disabled ", "OFF"}) EXPECT_TRUE(IsDisabledRuleValue(v)) << v;
  for (const char* v : {"0", "no", "0.9"}) EXPECT_FALSE(IsDisabledRuleValue(v)) << v;
  CiRules rules;
  ASSERT_TRUE(rules.Set("lowestEfficiency", false, "f").ok());  // YAML `false`/`off`
  ASSERT_TRUE(rules.Set("highestWastedBytes", nullptr, "f").ok());  // YAML empty value
  EXPECT_FALSE(rules.rules()[0].enabled);
  EXPECT_FALSE(rules.rules()[1].enabled);
}

TEST(CiRules, MisconfiguredValuesNameTheKey) {
  struct Case {
    const char* key;
    nlohmann::json value;
  };
  const Case kCases[] = {
      {"lowestEfficiency", 1.1},      {"lowestEfficiency", -0.1},     {"lowestEfficiency", "not_a_number"},
      {"lowestEfficiency", "-9"},     {"highestWastedBytes", "1BB"},  {"highestWastedBytes", "-1BB"},
      {"highestWastedBytes", "not_a_size"}, {"highestUserWastedPercent", 10}, {"highestUserWastedPercent", "-0.1"},
      {"highestUserWastedPercent", "nan"},  {"maxLayers", "1.5"},     {"maxReclaimablePercent", 2},
      {"maxImageSize", nlohmann::json::array({1})},
  };
  for (const Case& c : kCases) {
    CiRules rules;
    Status st = rules.Set(c.key, c.value, ".dive-ci");
    EXPECT_FALSE(st.ok()) << c.key << "=" << c.value.dump();
    EXPECT_NE(st.message().find(c.key), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(".dive-ci"), std::string::npos) << st.message();
  }
}

// dive's evaluator table (cmd/dive/cli/internal/command/ci/evaluator_test.go)
// over the metrics dive computes for its test-docker-image.tar. The metrics
// here are copied values; waste_image_test.cc runs the same table over
// metrics computed from the real archive.
TEST(CiRules, DiveEvaluatorTableOnFixedMetrics) {
  CiMetrics m;
  m.efficiency = 0.9844212134184309;
  m.wasted_bytes = 32025;
  m.user_wasted_percent = 0.4834911001404049;
  struct Case {
    const char *eff, *wasted, *pct;
    RuleStatus s0, s1, s2;
  };
  using S = RuleStatus;
  const Case kCases[] = {
      {"0.99", "1B", "0.01", S::kFail, S::kFail, S::kFail},                   // allFail
      {"0.9", "50kB", "0.5", S::kPass, S::kPass, S::kPass},                   // allPass
      {"disabled", "disabled", "disabled", S::kSkip, S::kSkip, S::kSkip},     // allDisabled
      {"0.9", "1B", "0.5", S::kPass, S::kFail, S::kPass},                     // mixedResults
  };
  for (const Case& c : kCases) {
    CiRules rules;
    ASSERT_TRUE(rules.Set("lowestEfficiency", c.eff, "t").ok());
    ASSERT_TRUE(rules.Set("highestWastedBytes", c.wasted, "t").ok());
    ASSERT_TRUE(rules.Set("highestUserWastedPercent", c.pct, "t").ok());
    auto res = EvaluateCiRules(rules, m);
    ASSERT_EQ(res.size(), 3u);
    EXPECT_EQ(res[0].status, c.s0) << c.eff;
    EXPECT_EQ(res[1].status, c.s1) << c.wasted;
    EXPECT_EQ(res[2].status, c.s2) << c.pct;
  }
}

TEST(CiRules, StrictComparisons) {
  CiMetrics m;
  m.efficiency = 0.5;
  m.wasted_bytes = 100;
  m.layers = 3;
  CiRules rules;
  ASSERT_TRUE(rules.Set("lowestEfficiency", 0.5, "t").ok());
  ASSERT_TRUE(rules.Set("highestWastedBytes", 100, "t").ok());
  ASSERT_TRUE(rules.Set("maxLayers", 2, "t").ok());
  auto res = EvaluateCiRules(rules, m);
  ASSERT_EQ(res.size(), 4u);  // dive's three + the configured maxLayers
  EXPECT_EQ(res[0].status, RuleStatus::kPass);  // equal efficiency passes
  EXPECT_EQ(res[1].status, RuleStatus::kPass);  // equal bytes pass
  EXPECT_EQ(res[2].status, RuleStatus::kSkip);  // not configured: disabled, not defaulted
  EXPECT_EQ(res[3].key, "maxLayers");
  EXPECT_EQ(res[3].status, RuleStatus::kFail);
}

class CiConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/whittle-ci-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ + "/" + name) << text; }
  std::string dir_;
};

TEST_F(CiConfigFiles, NoFileMeansDiveDefaults) {
  CiConfigRequest req;
  req.directory = dir_;
  auto c = LoadCiConfig(req);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->no_rules_file);
  EXPECT_EQ(c->rules.rules()[0].raw, "0.9");
  EXPECT_FALSE(c->rules.rules()[1].enabled);
  EXPECT_EQ(c->rules.rules()[2].raw, "0.1");
}

TEST_F(CiConfigFiles, MissingRuleIsDisabledUnlessDiveDefaults) {
  Write(".dive-ci", "rules:\n  # lowestEfficiency: 0.95\n  highestWastedBytes: 20Mb\n");
  CiConfigRequest req;
  req.directory = dir_;
  auto c = LoadCiConfig(req);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_FALSE(c->no_rules_file);
  EXPECT_FALSE(c->rules.rules()[0].enabled);
  EXPECT_EQ(c->rules.rules()[1].count, 20000000u);
  req.dive_defaults = true;
  auto d = LoadCiConfig(req);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->rules.rules()[0].raw, "0.9");
  EXPECT_EQ(d->rules.rules()[2].raw, "0.1");
}

TEST_F(CiConfigFiles, WhittleYamlWinsAndUnknownKeysWarn) {
  Write(".dive-ci", "plugins:\n  - p\nrules:\n  lowestEfficiency: 0.95\n  highestUserWastedPercent: 0.5\n");
  Write(".whittle.yaml", "lint:\n  ignored: [DL3008]\nci:\n  lowestEfficiency: 0.8\n  maxLayers: 20\n  bogus: 1\n");
  CiConfigRequest req;
  req.directory = dir_;
  auto c = LoadCiConfig(req);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->rules.rules()[0].raw, "0.8");
  EXPECT_EQ(c->rules.rules()[2].raw, "0.5");
  EXPECT_EQ(c->rules.rules()[7].count, 20u);
  ASSERT_EQ(c->warnings.size(), 2u);
  EXPECT_NE(c->warnings[0].find("plugins"), std::string::npos);
  EXPECT_NE(c->warnings[1].find("ci.bogus"), std::string::npos);
}

// A key YAML folds over blank lines holds newlines: its warning must still
// be one line (found by the config fuzzer: a flow mapping's multi-line
// plain key, tests/fuzz/regressions/config/unknown-key-with-newlines).
TEST_F(CiConfigFiles, UnknownKeysAreQuotedOnOneLine) {
  // A flow entry without a value may be a multi-line plain scalar; the
  // blank lines fold to newlines.
  Write(".dive-ci", "{bad\n\n\n key, rules: {worse\n\n key}}\n");
  Write(".whittle.yaml", "ci: {odd\n\n\n key}\n");
  CiConfigRequest req;
  req.directory = dir_;
  auto c = LoadCiConfig(req);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_EQ(c->warnings.size(), 3u);
  for (const std::string& w : c->warnings) {
    EXPECT_EQ(w.find('\n'), std::string::npos) << w;
    EXPECT_EQ(w.find('\t'), std::string::npos) << w;
  }
  EXPECT_NE(c->warnings[0].find("'bad\\x0a\\x0akey'"), std::string::npos) << c->warnings[0];
}

TEST_F(CiConfigFiles, ErrorsNameFileAndKey) {
  Write("bad.yaml", "rules:\n  lowestEfficiency: 1.1\n");
  CiConfigRequest req;
  req.directory = dir_;
  req.dive_ci_path = dir_ + "/bad.yaml";
  auto c = LoadCiConfig(req);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("bad.yaml"), std::string::npos);
  EXPECT_NE(c.error().message().find("lowestEfficiency"), std::string::npos);
  req.dive_ci_path = dir_ + "/missing.yaml";
  EXPECT_FALSE(LoadCiConfig(req).has_value());
}

}  // namespace
}  // namespace whittle
