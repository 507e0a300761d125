// lib/apk/db/installed, hand-written after apk-tools' documented v2 format
// (the real file from alpine:3.19 has the same letters and layout).
#include "pkg/apk.h"

#include <gtest/gtest.h>

namespace whittle::pkg {
namespace {

constexpr char kInstalled[] =
    "C:Q1SJ0D5qPrqUNmxTOALAj2nrUAq/E=\n"
    "P:musl\n"
    "V:1.2.4_git20230717-r4\n"
    "A:x86_64\n"
    "S:407574\n"
    "I:667648\n"
    "T:the musl c library (libc) implementation\n"
    "U:https://musl.libc.org/\n"
    "L:MIT\n"
    "o:musl\n"
    "m:Timo Teras <timo.teras@iki.fi>\n"
    "t:1700000000\n"
    "c:b8f6c8a9c2d6b4\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1...=\n"
    "R:libc.musl-x86_64.so.1\n"
    "Z:Q1...=\n"
    "\n"
    "P:busybox\n"
    "V:1.36.1-r15\n"
    "A:x86_64\n"
    "D:so:libc.musl-x86_64.so.1\n"
    "F:bin\n"
    "R:busybox\n"
    "F:etc\n"
    "R:securetty\n"
    "F:usr/share/udhcpc\n"
    "R:default.script\n"
    "\n";

TEST(ApkInstalled, PackagesFoldersAndFiles) {
  auto r = ParseApkInstalled(kInstalled, "lib/apk/db/installed");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "musl");
  EXPECT_EQ((*r)[0].version, "1.2.4_git20230717-r4");
  EXPECT_EQ((*r)[0].arch, "x86_64");
  EXPECT_EQ((*r)[0].paths,
            (std::vector<std::string>{"/lib", "/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"}));
  EXPECT_EQ((*r)[1].name, "busybox");
  EXPECT_EQ((*r)[1].paths, (std::vector<std::string>{"/bin", "/bin/busybox", "/etc", "/etc/securetty",
                                                     "/usr/share/udhcpc", "/usr/share/udhcpc/default.script"}));
}

TEST(ApkInstalled, NoTrailingBlankLineAndRootFiles) {
  auto r = ParseApkInstalled("P:a\nR:top\nF:x\nR:y", "i");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].paths, (std::vector<std::string>{"/top", "/x", "/x/y"}));
}

TEST(ApkInstalled, Errors) {
  struct Case {
    const char* body;
    const char* want;
  };
  const Case kCases[] = {
      {"P:a\nnonsense\n", "i:2: expected '<letter>:<value>', got nonsense"},
      {"V:1\nA:x86_64\n\nP:b\n", "i:1: package block without P: (name)"},
      {"P:a\nF:../../etc\n", "i:2: bad path ../../etc"},
      {"P:a\nF:usr\nR:\n", "i:3: bad path "},
      {"P:a\nF:usr\nR:x/y\n", "i:3: R: holds a '/' (x/y)"},
      {"P:a b\nV:1\n", "i:1: bad package name a b"},
  };
  for (const Case& c : kCases) {
    auto r = ParseApkInstalled(c.body, "i");
    ASSERT_FALSE(r.has_value()) << c.body;
    EXPECT_EQ(r.error().message(), c.want);
  }
}

}  // namespace
}  // namespace whittle::pkg
