#include "util/yaml.h"

#include <gtest/gtest.h>

#include <string>

namespace whittle {
namespace {

using nlohmann::json;

struct Case {
  const char* yaml;
  const char* want_json;  // compact dump of the expected value
};

TEST(YamlTest, Table) {
  const Case kCases[] = {
      {"", "null"},
      {"a: 1\n", R"({"a":1})"},
      {"a: [1, two, 3.5]\n", R"({"a":[1,"two",3.5]})"},
      {"- a\n- b: c\n  d: e\n", R"(["a",{"b":"c","d":"e"}])"},
      // Plain scalars resolve (YAML 1.1); quoted ones stay strings.
      {"x: true\ny: 'true'\nz: \"1\"\nw: yes\nv: Off\n", R"({"v":false,"w":true,"x":true,"y":"true","z":"1"})"},
      {"n: ~\nm: null\nk:\nj: 'null'\n", R"({"j":"null","k":null,"m":null,"n":null})"},
      {"a: 0x1F\nb: 0o17\nc: 017\nd: -42\ne: +7\nf: 1_000\n", R"({"a":31,"b":15,"c":15,"d":-42,"e":7,"f":1000})"},
      {"a: 1.5e3\nb: .5\nc: -2.\nd: 1e-2\n", R"({"a":1500.0,"b":0.5,"c":-2.0,"d":0.01})"},
      // Not numbers: units, versions, lone signs, y/n, 08 (not octal), .inf.
      {"a: 20Mb\nb: 1.2.3\nc: +\nd: y\ne: n\nf: 08\ng: .inf\n",
       R"({"a":"20Mb","b":"1.2.3","c":"+","d":"y","e":"n","f":"08","g":".inf"})"},
      // int64 overflow stays a string.
      {"a: 99999999999999999999\n", R"({"a":"99999999999999999999"})"},
      {"a: -9223372036854775808\n", R"({"a":-9223372036854775808})"},
      // Keys are always strings.
      {"1: a\ntrue: b\n", R"({"1":"a","true":"b"})"},
      // !!str forces a string.
      {"a: !!str 12\n", R"({"a":"12"})"},
      // Block scalars are strings, never resolved.
      {"a: |\n  12\n", R"({"a":"12\n"})"},
      // Anchors, aliases and merge keys.
      {"base: &b {x: 1, y: 2}\nother: *b\n", R"({"base":{"x":1,"y":2},"other":{"x":1,"y":2}})"},
      {"base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n", R"({"base":{"x":1,"y":2},"d":{"x":1,"y":3}})"},
      {"s: &s hello\nt: *s\n", R"({"s":"hello","t":"hello"})"},
      // Multi-document: the first wins.
      {"a: 1\n---\nb: 2\n", R"({"a":1})"},
      {"---\na: 1\n...\n", R"({"a":1})"},
  };
  for (const Case& c : kCases) {
    auto r = ParseYaml(c.yaml, "t.yaml");
    ASSERT_TRUE(r.has_value()) << c.yaml << " -> " << r.error().message();
    EXPECT_EQ(r->dump(), json::parse(c.want_json).dump()) << c.yaml;
  }
}

struct ErrorCase {
  const char* yaml;
  const char* want;  // exact error message
};

TEST(YamlTest, Errors) {
  const ErrorCase kCases[] = {
      {"a: [1, 2\n", "t.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at line 1)"},
      {"a: *nope\n", "t.yaml:1:4: unknown or recursive alias '*nope'"},
      {"a: 1\na: 2\n", "t.yaml:2:1: duplicate key 'a'"},
      {"? [a]\n: b\n", "t.yaml:1:3: a mapping or sequence used as a key"},
      {"a: &x\n  b: *x\n", "t.yaml:2:6: unknown or recursive alias '*x'"},
      {"a: 'unterminated\n", "t.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar at line 1)"},
      {"a:\n\tb: 1\n", "t.yaml:2:1: found character that cannot start any token (while scanning for the next token at line 2)"},
  };
  for (const ErrorCase& c : kCases) {
    auto r = ParseYaml(c.yaml, "t.yaml");
    ASSERT_FALSE(r.has_value()) << c.yaml;
    EXPECT_EQ(r.error().message(), c.want) << c.yaml;
  }
}

TEST(YamlTest, BillionLaughsIsCapped) {
  std::string y = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string ref = std::string("*") + prev;
    y += std::string(1, c) + ": &" + c + " [" + ref + ", " + ref + ", " + ref + ", " + ref + ", " + ref + ", " +
         ref + ", " + ref + ", " + ref + ", " + ref + ", " + ref + "]\n";
    prev = c;
  }
  auto r = ParseYaml(y, "lol.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kTooLarge);
  EXPECT_NE(r.error().message().find("lol.yaml:"), std::string::npos);
}

TEST(YamlTest, DeepNestingIsCapped) {
  std::string y = std::string(300, '[') + std::string(300, ']');
  auto r = ParseYaml(y, "deep.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "deep.yaml:1:257: nesting deeper than 256 levels");
  y = std::string(200, '[') + std::string(200, ']');
  EXPECT_TRUE(ParseYaml(y, "ok.yaml").has_value());
}

TEST(YamlTest, HadolintConfig) {
  const char* kYaml = R"(# hadolint config
failure-threshold: warning
ignored:
  - DL3000
  - SC1010
override:
  error:
    - DL3001
  warning: [DL3042]
  info:
  style: []
trustedRegistries:
  - docker.io
  - my-company.com:5000
  - "*.gcr.io"
label-schema:
  author: text
strict-labels: false
)";
  auto r = ParseYaml(kYaml, ".hadolint.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  const json& j = *r;
  EXPECT_EQ(j["failure-threshold"], "warning");
  EXPECT_EQ(j["ignored"], json({"DL3000", "SC1010"}));
  EXPECT_EQ(j["override"]["error"], json({"DL3001"}));
  EXPECT_EQ(j["override"]["warning"], json({"DL3042"}));
  EXPECT_TRUE(j["override"]["info"].is_null());
  EXPECT_EQ(j["override"]["style"], json::array());
  EXPECT_EQ(j["trustedRegistries"], json({"docker.io", "my-company.com:5000", "*.gcr.io"}));
  EXPECT_EQ(j["strict-labels"], false);
}

TEST(YamlTest, DiveCiAnchorFile) {
  // dive's own sample (tests/data/dive, copied from dive with its licence).
  auto r = ParseYamlFile(std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/dive-ci.yaml");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  const json& j = *r;
  EXPECT_EQ(j["plugins"], json({"plugin1"}));
  EXPECT_DOUBLE_EQ(j["rules"]["lowestEfficiency"].get<double>(), 0.95);
  EXPECT_EQ(j["rules"]["highestWastedBytes"], "20Mb");
  EXPECT_DOUBLE_EQ(j["rules"]["highestUserWastedPercent"].get<double>(), 0.5);
  EXPECT_EQ(j["rules"]["plugin1/rule1"], "error");
}

TEST(YamlTest, DiveCiSamples) {
  // The shapes dive documents for .dive-ci (README): numbers, byte sizes with
  // units, and "disabled".
  const char* kYaml = R"(rules:
  # If the efficiency is measured below X%, mark as failed.
  lowestEfficiency: 0.95
  highestWastedBytes: 20MB
  highestUserWastedPercent: disabled
)";
  auto r = ParseYaml(kYaml, ".dive-ci");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_DOUBLE_EQ((*r)["rules"]["lowestEfficiency"].get<double>(), 0.95);
  EXPECT_EQ((*r)["rules"]["highestWastedBytes"], "20MB");
  EXPECT_EQ((*r)["rules"]["highestUserWastedPercent"], "disabled");
}

TEST(YamlTest, FileErrors) {
  auto r = ParseYamlFile("/nonexistent/whittle/x.yaml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), Errc::kNotFound);
  EXPECT_NE(r.error().message().find("/nonexistent/whittle/x.yaml: cannot open"), std::string::npos);
}

}  // namespace
}  // namespace whittle
