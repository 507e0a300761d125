// End-to-end tests of `whittle explain` on images buildah built from real
// Dockerfiles over real dpkg databases (tests/data/make_explain_images.sh).
// The checks are the report's own promise: every finding the fixture was
// built to show is found on its line, and every number in the report can be
// reproduced from `profile`, `history` and `profile --raw-map` output.
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
  const char* d = std::getenv("WHITTLE_EXPLAIN_IMAGES");
  return d ? d : "";
}
std::string App() { return Dir() + "/app.oci-archive.tar"; }
std::string Slim() { return Dir() + "/base-slim.oci-archive.tar"; }
std::string Dockerfile() { return Dir() + "/Dockerfile"; }

nlohmann::json Explain(std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"explain", "--json", "--dockerfile", Dockerfile(), "--try-base", Slim()};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(App());
  RunResult r = RunWhittle(args);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // findings at info and above
  EXPECT_EQ(r.err, "");
  return nlohmann::json::parse(r.out);
}

const nlohmann::json* FindingById(const nlohmann::json& doc, const std::string& id) {
  for (const auto& f : doc["findings"]) {
    if (f["id"] == id) return &f;
  }
  return nullptr;
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// `profile --csv -n 0 -d SOURCES`: labels -> (blob, tar).
std::vector<std::pair<std::vector<std::string>, std::pair<uint64_t, uint64_t>>> Profile(const std::string& sources) {
  RunResult r = RunWhittle({"profile", "--csv", "-n", "0", "-d", sources, App()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::pair<std::vector<std::string>, std::pair<uint64_t, uint64_t>>> rows;
  std::stringstream ss(r.out);
  std::string line;
  std::getline(ss, line);
  while (std::getline(ss, line)) {
    std::vector<std::string> f = SplitCsv(line);
    std::vector<std::string> labels(f.begin(), f.end() - 2);
    rows.push_back({labels, {std::stoull(f[f.size() - 2]), std::stoull(f[f.size() - 1])}});
  }
  return rows;
}

// `profile --raw-map`: per layer (1-based) and path, the member's TAR bytes
// (header + data + padding).
std::map<std::pair<int, std::string>, uint64_t> MemberTarBytes() {
  RunResult r = RunWhittle({"profile", "--raw-map", App()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::pair<int, std::string>, uint64_t> out;
  std::stringstream ss(r.out);
  std::string line;
  int layer = 0;
  while (std::getline(ss, line)) {
    if (line.rfind("layer #", 0) == 0) {
      layer = std::atoi(line.c_str() + 7);
      continue;
    }
    std::stringstream ls(line);
    uint64_t t0, t1, b0, b1;
    std::string part, path;
    if (!(ls >> t0 >> t1 >> b0 >> b1 >> part)) continue;
    std::getline(ls, path);
    path.erase(0, path.find_first_not_of(' '));
    if (part != "end") out[{layer, path}] += t1 - t0;
  }
  return out;
}

TEST(Explain, EveryFindingTheFixtureHolds) {
  ASSERT_FALSE(Dir().empty()) << "WHITTLE_EXPLAIN_IMAGES not set (the fixture did not run)";
  nlohmann::json doc = Explain();
  // id -> the Dockerfile line the fixture put it on (tests/data/make_explain_images.sh).
  const std::map<std::string, int> want = {{"base", 1},       {"toolchain", 1},  {"caches", 2},
                                           {"debug-tools", 3}, {"recommends", 3}, {"build-context", 5},
                                           {"dead-bytes", 6}};
  for (const auto& [id, line] : want) {
    const nlohmann::json* f = FindingById(doc, id);
    ASSERT_NE(f, nullptr) << id << "\n" << doc.dump(2);
    EXPECT_EQ((*f)["line"].get<int>(), line) << id;
    EXPECT_EQ((*f)["file"].get<std::string>(), Dockerfile()) << id;
    EXPECT_GT((*f)["bytes"].get<uint64_t>(), 0u) << id;
  }
  // Ranked by bytes, measured ones first.
  uint64_t prev = UINT64_MAX;
  for (const auto& f : doc["findings"]) {
    uint64_t b = f["bytes"].get<uint64_t>();
    EXPECT_LE(b, prev) << f["id"];
    prev = b;
  }
  // The debugging tool and its orphaned dependency, the recommended-only package.
  EXPECT_NE((*FindingById(doc, "debug-tools"))["message"].get<std::string>().find("vim-common"), std::string::npos);
  EXPECT_NE((*FindingById(doc, "recommends"))["message"].get<std::string>().find("whittle-extra"), std::string::npos);
  // The build context keeps src/ (the CMD reads it) and drops the rest.
  std::string ctx = (*FindingById(doc, "build-context"))["edit"].get<std::string>();
  EXPECT_NE(ctx.find("tests"), std::string::npos);
  EXPECT_NE(ctx.find("notes"), std::string::npos);
  EXPECT_EQ(ctx.find("src"), std::string::npos);
}

TEST(Explain, BytesAreProfilesNumbers) {
  nlohmann::json doc = Explain();
  // Toolchain: the `toolchain` rows of profile -d kinds, every layer.
  uint64_t toolchain = 0, cache_layer2 = 0;
  for (const auto& [labels, sizes] : Profile("layers,kinds")) {
    if (labels[1] == "toolchain") toolchain += sizes.second;
    if (labels[1] == "package-cache" && labels[0].rfind("#2 ", 0) == 0) cache_layer2 += sizes.second;
  }
  EXPECT_EQ((*FindingById(doc, "toolchain"))["bytes"].get<uint64_t>(), toolchain);
  EXPECT_EQ((*FindingById(doc, "caches"))["bytes"].get<uint64_t>(), cache_layer2);
  // Debugging tools: the vim and vim-common rows of profile -d packages.
  uint64_t vim = 0;
  for (const auto& [labels, sizes] : Profile("packages")) {
    if (labels[0] == "deb:vim" || labels[0] == "deb:vim-common") vim += sizes.second;
  }
  EXPECT_EQ((*FindingById(doc, "debug-tools"))["bytes"].get<uint64_t>(), vim);
  // Base: the whole base layers, as history lists them; the image's size is
  // the sum of all layers.
  RunResult h = RunWhittle({"history", "--json", App()});
  ASSERT_EQ(h.exit_code, 0);
  uint64_t total = 0, blob = 0, base = 0;
  for (const auto& e : nlohmann::json::parse(h.out)) {
    total += e["tarSize"].get<uint64_t>();
    blob += e["blobSize"].get<uint64_t>();
    if (e["layer"] == 1) base = e["tarSize"].get<uint64_t>();
  }
  EXPECT_EQ(doc["sizeBytes"].get<uint64_t>(), total);
  EXPECT_EQ(doc["blobBytes"].get<uint64_t>(), blob);
  EXPECT_EQ((*FindingById(doc, "base"))["bytes"].get<uint64_t>(), base);
  // With --try-base the base swap is measured: minus the base, plus the
  // candidate's layers.
  RunResult s = RunWhittle({"history", "--json", Slim()});
  uint64_t slim = 0;
  for (const auto& e : nlohmann::json::parse(s.out)) slim += e["tarSize"].get<uint64_t>();
  EXPECT_EQ((*FindingById(doc, "base"))["projectedSizeBytes"].get<uint64_t>(), total - base + slim);
}

TEST(Explain, ProjectionsRemoveWholeMembers) {
  nlohmann::json doc = Explain();
  std::map<std::pair<int, std::string>, uint64_t> members = MemberTarBytes();
  uint64_t total = doc["sizeBytes"].get<uint64_t>();
  // The caches finding removes the apt lists of layer #2: their whole tar
  // members (headers and padding too) come off the image.
  uint64_t lists = 0;
  for (const auto& [key, bytes] : members) {
    if (key.first == 2 && key.second.rfind("/var/lib/apt/lists/", 0) == 0) lists += bytes;
  }
  ASSERT_GT(lists, 0u);
  EXPECT_EQ((*FindingById(doc, "caches"))["projectedSizeBytes"].get<uint64_t>(), total - lists);
  // The dead scratch file of layer #5.
  uint64_t scratch = members[{5, "/tmp/scratch.bin"}];
  ASSERT_GT(scratch, 0u);
  EXPECT_EQ((*FindingById(doc, "dead-bytes"))["projectedSizeBytes"].get<uint64_t>(), total - scratch);
  // All together: the base swap plus every member outside the base, once.
  nlohmann::json all = doc["projectedAll"];
  ASSERT_TRUE(all.is_object());
  EXPECT_LT(all["sizeBytes"].get<uint64_t>(), (*FindingById(doc, "base"))["projectedSizeBytes"].get<uint64_t>());
  uint64_t sum_removed = 0;
  for (const auto& f : doc["findings"]) {
    if (f["projectedSizeBytes"].is_number() && f["id"] != "base") sum_removed += total - f["projectedSizeBytes"].get<uint64_t>();
  }
  uint64_t base_saving = total - (*FindingById(doc, "base"))["projectedSizeBytes"].get<uint64_t>();
  // Toolchain bytes sit in the base layer: counted once, with the base.
  EXPECT_GT(all["sizeBytes"].get<uint64_t>(), total - base_saving - sum_removed);
}

TEST(Explain, WithoutTryBaseTheBaseIsNamedNotProjected) {
  RunResult r = RunWhittle({"explain", "--json", "--dockerfile", Dockerfile(), App()});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  nlohmann::json doc = nlohmann::json::parse(r.out);
  const nlohmann::json* base = FindingById(doc, "base");
  ASSERT_NE(base, nullptr);
  EXPECT_TRUE((*base)["projectedSizeBytes"].is_null());
  EXPECT_NE((*base)["edit"].get<std::string>().find("localhost/whittle-xb-slim:1"), std::string::npos);
}

TEST(Explain, HistoryOnlyAndSarifAndFailLevel) {
  RunResult h = RunWhittle({"explain", "--json", App()});
  ASSERT_EQ(h.exit_code, 1) << h.err;
  nlohmann::json doc = nlohmann::json::parse(h.out);
  EXPECT_TRUE(doc["dockerfile"].is_null());
  ASSERT_NE(FindingById(doc, "dead-bytes"), nullptr);
  EXPECT_TRUE((*FindingById(doc, "dead-bytes"))["line"].is_null());
  // From the history alone no finding is sure of its line.
  for (const auto& f : doc["findings"]) EXPECT_NE(f["confidence"], "high") << f["id"];
  // With the Dockerfile every layer matched by its text: the measured
  // findings keep their own confidence.
  EXPECT_EQ((*FindingById(Explain(), "dead-bytes"))["confidence"], "high");
  RunResult s = RunWhittle({"explain", "--format", "sarif", "--dockerfile", Dockerfile(), App()});
  ASSERT_EQ(s.exit_code, 1);
  nlohmann::json sarif = nlohmann::json::parse(s.out);
  bool bytes_in_message = false;
  for (const auto& res : sarif["runs"][0]["results"]) {
    std::string text = res["message"]["text"];
    if (res["ruleId"] == "dead-bytes" && text.rfind("2.00 MiB: ", 0) == 0) bytes_in_message = true;
  }
  EXPECT_TRUE(bytes_in_message) << s.out;
  RunResult none = RunWhittle({"explain", "--fail-level", "none", "--dockerfile", Dockerfile(), App()});
  EXPECT_EQ(none.exit_code, 0);
  RunResult bad = RunWhittle({"explain", "--dockerfile", "/nonexistent/Dockerfile", App()});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
}

}  // namespace
}  // namespace whittle::testing
