#include "pkg/ownership.h"

#include <gtest/gtest.h>

namespace whittle::pkg {
namespace {

TEST(Ownership, PrecedenceAndSharedDirectories) {
  OwnershipIndex idx;
  idx.AddPaths(Ecosystem::kDeb, "python3-numpy",
               {"/usr", "/usr/lib/python3/dist-packages", "/usr/lib/python3/dist-packages/numpy/__init__.py",
                "/usr/lib/python3/dist-packages/numpy/core/multiarray.py"});
  idx.AddPaths(Ecosystem::kDeb, "libc6", {"/usr", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/share/doc/libc6"});
  idx.AddPaths(Ecosystem::kDeb, "libc6", {"/usr/share/doc/libc6"});  // libc6:i386: same label, no conflict
  idx.AddPaths(Ecosystem::kDeb, "gcc-12", {"/usr/lib/gcc/x86_64-linux-gnu/12", "/usr/lib/gcc/x86_64-linux-gnu/12/cc1"});
  // pip upgraded numpy over the deb's files.
  auto numpy = ParseDistInfoRecord("/usr/lib/python3/dist-packages/NumPy-1.26.4.dist-info/RECORD",
                                   "numpy/__init__.py,sha256=x,1\n");
  ASSERT_TRUE(numpy.has_value());
  idx.AddPythonDist(*numpy);
  idx.AddPaths(Ecosystem::kDeb, "npm", {"/usr/share/nodejs/npm/node_modules/abbrev/index.js"});
  ASSERT_TRUE(idx.AddNodePackage("/usr/share/nodejs/npm/node_modules/abbrev/package.json", "abbrev"));
  ASSERT_TRUE(idx.AddNodePackage("/app/node_modules/@esbuild/linux-x64/package.json", "@esbuild/linux-x64"));
  ASSERT_TRUE(idx.AddNodePackage("/app/node_modules/left-pad/package.json", "left-pad"));
  EXPECT_FALSE(idx.AddNodePackage("/app/package.json", "my-app"));
  idx.AddGoBinary("/app/node_modules/@esbuild/linux-x64/bin/esbuild", "github.com/evanw/esbuild");
  idx.AddGoBinary("/usr/local/bin/app", "example.com/app");
  idx.AddPaths(Ecosystem::kApk, "busybox", {"/bin/busybox"});
  idx.AddPaths(Ecosystem::kRpm, "glibc", {"/usr/lib64/libc.so.6"});

  struct Case {
    const char* path;
    const char* want;
  };
  const Case kCases[] = {
      {"/usr/lib/python3/dist-packages/numpy/__init__.py", "pip:numpy"},  // pip beats deb
      {"/usr/lib/python3/dist-packages/numpy/core/multiarray.py", "deb:python3-numpy"},
      {"/usr/lib/python3/dist-packages", "deb:python3-numpy"},  // listed by one package only
      {"/usr", "[unowned]"},                                    // shared directory
      {"/usr/share/doc/libc6", "deb:libc6"},                    // same label twice: not shared
      {"/usr/lib/gcc/x86_64-linux-gnu/12", "deb:gcc-12"},
      {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "deb:gcc-12"},
      {"/usr/lib/gcc/x86_64-linux-gnu/12/cc1plus", "[unowned]"},          // a claim is exact, not a subtree
      {"/usr/share/nodejs/npm/node_modules/abbrev/index.js", "deb:npm"},  // file list beats directory rule
      {"/usr/share/nodejs/npm/node_modules/abbrev/README.md", "npm:abbrev"},
      {"/app/node_modules/@esbuild/linux-x64/bin/esbuild", "npm:@esbuild/linux-x64"},  // npm beats go
      {"/app/node_modules/left-pad/index.js", "npm:left-pad"},
      {"/app/package.json", "[unowned]"},
      {"/usr/local/bin/app", "go:example.com/app"},
      {"/bin/busybox", "apk:busybox"},
      {"/usr/lib64/libc.so.6", "rpm:glibc"},
      {"/etc/hostname", "[unowned]"},
  };
  for (const Case& c : kCases) EXPECT_EQ(idx.Lookup(c.path), c.want) << c.path;
  EXPECT_EQ(idx.label(kNoOwner), "[unowned]");
  EXPECT_EQ(idx.Find("/etc/hostname"), kNoOwner);
}

TEST(Ownership, SharedAcrossOsEcosystemsFallsThroughToLaterRules) {
  OwnershipIndex idx;
  idx.AddPaths(Ecosystem::kDeb, "a", {"/opt/x/node_modules/p/f.js"});
  idx.AddPaths(Ecosystem::kDeb, "b", {"/opt/x/node_modules/p/f.js"});
  ASSERT_TRUE(idx.AddNodePackage("/opt/x/node_modules/p/package.json", "p"));
  EXPECT_EQ(idx.Lookup("/opt/x/node_modules/p/f.js"), "npm:p");
  idx.AddGoBinary("/opt/bin/tool", "example.com/one");
  idx.AddGoBinary("/opt/bin/tool", "example.com/two");
  EXPECT_EQ(idx.Lookup("/opt/bin/tool"), "[unowned]");
}

TEST(Ownership, ManyPathsStayConsistent) {
  // 200k distinct paths across the arena's chunk boundaries: every lookup
  // finds its own package, and the labels stay valid after a move.
  OwnershipIndex idx;
  const int kPackages = 100;
  for (int p = 0; p < kPackages; ++p) {
    std::vector<std::string> paths;
    for (int i = 0; i < 2000; ++i) {
      paths.push_back("/usr/lib/pkg" + std::to_string(p) + "/some/deeper/directory/file-" + std::to_string(i));
    }
    idx.AddPaths(Ecosystem::kRpm, "pkg" + std::to_string(p), paths);
  }
  OwnershipIndex moved = std::move(idx);
  EXPECT_EQ(moved.claimed_paths(), 200000u);
  EXPECT_EQ(moved.owners(), static_cast<size_t>(kPackages));
  for (int p = 0; p < kPackages; p += 7) {
    for (int i = 0; i < 2000; i += 333) {
      EXPECT_EQ(moved.Lookup("/usr/lib/pkg" + std::to_string(p) + "/some/deeper/directory/file-" + std::to_string(i)),
                "rpm:pkg" + std::to_string(p));
    }
  }
}

}  // namespace
}  // namespace whittle::pkg
