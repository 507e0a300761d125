#include "pkg/node_packages.h"

#include <gtest/gtest.h>

#include "pkg/package.h"

namespace whittle::pkg {
namespace {

TEST(PackageJson, NameAndVersion) {
  auto r = ParsePackageJson(R"({"name": "left-pad", "version": "1.3.0", "main": "index.js"})", "p");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->name, "left-pad");
  EXPECT_EQ(r->version, "1.3.0");
  auto marker = ParsePackageJson(R"({"type": "module"})", "p");
  ASSERT_TRUE(marker.has_value());
  EXPECT_EQ(marker->name, "");
  EXPECT_EQ(ParsePackageJson("{", "p").error().message(), "p: not valid JSON");
  EXPECT_EQ(ParsePackageJson("[1]", "p").error().message(), "p: not a JSON object");
  EXPECT_EQ(ParsePackageJson(R"({"name": 3})", "p").error().message(), "p: \"name\" is not a string");
  EXPECT_EQ(ParsePackageJson(std::string(kMaxPackageJsonBytes + 1, ' '), "p").error().code(), Errc::kTooLarge);
}

TEST(NodePackageDir, OnlyPackageRoots) {
  struct Case {
    const char* path;
    const char* dir;  // nullptr: not a package root
    const char* name;
  };
  const Case kCases[] = {
      {"/app/node_modules/left-pad/package.json", "/app/node_modules/left-pad", "left-pad"},
      {"/app/node_modules/@babel/core/package.json", "/app/node_modules/@babel/core", "@babel/core"},
      {"/app/node_modules/a/node_modules/b/package.json", "/app/node_modules/a/node_modules/b", "b"},
      {"/app/node_modules/.pnpm/x@1.0.0/node_modules/x/package.json", "/app/node_modules/.pnpm/x@1.0.0/node_modules/x",
       "x"},
      {"/app/package.json", nullptr, nullptr},                      // the application itself
      {"/app/node_modules/a/esm/package.json", nullptr, nullptr},   // a {"type":"module"} marker
      {"/app/node_modules/@scope/package.json", nullptr, nullptr},  // a scope is not a package
      {"/app/node_modules/.bin/package.json", nullptr, nullptr},
      {"/app/node_modules/a/package.json.bak", nullptr, nullptr},
  };
  for (const Case& c : kCases) {
    std::string dir, name;
    bool ok = TryNodePackageDir(c.path, &dir, &name);
    EXPECT_EQ(ok, c.dir != nullptr) << c.path;
    if (ok && c.dir) {
      EXPECT_EQ(dir, c.dir);
      EXPECT_EQ(name, c.name);
    }
  }
}

TEST(NodePackageTree, InnermostPackageOwns) {
  NodePackageTree t;
  EXPECT_TRUE(t.Add("/app/node_modules/a/package.json", "a"));
  EXPECT_TRUE(t.Add("/app/node_modules/a/node_modules/b/package.json", ""));  // name from the directory
  EXPECT_TRUE(t.Add("/app/node_modules/@s/c/package.json", "@s/c"));
  EXPECT_FALSE(t.Add("/app/node_modules/a/lib/package.json", ""));
  EXPECT_FALSE(t.Add("/app/package.json", "app"));
  EXPECT_TRUE(t.Add("/app/node_modules/a/package.json", "other"));  // first registration kept
  EXPECT_EQ(t.size(), 3u);
  struct Case {
    const char* path;
    const char* owner;  // nullptr: none
  };
  const Case kCases[] = {
      {"/app/node_modules/a/index.js", "a"},
      {"/app/node_modules/a", "a"},
      {"/app/node_modules/a/lib/package.json", "a"},
      {"/app/node_modules/a/node_modules/b/x.js", "b"},
      {"/app/node_modules/a/node_modules/b", "b"},
      {"/app/node_modules/a/node_modules/.bin/b", "a"},  // links a's node_modules holds for a
      {"/app/node_modules/@s/c/dist/c.js", "@s/c"},
      {"/app/node_modules/@s", nullptr},
      {"/app/node_modules/.package-lock.json", nullptr},
      {"/app/node_modules/ab/x.js", nullptr},  // "a" is not a prefix of "ab"
      {"/app/src/index.js", nullptr},
      {"/app/node_modules", nullptr},
  };
  for (const Case& c : kCases) {
    const NodePackageTree::Entry* e = t.Find(c.path);
    if (c.owner == nullptr) {
      EXPECT_EQ(e, nullptr) << c.path << " -> " << (e ? e->name : "");
    } else {
      ASSERT_NE(e, nullptr) << c.path;
      EXPECT_EQ(e->name, c.owner) << c.path;
    }
  }
}

}  // namespace
}  // namespace whittle::pkg
