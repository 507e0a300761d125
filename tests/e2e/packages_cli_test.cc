// End-to-end tests of the `packages` and `kinds` data sources and of `diff`
// on an image whose files real package managers installed
// (tests/data/make_pkg_images.sh over make_pkg_fixtures.sh): dpkg, rpm with
// an SQLite rpmdb, pip, npm, a purge in a later layer, a file no database
// lists. Owners are checked against what dpkg-query -L, rpm -ql, pip's
// RECORD and npm ls said when the fixtures were made (expected.txt).
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>

#include "e2e/run_util.h"

namespace whittle::testing {
namespace {

std::string Dir() {
  const char* d = std::getenv("WHITTLE_PKG_IMAGES");
  return d ? d : "";
}

std::vector<std::string> Formats() {
  std::string d = Dir();
  return {"oci:" + d + "/oci:pkgs", "docker-archive:" + d + "/docker-archive.tar", "oci:" + d + "/oci-zstd:pkgs"};
}

// Splits a CSV line with no quoted commas (the fixture's paths have none).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (std::getline(ss, f, ',')) out.push_back(f);
  return out;
}

struct Row {
  std::vector<std::string> labels;
  uint64_t blob = 0, tar = 0;
};

std::vector<Row> ProfileCsv(const std::string& image, const std::string& sources) {
  RunResult r = RunWhittle({"profile", "--csv", "-n", "0", "-d", sources, image});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::vector<Row> rows;
  std::stringstream ss(r.out);
  std::string line;
  std::getline(ss, line);  // header
  while (std::getline(ss, line)) {
    std::vector<std::string> f = SplitCsv(line);
    Row row;
    row.labels.assign(f.begin(), f.end() - 2);
    row.blob = std::stoull(f[f.size() - 2]);
    row.tar = std::stoull(f[f.size() - 1]);
    rows.push_back(std::move(row));
  }
  return rows;
}

// path -> expected owner label, from the package managers' own listings.
std::map<std::string, std::string> ExpectedOwners() {
  std::map<std::string, std::string> owners;
  std::stringstream ss(ReadFileOrDie(Dir() + "/expected.txt"));
  std::string kind, name, path;
  std::set<std::string> npm_dirs;
  std::string line;
  while (std::getline(ss, line)) {
    std::stringstream ls(line);
    ls >> kind;
    if (kind == "dpkg") {
      ls >> name >> path;
      owners[path] = "deb:" + name;
    } else if (kind == "rpm") {
      ls >> name >> path;
      owners[path] = "rpm:" + name;
    } else if (kind == "pip") {
      ls >> path;
      if (path != "ESCAPES") owners["/usr/lib/python3/dist-packages" + path] = "pip:whittle-py";
    }
  }
  return owners;
}

TEST(Packages, OwnersMatchThePackageManagersInEveryFormat) {
  ASSERT_FALSE(Dir().empty()) << "WHITTLE_PKG_IMAGES not set (the fixture did not run)";
  std::map<std::string, std::string> want = ExpectedOwners();
  ASSERT_TRUE(want.count("/usr/bin/whittle-hello"));
  ASSERT_TRUE(want.count("/usr/bin/whittle-rpm"));
  for (const std::string& image : Formats()) {
    SCOPED_TRACE(image);
    std::vector<Row> rows = ProfileCsv(image, "layers,files,packages");
    std::set<std::string> seen;
    for (const Row& r : rows) {
      const std::string& path = r.labels[1];
      const std::string& owner = r.labels[2];
      if (path[0] == '[') continue;  // headers, padding, end of archive
      seen.insert(path);
      std::string expect = "[unowned]";
      if (auto it = want.find(path); it != want.end()) expect = it->second;
      if (path.rfind("/app/node_modules/whittle-left/", 0) == 0) expect = "npm:whittle-left";
      if (path.rfind("/app/node_modules/@whittle/right/", 0) == 0) expect = "npm:@whittle/right";
      EXPECT_EQ(owner, expect) << path << " in " << r.labels[0];
    }
    // Every kind of owner was met (the test would pass vacuously otherwise).
    for (const char* p : {"/usr/bin/whittle-hello", "/usr/include/whittle.h", "/usr/bin/whittle-rpm",
                          "/usr/lib/python3/dist-packages/whittle_py/__init__.py",
                          "/app/node_modules/whittle-left/lib/index.js", "/usr/local/bin/tool"}) {
      EXPECT_TRUE(seen.count(p)) << p;
    }
  }
}

TEST(Packages, APurgedPackageStillOwnsTheBytesItStored) {
  // Layer #3 purged whittle-hello: its files are deleted there, its .list
  // whited out; the bytes stored in layer #1 are still whittle-hello's.
  std::string image = Formats()[0];
  std::vector<Row> rows = ProfileCsv(image, "files,waste,packages");
  bool found = false;
  for (const Row& r : rows) {
    if (r.labels[0] == "/usr/bin/whittle-hello") {
      found = true;
      EXPECT_EQ(r.labels[1], "deleted");
      EXPECT_EQ(r.labels[2], "deb:whittle-hello");
    }
  }
  EXPECT_TRUE(found);
}

TEST(Kinds, PackageFactsSharpenKinds) {
  std::vector<Row> rows = ProfileCsv(Formats()[0], "files,kinds");
  std::map<std::string, std::string> kind;
  for (const Row& r : rows) kind[r.labels[0]] = r.labels[1];
  EXPECT_EQ(kind["/usr/include/whittle.h"], "toolchain");
  EXPECT_EQ(kind["/usr/lib/whittle/libwhittle.a"], "toolchain");
  EXPECT_EQ(kind["/usr/share/doc/whittle-hello/README"], "docs");
  EXPECT_EQ(kind["/app/node_modules/whittle-left/test/t.js"], "tests-examples");
  EXPECT_EQ(kind["/usr/bin/whittle-hello"], "runtime");
}

// Per layer, the rows of any source order add up to that layer's sizes as
// `history` reports them, in both domains.
TEST(Packages, EveryOrderAddsUpToTheLayers) {
  for (const std::string& image : Formats()) {
    SCOPED_TRACE(image);
    RunResult h = RunWhittle({"history", "--json", image});
    ASSERT_EQ(h.exit_code, 0) << h.err;
    uint64_t want_tar = 0, want_blob = 0;
    std::vector<std::pair<uint64_t, uint64_t>> layer_sizes;
    for (const auto& e : nlohmann::json::parse(h.out)) {
      if (e["emptyLayer"].get<bool>()) continue;
      layer_sizes.push_back({e["blobSize"].get<uint64_t>(), e["tarSize"].get<uint64_t>()});
      want_blob += layer_sizes.back().first;
      want_tar += layer_sizes.back().second;
    }
    for (const char* order : {"packages", "kinds", "packages,kinds", "kinds,packages", "layers,packages",
                              "packages,layers", "layers,kinds,files", "packages,waste", "waste,kinds,packages"}) {
      SCOPED_TRACE(order);
      std::vector<Row> rows = ProfileCsv(image, order);
      uint64_t blob = 0, tar = 0;
      for (const Row& r : rows) {
        blob += r.blob;
        tar += r.tar;
      }
      EXPECT_EQ(tar, want_tar);
      EXPECT_EQ(blob, want_blob);
    }
    // Per layer: packages plus [unowned] plus the structural rows.
    std::vector<Row> rows = ProfileCsv(image, "layers,packages");
    std::map<std::string, std::pair<uint64_t, uint64_t>> per_layer;
    for (const Row& r : rows) {
      per_layer[r.labels[0]].first += r.blob;
      per_layer[r.labels[0]].second += r.tar;
    }
    ASSERT_EQ(per_layer.size(), layer_sizes.size());
    for (size_t i = 0; i < layer_sizes.size(); ++i) {
      std::string prefix = "#" + std::to_string(i + 1) + " ";
      bool matched = false;
      for (const auto& [label, sizes] : per_layer) {
        if (label.rfind(prefix, 0) != 0) continue;
        matched = true;
        EXPECT_EQ(sizes.first, layer_sizes[i].first) << label;
        EXPECT_EQ(sizes.second, layer_sizes[i].second) << label;
      }
      EXPECT_TRUE(matched) << prefix;
    }
  }
}

TEST(Diff, AnImageAgainstItselfInAnotherFormatIsEmpty) {
  for (const char* sources : {"layers", "packages", "kinds", "layers,packages,files"}) {
    RunResult r = RunWhittle({"diff", "-d", sources, "--domain", "tar", Formats()[0], Formats()[1]});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("(no differences)"), std::string::npos) << sources << "\n" << r.out;
    RunResult j = RunWhittle({"diff", "--json", "-d", sources, Formats()[0], Formats()[0]});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    auto doc = nlohmann::json::parse(j.out);
    EXPECT_TRUE(doc["rows"].empty()) << j.out;
    EXPECT_EQ(doc["total"]["deltaTarSize"].get<int64_t>(), 0);
    EXPECT_EQ(doc["total"]["deltaBlobSize"].get<int64_t>(), 0);
  }
}

TEST(Diff, PurgeAndCopyLayersGolden) {
  // The two layers after "before" are new; the package-owned data bytes do
  // not change (the purge only adds whiteouts), so the owned rows are empty
  // and only the unowned database rewrite and the copied tool remain.
  std::string before = "oci:" + Dir() + "/oci:before";
  RunResult r = RunWhittle({"diff", "-d", "layers,files", "--domain", "tar", "-n", "0", "-w",
                            "--source-filter", "^/(usr|var|app)/", before, Formats()[0]});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CheckGolden("pkgs_diff_purge.golden", r.out), "");
  // bloaty's form gives the same output.
  RunResult b = RunWhittle({"profile", "-d", "layers,files", "--domain", "tar", "-n", "0", "-w",
                            "--source-filter", "^/(usr|var|app)/", Formats()[0], "--", before});
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_EQ(b.out, r.out);
}

}  // namespace
}  // namespace whittle::testing
