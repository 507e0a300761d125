#include "image/reference.h"

#include <gtest/gtest.h>

#include "image/image_test_util.h"

namespace whittle {
namespace {

TEST(ParseImageReferenceTest, Table) {
  struct Case {
    const char* text;
    const char* transport;  // TransportName(): "auto" for a bare path
    const char* path;
    const char* ref;
    int index;
  };
  const Case kCases[] = {
      {"app.tar", "auto", "app.tar", "", -1},
      {"/abs/path/img", "auto", "/abs/path/img", "", -1},
      {"weird:name.tar", "auto", "weird:name.tar", "", -1},
      {"docker-archive:app.tar", "docker-archive", "app.tar", "", -1},
      {"docker-archive:app.tar:myapp:1.0", "docker-archive", "app.tar", "myapp:1.0", -1},
      {"docker-archive:app.tar:@2", "docker-archive", "app.tar", "", 2},
      {"oci:layout", "oci", "layout", "", -1},
      {"oci:layout:latest", "oci", "layout", "latest", -1},
      {"oci:layout:@0", "oci", "layout", "", 0},
      {"oci-archive:img.tar", "oci-archive", "img.tar", "", -1},
      {"oci-archive:img.tar:v2", "oci-archive", "img.tar", "v2", -1},
      {"dir:some/dir", "dir", "some/dir", "", -1},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    auto r = ParseImageReference(c.text);
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_STREQ(TransportName(r->transport), c.transport);
    EXPECT_EQ(r->path, c.path);
    EXPECT_EQ(r->ref, c.ref);
    EXPECT_EQ(r->index, c.index);
  }
}

TEST(ParseImageReferenceTest, Errors) {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case kCases[] = {
      {"", ": empty path"},
      {"oci:", "oci:: empty path"},
      {"docker-archive::x:y", "docker-archive::x:y: empty path"},
      {"oci:dir:", "oci:dir:: empty image name after ':'"},
      {"oci:dir:@", "oci:dir:@: bad image index '@' (want @N, N >= 0)"},
      {"oci:dir:@x1", "oci:dir:@x1: bad image index '@x1' (want @N, N >= 0)"},
      {"dir:d:ref", "dir:d:ref: dir: takes no image name after the path"},
      {"containers-storage:x", "containers-storage:x: transport 'containers-storage:' is not "
                               "supported; use docker-archive:, oci:, oci-archive:, dir:, "
                               "docker-daemon: or docker://"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.text);
    auto r = ParseImageReference(c.text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), Errc::kUsage);
    EXPECT_EQ(r.error().message(), c.message);
  }
}

TEST(RefMatchesTest, Table) {
  struct Case {
    const char* want;
    const char* have;
    bool match;
  };
  const Case kCases[] = {
      {"latest", "latest", true},
      {"app:1.0", "app:1.0", true},
      {"app", "app:latest", true},
      {"app", "docker.io/library/app:latest", true},
      {"app:1.0", "docker.io/library/app:1.0", true},
      {"user/app:2", "docker.io/user/app:2", true},
      {"app:1.0", "app:1.1", false},
      {"app", "other:latest", false},
      {"localhost:5000/app", "localhost:5000/app:latest", true},
      {"", "", false},
      {"first", "second", false},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::string(c.want) + " vs " + c.have);
    EXPECT_EQ(RefMatches(c.want, c.have), c.match);
  }
}

TEST(DetectTransportTest, ByContent) {
  testing::ImageTempDir tmp;
  testing::WriteFileOrDie(tmp.Sub("oci/oci-layout"), "{}");
  testing::WriteFileOrDie(tmp.Sub("skopeo-dir/manifest.json"), "{}");
  testing::WriteFileOrDie(tmp.Sub("empty/readme"), "x");
  testing::WriteFileOrDie(tmp.Sub("file.tar"), "x");

  auto oci = DetectTransport(tmp.Sub("oci"));
  ASSERT_TRUE(oci);
  EXPECT_STREQ(TransportName(*oci), "oci");
  auto dir = DetectTransport(tmp.Sub("skopeo-dir"));
  ASSERT_TRUE(dir);
  EXPECT_STREQ(TransportName(*dir), "dir");
  auto file = DetectTransport(tmp.Sub("file.tar"));
  ASSERT_TRUE(file);
  EXPECT_EQ(*file, nullptr);  // decided by the archive's members

  auto empty = DetectTransport(tmp.Sub("empty"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code(), Errc::kUnsupported);
  EXPECT_EQ(empty.error().message(),
            tmp.Sub("empty") + ": not an image: a directory with neither oci-layout (OCI layout) "
                               "nor manifest.json (dir:)");
  auto missing = DetectTransport(tmp.Sub("nope"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::kNotFound);
  EXPECT_EQ(missing.error().message(), tmp.Sub("nope") + ": No such file or directory");
}

}  // namespace
}  // namespace whittle
