#include "lint/expand.h"

#include <gtest/gtest.h>

#include <map>

namespace whittle::lint {
namespace {

TEST(ExpandVariables, Table) {
  std::map<std::string, std::string, std::less<>> env = {
      {"A", "alpha"}, {"EMPTY", ""}, {"V", "3.12"}};
  VarLookup lookup = [&env](std::string_view n) -> std::optional<std::string_view> {
    auto it = env.find(n);
    if (it == env.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  struct Case {
    const char* in;
    const char* want;
    bool complete;
  };
  const Case kCases[] = {
      {"plain", "plain", true},
      {"$A", "alpha", true},
      {"${A}x", "alphax", true},
      {"$A-$V", "alpha-3.12", true},
      {"$UNSET.", ".", true},
      {"${UNSET:-def}", "def", true},
      {"${EMPTY:-def}", "def", true},
      {"${EMPTY-def}", "", true},
      {"${UNSET-def}", "def", true},
      {"${A:+alt}", "alt", true},
      {"${EMPTY:+alt}", "", true},
      {"${EMPTY+alt}", "alt", true},
      {"${UNSET:+alt}", "", true},
      {"${UNSET:-${A}}", "alpha", true},
      {"${UNSET:-${NONE:-deep}}", "deep", true},
      {"\\$A", "$A", true},
      {"a$", "a$", true},
      {"$1x", "x", true},
      {"${A#al}", "", false},
      {"${UNSET:?oops}", "", false},
      {"${A", "", false},
  };
  for (const Case& c : kCases) {
    bool complete = !c.complete;
    EXPECT_EQ(ExpandVariables(c.in, lookup, '\\', &complete), c.want) << c.in;
    EXPECT_EQ(complete, c.complete) << c.in;
  }
  EXPECT_EQ(ExpandVariables("`$A", lookup, '`'), "$A");
}

TEST(ExpandVariables, KeyValueLookup) {
  std::vector<KeyValue> args(3);
  args[0].key = "X";
  args[0].value = "1";
  args[0].has_value = true;
  args[1].key = "Y";  // declared without a default: unset
  args[2].key = "X";
  args[2].value = "2";
  args[2].has_value = true;
  VarLookup l = LookupFromKeyValues(args);
  EXPECT_EQ(ExpandVariables("$X/${Y:-none}", l), "2/none");
}

TEST(ExpandVariables, DeepNestingIsBounded) {
  std::string w;
  for (int i = 0; i < 100; ++i) w += "${U:-";
  w += "x";
  for (int i = 0; i < 100; ++i) w += "}";
  bool complete = true;
  VarLookup none = [](std::string_view) -> std::optional<std::string_view> { return std::nullopt; };
  ExpandVariables(w, none, '\\', &complete);
  EXPECT_FALSE(complete);
}

}  // namespace
}  // namespace whittle::lint
