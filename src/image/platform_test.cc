#include "image/platform.h"

#include <sys/utsname.h>

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(PlatformTest, Parse) {
  struct Case {
    const char* text;
    const char* want;  // ToString() after normalisation
  };
  const Case kCases[] = {
      {"linux/amd64", "linux/amd64"},
      {"linux/x86_64", "linux/amd64"},
      {"linux/arm64", "linux/arm64/v8"},
      {"linux/aarch64", "linux/arm64/v8"},
      {"linux/arm/v7", "linux/arm/v7"},
      {"linux/amd64/v1", "linux/amd64"},
      {"windows/amd64", "windows/amd64"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    auto p = ParsePlatform(c.text);
    ASSERT_TRUE(p) << p.error().message();
    EXPECT_EQ(p->ToString(), c.want);
  }
  for (const char* bad : {"linux", "linux/", "/amd64", "a/b/c/d", ""}) {
    SCOPED_TRACE(bad);
    auto p = ParsePlatform(bad);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().code(), Errc::kUsage);
  }
  EXPECT_EQ(ParsePlatform("linux").error().message(),
            "bad platform 'linux': want os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8");
}

TEST(PlatformTest, Matches) {
  struct Case {
    Platform want;
    Platform have;
    bool match;
  };
  const Case kCases[] = {
      {{"linux", "amd64", ""}, {"linux", "amd64", ""}, true},
      {{"linux", "amd64", ""}, {"linux", "arm64", ""}, false},
      {{"linux", "amd64", ""}, {"windows", "amd64", ""}, false},
      {{"linux", "arm64", ""}, {"linux", "arm64", "v8"}, true},
      {{"linux", "arm64", "v8"}, {"linux", "arm64", ""}, true},
      {{"linux", "arm", ""}, {"linux", "arm", "v6"}, true},
      {{"linux", "arm", "v7"}, {"linux", "arm", "v6"}, false},
      {{"linux", "x86_64", ""}, {"linux", "amd64", ""}, true},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.want.ToString() + " vs " + c.have.ToString());
    EXPECT_EQ(PlatformMatches(c.want, c.have), c.match);
  }
}

TEST(PlatformTest, HostFollowsUname) {
  struct utsname u;
  ASSERT_EQ(::uname(&u), 0);
  Platform host = HostPlatform();
  EXPECT_EQ(host.os, "linux");
  std::string machine = u.machine;
  if (machine == "x86_64") {
    EXPECT_EQ(host.ToString(), "linux/amd64");
  } else if (machine == "aarch64") {
    EXPECT_EQ(host.ToString(), "linux/arm64/v8");
  } else {
    EXPECT_FALSE(host.architecture.empty());
  }
}

}  // namespace
}  // namespace whittle
