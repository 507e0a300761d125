#include "pkg/python_dist.h"

#include <gtest/gtest.h>

namespace whittle::pkg {
namespace {

TEST(PythonName, Pep503) {
  EXPECT_EQ(NormalizePythonName("PyYAML"), "pyyaml");
  EXPECT_EQ(NormalizePythonName("typing_extensions"), "typing-extensions");
  EXPECT_EQ(NormalizePythonName("zope.interface"), "zope-interface");
  EXPECT_EQ(NormalizePythonName("Foo__-.Bar"), "foo-bar");
}

TEST(DistInfoRecord, PathsRelativeToSitePackages) {
  // Rows as pip writes them (numpy 1.26 wheel, trimmed), with a console
  // script, a quoted path holding a comma and CRLF line ends.
  const char kRecord[] =
      "../../../bin/f2py,sha256=abc,230\r\n"
      "numpy-1.26.4.dist-info/RECORD,,\r\n"
      "numpy/__init__.py,sha256=Bx,16000\r\n"
      "\"numpy/odd,name.py\",sha256=x,1\r\n"
      "\"numpy/q\"\"uote.py\",sha256=x,1\r\n"
      "numpy/core/__pycache__/x.cpython-311.pyc,,\r\n";
  auto r = ParseDistInfoRecord("/usr/local/lib/python3.11/site-packages/numpy-1.26.4.dist-info/RECORD", kRecord);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->package.name, "numpy");
  EXPECT_EQ(r->package.version, "1.26.4");
  EXPECT_EQ(r->normalized_name, "numpy");
  EXPECT_EQ(r->dist_dir, "/usr/local/lib/python3.11/site-packages/numpy-1.26.4.dist-info");
  EXPECT_EQ(r->package.paths, (std::vector<std::string>{
                                  "/usr/local/bin/f2py",
                                  "/usr/local/lib/python3.11/site-packages/numpy-1.26.4.dist-info/RECORD",
                                  "/usr/local/lib/python3.11/site-packages/numpy/__init__.py",
                                  "/usr/local/lib/python3.11/site-packages/numpy/odd,name.py",
                                  "/usr/local/lib/python3.11/site-packages/numpy/q\"uote.py",
                                  "/usr/local/lib/python3.11/site-packages/numpy/core/__pycache__/x.cpython-311.pyc",
                              }));
  EXPECT_EQ(r->dropped_paths, 0u);
}

TEST(DistInfoRecord, EscapesAboveRootAreDropped) {
  auto r = ParseDistInfoRecord("/site/a_b-1.0.dist-info/RECORD", "../../../x,,\na_b/__init__.py,,\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->package.name, "a_b");
  EXPECT_EQ(r->normalized_name, "a-b");
  EXPECT_EQ(r->package.paths, (std::vector<std::string>{"/site/a_b/__init__.py"}));
  EXPECT_EQ(r->dropped_paths, 1u);
}

TEST(DistInfoRecord, Errors) {
  struct Case {
    const char* path;
    const char* body;
    const char* want;
  };
  const Case kCases[] = {
      {"/s/x-1.dist-info/RECORD", "a,b\n", "/s/x-1.dist-info/RECORD:1: expected 'path,hash,size', got 2 fields"},
      {"/s/x-1.dist-info/RECORD", "a,,\n,,\n", "/s/x-1.dist-info/RECORD:2: empty or NUL-holding path"},
      {"/s/x-1.dist-info/RECORD", "\"a,,\n", "/s/x-1.dist-info/RECORD:1: unterminated quoted field"},
      {"/s/x-1.dist-info/RECORD", "\"a\"b,,\n", "/s/x-1.dist-info/RECORD:1: text after a closing quote"},
      {"/s/x-1.dist-info/METADATA", "", "/s/x-1.dist-info/METADATA: not a .../NAME.dist-info/RECORD path"},
      {"s/x-1.dist-info/RECORD", "", "s/x-1.dist-info/RECORD: not a .../NAME.dist-info/RECORD path"},
      {"/s/.dist-info/RECORD", "", "/s/.dist-info/RECORD: not a .../NAME.dist-info/RECORD path"},
  };
  for (const Case& c : kCases) {
    auto r = ParseDistInfoRecord(c.path, c.body);
    ASSERT_FALSE(r.has_value()) << c.body;
    EXPECT_EQ(r.error().message(), c.want);
  }
}

TEST(EggInfo, InstalledFilesRelativeToEggDir) {
  auto r = ParseEggInstalledFiles("/usr/lib/python3/dist-packages/Foo.Bar-2.0-py3.11.egg-info/installed-files.txt",
                                  "../foo/__init__.py\n../foo/__pycache__/__init__.cpython-311.pyc\nPKG-INFO\n"
                                  "../../../../bin/foo\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->package.name, "Foo.Bar");
  EXPECT_EQ(r->package.version, "2.0");
  EXPECT_EQ(r->normalized_name, "foo-bar");
  EXPECT_EQ(r->package.paths,
            (std::vector<std::string>{"/usr/lib/python3/dist-packages/foo/__init__.py",
                                      "/usr/lib/python3/dist-packages/foo/__pycache__/__init__.cpython-311.pyc",
                                      "/usr/lib/python3/dist-packages/Foo.Bar-2.0-py3.11.egg-info/PKG-INFO",
                                      "/usr/bin/foo"}));
  auto dev = ParseEggInstalledFiles("/src/mypkg.egg-info/installed-files.txt", "");
  ASSERT_TRUE(dev.has_value());
  EXPECT_EQ(dev->package.name, "mypkg");
  EXPECT_EQ(dev->package.version, "");
}

TEST(PythonMetadata, NameAndVersionFromHeaders) {
  auto r = ParsePythonMetadata("Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\n\nName: not-this\n", "METADATA");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->name, "PyYAML");
  EXPECT_EQ(r->version, "6.0.1");
  EXPECT_EQ(ParsePythonMetadata("\nName: x\n", "M").error().message(), "M: no Name: header");
}

}  // namespace
}  // namespace whittle::pkg
