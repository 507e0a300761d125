// The parsers on databases written by the real package managers
// (tests/data/make_pkg_fixtures.sh, a CTest fixture): dpkg, distroless
// status.d, rpm with its SQLite backend, pip, npm. Every fact checked here
// was re-derived from the tools themselves (dpkg-query, rpm -q, Python's csv
// module over RECORD, npm ls) into expected.txt, and every path a database
// returns must exist in the tree the tool installed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "pkg/dpkg.h"
#include "pkg/kinds.h"
#include "pkg/node_packages.h"
#include "pkg/ownership.h"
#include "pkg/python_dist.h"
#include "pkg/rpmdb.h"

namespace whittle::pkg {
namespace {

namespace fs = std::filesystem;

std::string FixtureDir() {
  const char* d = std::getenv("WHITTLE_PKG_FIXTURES");
  return d ? d : "";
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// expected.txt lines "KEY rest...", grouped by key.
std::multimap<std::string, std::string> Expected() {
  std::multimap<std::string, std::string> out;
  std::istringstream in(Read(FixtureDir() + "/expected.txt"));
  std::string line;
  while (std::getline(in, line)) {
    size_t sp = line.find(' ');
    if (sp != std::string::npos) out.emplace(line.substr(0, sp), line.substr(sp + 1));
  }
  return out;
}

std::vector<std::string> ExpectedFor(const std::multimap<std::string, std::string>& e, const std::string& key,
                                     const std::string& prefix) {
  std::vector<std::string> out;
  auto [lo, hi] = e.equal_range(key);
  for (auto it = lo; it != hi; ++it) {
    if (it->second.rfind(prefix, 0) == 0) out.push_back(it->second.substr(prefix.size()));
  }
  return out;
}

class PkgReal : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(FixtureDir().empty()) << "WHITTLE_PKG_FIXTURES is not set (run through ctest)";
    ASSERT_TRUE(fs::exists(FixtureDir() + "/.stamp")) << "fixture not built: " << FixtureDir();
    expected_ = Expected();
  }
  std::multimap<std::string, std::string> expected_;
};

TEST_F(PkgReal, DpkgStatusListsAndMd5sums) {
  const std::string root = FixtureDir() + "/dpkg/root";
  auto status = ParseDpkgStatus(Read(root + "/var/lib/dpkg/status"), "var/lib/dpkg/status");
  ASSERT_TRUE(status.has_value()) << status.error().message();
  // dpkg-query says which are "ii" (files on disk) and which "rc".
  std::set<std::string> want_installed, got;
  for (const std::string& s : ExpectedFor(expected_, "dpkg-status", "")) {
    if (s.find(" ii") != std::string::npos) want_installed.insert(s.substr(0, s.find(' ')));
  }
  ASSERT_EQ(want_installed, (std::set<std::string>{"whittle-hello", "whittle-lib-dev"}));
  for (const DpkgPackage& p : *status) got.insert(p.name);
  EXPECT_EQ(got, want_installed);  // whittle-gone (rc) dropped
  for (const DpkgPackage& p : *status) {
    EXPECT_EQ(p.version, "1.2-3");
    EXPECT_EQ(p.arch, "all");
    EXPECT_EQ(p.status, "install ok installed");
    EXPECT_EQ(p.priority, "optional");
    if (p.name == "whittle-hello") {
      EXPECT_EQ(p.depends, "whittle-lib-dev (>= 1.0)");
    }
  }

  OwnershipIndex idx;
  for (const DpkgPackage& p : *status) {
    const std::string list = root + "/var/lib/dpkg/info/" + p.name + ".list";
    auto paths = ParseDpkgFileList(Read(list), list);
    ASSERT_TRUE(paths.has_value()) << paths.error().message();
    std::vector<std::string> want = ExpectedFor(expected_, "dpkg", p.name + " ");
    want.erase(std::remove(want.begin(), want.end(), "/."), want.end());
    EXPECT_EQ(*paths, want) << p.name;  // dpkg -L order
    for (const std::string& path : *paths) EXPECT_TRUE(fs::exists(root + path)) << path;
    // md5sums: the regular files of the list, relative to /.
    const std::string md5 = root + "/var/lib/dpkg/info/" + p.name + ".md5sums";
    auto sums = ParseDpkgMd5sums(Read(md5), md5);
    ASSERT_TRUE(sums.has_value()) << sums.error().message();
    std::vector<std::string> files;
    for (const std::string& path : *paths) {
      if (fs::is_regular_file(root + path)) files.push_back(path);
    }
    EXPECT_EQ(std::set<std::string>(sums->begin(), sums->end()), std::set<std::string>(files.begin(), files.end()));
    idx.AddPaths(Ecosystem::kDeb, p.name, *paths);
  }
  EXPECT_EQ(idx.Lookup("/usr/bin/whittle-hello"), "deb:whittle-hello");
  EXPECT_EQ(idx.Lookup("/usr/include/whittle.h"), "deb:whittle-lib-dev");
  EXPECT_EQ(idx.Lookup("/usr/include"), "deb:whittle-lib-dev");  // only it lists /usr/include
  EXPECT_EQ(idx.Lookup("/usr"), "[unowned]");                    // both list /usr
  EXPECT_EQ(idx.Lookup("/etc/whittle-gone.conf"), "[unowned]");  // removed package's leftover conffile
  EXPECT_EQ(ClassifyKind("/usr/include/whittle.h", idx.Lookup("/usr/include/whittle.h")), "toolchain");
  EXPECT_EQ(ClassifyKind("/usr/lib/whittle/libwhittle.a", idx.Lookup("/usr/lib/whittle/libwhittle.a")), "toolchain");
  EXPECT_EQ(ClassifyKind("/usr/share/doc/whittle-hello/README", idx.Lookup("/usr/share/doc/whittle-hello/README")),
            "docs");
  EXPECT_EQ(ClassifyKind("/usr/bin/whittle-hello", idx.Lookup("/usr/bin/whittle-hello")), "runtime");
}

TEST_F(PkgReal, DistrolessStatusD) {
  const std::string sd = FixtureDir() + "/distroless/root/var/lib/dpkg/status.d";
  // Flat shape (distroless): NAME and NAME.md5sums.
  auto hello = ParseDpkgStatusD(Read(sd + "/whittle-hello"), "status.d/whittle-hello");
  ASSERT_TRUE(hello.has_value()) << hello.error().message();
  ASSERT_EQ(hello->size(), 1u);
  EXPECT_EQ((*hello)[0].name, "whittle-hello");
  EXPECT_EQ((*hello)[0].depends, "whittle-lib-dev (>= 1.0)");
  auto hello_files = ParseDpkgMd5sums(Read(sd + "/whittle-hello.md5sums"), "status.d/whittle-hello.md5sums");
  ASSERT_TRUE(hello_files.has_value()) << hello_files.error().message();
  EXPECT_EQ(*hello_files, (std::vector<std::string>{"/usr/bin/whittle-hello", "/usr/share/doc/whittle-hello/README"}));
  // Directory shape (rules_distroless): NAME/control and NAME/md5sums.
  auto lib = ParseDpkgStatusD(Read(sd + "/whittle-lib-dev/control"), "status.d/whittle-lib-dev/control");
  ASSERT_TRUE(lib.has_value()) << lib.error().message();
  ASSERT_EQ(lib->size(), 1u);
  EXPECT_EQ((*lib)[0].name, "whittle-lib-dev");
  auto lib_files = ParseDpkgMd5sums(Read(sd + "/whittle-lib-dev/md5sums"), "status.d/whittle-lib-dev/md5sums");
  ASSERT_TRUE(lib_files.has_value());
  // Same files as the real dpkg install lists (regular files only).
  std::vector<std::string> want;
  for (const std::string& p : ExpectedFor(expected_, "dpkg", "whittle-lib-dev ")) {
    if (fs::is_regular_file(FixtureDir() + "/dpkg/root" + p)) want.push_back(p);
  }
  EXPECT_EQ(*lib_files, want);
}

TEST_F(PkgReal, RpmSqliteDatabase) {
  const std::string db = FixtureDir() + "/rpm/root/var/lib/rpm/rpmdb.sqlite";
  std::string bytes = Read(db);
  ASSERT_GT(bytes.size(), 4096u);
  EXPECT_EQ(bytes[18], 2) << "rpm wrote a WAL-mode database; the reader must cope";
  EXPECT_EQ(DetectRpmDatabase("/var/lib/rpm/rpmdb.sqlite"), RpmDbKind::kSqlite);
  auto pkgs = ReadRpmSqlite(bytes, "var/lib/rpm/rpmdb.sqlite");
  ASSERT_TRUE(pkgs.has_value()) << pkgs.error().message();
  ASSERT_EQ(pkgs->size(), 1u);
  std::vector<std::string> nvra = ExpectedFor(expected_, "rpm-nvra", "");
  ASSERT_EQ(nvra.size(), 1u);
  const Package& p = (*pkgs)[0];
  EXPECT_EQ(p.name + " " + p.version + " " + p.arch, nvra[0]);
  EXPECT_EQ(p.paths, ExpectedFor(expected_, "rpm", "whittle-rpm "));  // rpm -ql
  for (const std::string& path : p.paths) EXPECT_TRUE(fs::exists(FixtureDir() + "/rpm/root" + path)) << path;
  // The caller's bytes are untouched (the WAL flag is patched in a copy).
  EXPECT_EQ(bytes, Read(db));
  // Truncated databases are errors, not crashes.
  auto cut = ReadRpmSqlite(std::string_view(bytes).substr(0, 4096), "rpmdb.sqlite");
  EXPECT_FALSE(cut.has_value());
}

TEST_F(PkgReal, PipRecord) {
  std::vector<std::string> rec = ExpectedFor(expected_, "pip-record", "");
  ASSERT_EQ(rec.size(), 1u);
  // The fixture directory stands for an image root: /pip/site is the site dir.
  const std::string record_path = "/" + rec[0];
  auto dist = ParseDistInfoRecord(record_path, Read(FixtureDir() + record_path));
  ASSERT_TRUE(dist.has_value()) << dist.error().message();
  EXPECT_EQ(dist->package.name, "Whittle_Py");
  EXPECT_EQ(dist->package.version, "0.3.1");
  EXPECT_EQ(dist->normalized_name, "whittle-py");
  auto meta = ParsePythonMetadata(Read(FixtureDir() + dist->dist_dir + "/METADATA"), "METADATA");
  ASSERT_TRUE(meta.has_value()) << meta.error().message();
  EXPECT_EQ(NormalizePythonName(meta->name), dist->normalized_name);
  EXPECT_EQ(meta->version, "0.3.1");
  // Python's csv module over the same RECORD, rows resolved the same way.
  std::set<std::string> want, got(dist->package.paths.begin(), dist->package.paths.end());
  for (const std::string& p : ExpectedFor(expected_, "pip", "")) {
    if (p.rfind("ESCAPES ", 0) == 0) {
      // pip --target writes the console script's row relative to its
      // temporary prefix: "../../bin/whittle-py" from /pip/site is /bin/...
      EXPECT_EQ(p, "ESCAPES ../../bin/whittle-py");
      want.insert("/bin/whittle-py");
    } else {
      want.insert("/pip/site" + p);
    }
  }
  EXPECT_EQ(got, want);
  for (const std::string& path : got) {
    if (path != "/bin/whittle-py") {
      EXPECT_TRUE(fs::exists(FixtureDir() + path)) << path;
    }
  }
}

TEST_F(PkgReal, NpmNodeModules) {
  const std::string root = FixtureDir();
  OwnershipIndex idx;
  std::set<std::string> registered, markers;
  for (const auto& e : fs::recursive_directory_iterator(root + "/npm")) {
    if (e.path().filename() != "package.json") continue;
    const std::string path = e.path().string().substr(root.size());
    auto pj = ParsePackageJson(Read(e.path().string()), path);
    ASSERT_TRUE(pj.has_value()) << pj.error().message();
    std::string dir, name;
    if (TryNodePackageDir(path, &dir, &name)) {
      EXPECT_EQ(pj->name, name) << path;  // npm installs a package under its own name
      EXPECT_TRUE(idx.AddNodePackage(path, pj->name));
      registered.insert(dir);
    } else {
      markers.insert(path);
    }
  }
  std::set<std::string> want;
  for (const std::string& d : ExpectedFor(expected_, "npm-dir", "")) {
    if (d != "/npm/app") want.insert(d);  // npm ls lists the app itself first
  }
  EXPECT_EQ(registered, want);
  EXPECT_EQ(markers,
            (std::set<std::string>{"/npm/app/package.json", "/npm/app/node_modules/whittle-left/lib/package.json",
                                   "/npm/app/node_modules/@whittle/right/lib/package.json"}));
  EXPECT_EQ(idx.Lookup("/npm/app/node_modules/whittle-left/lib/index.js"), "npm:whittle-left");
  EXPECT_EQ(idx.Lookup("/npm/app/node_modules/@whittle/right/lib/package.json"), "npm:@whittle/right");
  EXPECT_EQ(idx.Lookup("/npm/app/node_modules/.package-lock.json"), "[unowned]");
  EXPECT_EQ(idx.Lookup("/npm/app/package.json"), "[unowned]");
  const std::string t = "/npm/app/node_modules/@whittle/right/test/t.js";
  EXPECT_EQ(ClassifyKind(t, idx.Lookup(t)), "tests-examples");
}

}  // namespace
}  // namespace whittle::pkg
