// End-to-end tests of the whittle binary on the images shipped in the repo
// (dive's test images: legacy docker save, kaniko, buildx OCI archives).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include <algorithm>
#include <set>

#include "e2e/accounting_util.h"
#include "e2e/run_util.h"

namespace whittle::testing {
namespace {

const std::string kDive = SourcePath("tests/data/dive/test-docker-image.tar");

TEST(Accounting, DiveDockerArchive) {
  CheckAccounting({"dive docker", kDive, kDive, Container::kDockerArchive, ""});
}

TEST(Accounting, DiveKaniko) {
  std::string p = SourcePath("tests/data/dive/test-kaniko-image.tar");
  CheckAccounting({"dive kaniko", p, p, Container::kDockerArchive, ""});
}

TEST(Accounting, DiveOciArchives) {
  for (const char* n : {"uncompressed", "gzip", "zstd", "estargz"}) {
    std::string p = SourcePath(std::string("tests/data/dive/test-oci-") + n + "-image.tar");
    CheckAccounting({std::string("dive oci ") + n, p, p, Container::kOciArchive, ""});
  }
}

TEST(Golden, DiveHistory) {
  RunResult r = RunWhittle({"history", kDive});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CheckGolden("dive_history.golden", r.out), "");
  EXPECT_EQ(r.err, "");
}

TEST(Golden, DiveHistoryJson) {
  RunResult r = RunWhittle({"history", "--json", "--reverse", kDive});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CheckGolden("dive_history_reverse.json", r.out), "");
}

TEST(Golden, DiveProfileLayersPaths) {
  RunResult r = RunWhittle({"profile", "-d", "layers,paths", "-n", "4", kDive});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CheckGolden("dive_profile_layers_paths.golden", r.out), "");
}

TEST(Golden, DiveProfileCsvAndWaste) {
  RunResult r = RunWhittle({"profile", "--csv", "-d", "layers,waste", "-n", "0", kDive});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(CheckGolden("dive_profile_layers_waste.csv", r.out), "");
}

TEST(Profile, BareImageIsProfile) {
  RunResult a = RunWhittle({kDive});
  RunResult b = RunWhittle({"profile", kDive});
  ASSERT_EQ(a.exit_code, 0);
  EXPECT_EQ(a.out, b.out);
}

TEST(Profile, LayerSizesMatchDive) {
  // dive's own test asserts these layer content sizes for this image.
  RunResult r = RunWhittle({"history", "--json", kDive});
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  std::vector<uint64_t> sizes;
  for (const auto& row : j) {
    if (!row["emptyLayer"].get<bool>()) sizes.push_back(row["size"].get<uint64_t>());
  }
  std::vector<uint64_t> want = {1154361, 6405, 0, 6405, 6405, 6405, 6405, 6405, 6405, 0, 2187, 6405, 6405, 6405};
  EXPECT_EQ(sizes, want);
}

TEST(Errors, MissingFileIsOneLineExit2) {
  RunResult r = RunWhittle({"profile", "/nonexistent/image.tar"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("whittle: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("/nonexistent/image.tar"), std::string::npos) << r.err;
}

TEST(Errors, TruncatedArchiveNamesFileAndOffset) {
  std::string tmp = MakeTempDir();
  std::string cut = tmp + "/cut.tar";
  // Cut inside the first (1.3 MB) layer's data.
  ASSERT_EQ(RunShell("head -c 700000 '" + kDive + "' > '" + cut + "'").exit_code, 0);
  for (const char* verb : {"profile", "history"}) {
    RunResult r = RunWhittle({verb, cut});
    EXPECT_EQ(r.exit_code, 2) << verb;
    EXPECT_EQ(r.out, "") << verb;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("cut.tar"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("offset"), std::string::npos) << r.err;
  }
  RunShell("rm -rf '" + tmp + "'");
}

TEST(Errors, NotAnImage) {
  std::string tmp = MakeTempDir();
  std::string junk = tmp + "/junk.bin";
  ASSERT_EQ(RunShell("head -c 5000 /dev/urandom > '" + junk + "'").exit_code, 0);
  RunResult r = RunWhittle({"profile", junk});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("junk.bin"), std::string::npos) << r.err;
  RunShell("rm -rf '" + tmp + "'");
}

TEST(Usage, BadFlagsExit2) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"profile", "-d", "nope", kDive}, {"profile", "-n", "x", kDive}, {"profile"},
           {"history", "--bogus", kDive}, {"profile", "--format", "sarif", kDive}}) {
    RunResult r = RunWhittle(args);
    EXPECT_EQ(r.exit_code, 2) << args[1];
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("whittle: ", 0), 0u) << r.err;
  }
}

}  // namespace
}  // namespace whittle::testing

namespace whittle::testing {
namespace {

// Dockerfile.test-image copies /somefile.txt (6,405 B) to four more paths that
// stay visible: /root/saved.txt, /root/.saved.txt, /tmp/saved.again1.txt and
// /root/.data/saved.again2.txt. Four copies beyond the first are duplicates.
TEST(Waste, HashFindsDuplicateCopies) {
  RunResult r = RunWhittle({"waste", "--json", "--hash", kDive});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["duplicateBytes"].get<uint64_t>(), 4u * 6405);
  RunResult plain = RunWhittle({"waste", "--json", kDive});
  ASSERT_EQ(plain.exit_code, 0);
  EXPECT_TRUE(nlohmann::json::parse(plain.out)["duplicateBytes"].is_null());
}

}  // namespace
}  // namespace whittle::testing

namespace whittle::testing {
namespace {

bool HasLine(const std::string& text, const std::string& prefix) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    size_t b = line.find_first_not_of(' ');
    if (b != std::string::npos && line.compare(b, prefix.size(), prefix) == 0) return true;
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return false;
}

// dive's CI expectations for its test image: with its default rules
// efficiency passes, userWasted fails, wastedBytes is skipped -> exit 1.
TEST(Ci, DiveDefaultsFailOnUserWaste) {
  std::string tmp = MakeTempDir();  // no .dive-ci / .whittle.yaml here
  std::string junit = tmp + "/report.xml";
  RunResult r = RunShell("cd '" + tmp + "' && '" + std::string(WHITTLE_BINARY_DIR) + "/whittle' ci --junit '" +
                         junit + "' '" + kDive + "'");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(HasLine(r.out, "PASS  lowestEfficiency")) << r.out;
  EXPECT_TRUE(HasLine(r.out, "FAIL  highestUserWastedPercent")) << r.out;
  EXPECT_TRUE(HasLine(r.out, "SKIP  highestWastedBytes")) << r.out;
  EXPECT_NE(r.out.find("dive's defaults"), std::string::npos) << r.out;
  std::string xml = ReadFileOrDie(junit);
  EXPECT_NE(xml.find("<testsuite"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<skipped"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure"), std::string::npos) << xml;
  RunShell("rm -rf '" + tmp + "'");
}

TEST(Ci, DiveCiFilePasses) {
  RunResult r = RunWhittle({"ci", "--ci-config", SourcePath("tests/data/dive/dive-ci.yaml"), kDive});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_TRUE(HasLine(r.out, "PASS  highestWastedBytes")) << r.out;
  EXPECT_NE(r.err.find("ignoring unknown key 'plugins'"), std::string::npos) << r.err;
}

TEST(Ci, MisconfiguredRuleIsExit2AndWritesNoJunit) {
  std::string tmp = MakeTempDir();
  std::string cfg = tmp + "/bad.yaml";
  RunShell("printf 'rules:\\n  lowestEfficiency: 1.1\\n' > '" + cfg + "'");
  RunResult r = RunWhittle({"ci", "--ci-config", cfg, "--junit", tmp + "/out.xml", kDive});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("lowestEfficiency"), std::string::npos) << r.err;
  EXPECT_NE(RunShell("test -e '" + tmp + "/out.xml'").exit_code, 0) << "no output file on error";
  RunShell("rm -rf '" + tmp + "'");
}

TEST(Lint, ManyFilesOneUnparsable) {
  RunResult r = RunWhittle({"lint", SourcePath("tests/data/lint/corpus/python-web.Dockerfile"),
                            SourcePath("tests/data/buildkit-parser/testfiles-negative/env_no_value/Dockerfile"),
                            SourcePath("tests/data/lint/corpus/node-app.Dockerfile")});
  EXPECT_EQ(r.exit_code, 2);  // a file could not be parsed
  EXPECT_NE(r.err.find("env_no_value/Dockerfile:3: ENV must have two arguments"), std::string::npos) << r.err;
  // ... and the files after it were still linted.
  EXPECT_NE(r.out.find("node-app.Dockerfile:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("python-web.Dockerfile:"), std::string::npos) << r.out;
}

TEST(Lint, ExitCodesFollowTheThreshold) {
  std::string f = SourcePath("tests/data/lint/corpus/python-web.Dockerfile");
  EXPECT_EQ(RunWhittle({"lint", f}).exit_code, 1);
  EXPECT_EQ(RunWhittle({"lint", "--failure-threshold", "error", f}).exit_code, 0);
  EXPECT_EQ(RunWhittle({"lint", "--failure-threshold", "bogus", f}).exit_code, 2);
}

TEST(Lint, DumpAstMatchesBuildKit) {
  for (const char* c : {"env", "json", "escape", "flags", "continue-at-eof"}) {
    std::string dir = SourcePath(std::string("tests/data/buildkit-parser/testfiles/") + c);
    RunResult r = RunWhittle({"lint", "--dump-ast", dir + "/Dockerfile"});
    EXPECT_EQ(r.exit_code, 0) << c << r.err;
    EXPECT_EQ(r.out, ReadFileOrDie(dir + "/result")) << c;
  }
}

}  // namespace
}  // namespace whittle::testing

namespace whittle::testing {
namespace {

// `profile -d waste` and `waste` read the same per-entry fates: the dead
// rows of the profile hold exactly the reclaimable content bytes.
TEST(Waste, ProfileWasteSourceAgreesWithWasteReport) {
  for (const std::string& image : {kDive, SourcePath("tests/data/dive/test-kaniko-image.tar")}) {
    RunResult w = RunWhittle({"waste", "--json", image});
    ASSERT_EQ(w.exit_code, 0) << w.err;
    RunResult p = RunWhittle({"profile", "--json", "-n", "0", "-d", "waste", image});
    ASSERT_EQ(p.exit_code, 0) << p.err;
    auto wj = nlohmann::json::parse(w.out);
    auto pj = nlohmann::json::parse(p.out);
    uint64_t dead = 0;
    for (const auto& row : pj["rows"]) {
      std::string fate = row["waste"].get<std::string>();
      if (fate == "overwritten" || fate == "deleted" || fate == "hidden-by-opaque") {
        dead += row["tarSize"].get<uint64_t>();
      }
    }
    EXPECT_EQ(dead, wj["reclaimableBytes"].get<uint64_t>()) << image;
    EXPECT_GT(dead, 0u);
  }
}

}  // namespace
}  // namespace whittle::testing

namespace whittle::testing {
namespace {

// The tty and JSON outputs are streamed file by file; both must list the
// same findings, and the JSON must be one valid array in hadolint's shape.
TEST(Lint, StreamedJsonMatchesTty) {
  std::vector<std::string> files;
  for (const char* f : {"python-web", "node-app", "debian-tools", "alpine-py"}) {
    files.push_back(SourcePath(std::string("tests/data/lint/corpus/") + f + ".Dockerfile"));
  }
  std::vector<std::string> tty_args{"lint"}, json_args{"lint", "--json"};
  tty_args.insert(tty_args.end(), files.begin(), files.end());
  json_args.insert(json_args.end(), files.begin(), files.end());
  RunResult tty = RunWhittle(tty_args);
  RunResult json = RunWhittle(json_args);
  EXPECT_EQ(tty.exit_code, json.exit_code);
  auto arr = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(arr.is_array()) << json.out;
  ASSERT_EQ(arr.size(), static_cast<size_t>(std::count(tty.out.begin(), tty.out.end(), '\n')));
  ASSERT_GT(arr.size(), 4u);
  size_t pos = 0;
  for (const auto& f : arr) {
    std::string line = f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + ":" +
                       std::to_string(f["column"].get<int>()) + " " + f["level"].get<std::string>() + " " +
                       f["code"].get<std::string>() + " " + f["message"].get<std::string>() + "\n";
    EXPECT_EQ(tty.out.compare(pos, line.size(), line), 0) << line;
    pos += line.size();
  }
}

}  // namespace
}  // namespace whittle::testing

namespace whittle::testing {
namespace {

// --source-filter keeps exactly the bytes whose label matches. For
// "^/root/" over -d layers,files those are the data bytes of the regular
// files under /root/ in each layer -- which GNU tar lists independently of
// whittle -- and everything else is reported as omitted.
TEST(Profile, SourceFilterKeepsWhatGnuTarListsUnderTheMatch) {
  RunResult manifest = RunShell("tar -xOf '" + kDive +
                                "' manifest.json | python3 -c 'import json,sys; "
                                "print(\"\\n\".join(json.load(sys.stdin)[0][\"Layers\"]))'");
  ASSERT_EQ(manifest.exit_code, 0) << manifest.err;
  std::istringstream layer_names(manifest.out);
  std::string member;
  std::set<std::tuple<int, std::string, uint64_t>> want_rows;  // (layer, path, bytes)
  uint64_t want_tar = 0, all_tar = 0, all_blob = 0;
  const std::regex root("^/root/");
  for (int layer = 1; std::getline(layer_names, member); ++layer) {
    std::string extract = "tar -xOf '" + kDive + "' '" + member + "'";
    RunResult stored = RunShell(extract + " | wc -c");  // uncompressed: blob == tar
    all_tar += std::stoull(stored.out);
    all_blob += std::stoull(stored.out);
    RunResult listing = RunShell(extract + " | tar -tvf - | awk '$1 ~ /^-/ && $3 > 0 {print $3, $6}'");
    ASSERT_EQ(listing.exit_code, 0) << listing.err;
    std::istringstream lines(listing.out);
    uint64_t size;
    std::string path;
    while (lines >> size >> path) {
      path = "/" + path;
      if (!std::regex_search(path, root)) continue;
      want_rows.insert({layer, path, size});
      want_tar += size;
    }
  }
  ASSERT_FALSE(want_rows.empty());
  ASSERT_GT(all_tar, want_tar);

  RunResult f = RunWhittle({"profile", "--json", "-n", "0", "-d", "layers,files", "--source-filter", "^/root/", kDive});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  auto j = nlohmann::json::parse(f.out);
  std::set<std::tuple<int, std::string, uint64_t>> rows;
  for (const auto& row : j["rows"]) {
    std::string layer = row["layers"].get<std::string>();  // "#N INSTRUCTION"
    ASSERT_EQ(layer.rfind('#', 0), 0u) << layer;
    rows.insert({std::stoi(layer.substr(1)), row["files"].get<std::string>(), row["tarSize"].get<uint64_t>()});
  }
  EXPECT_EQ(rows, want_rows);
  EXPECT_EQ(j["total"]["tarSize"].get<uint64_t>(), want_tar);
  EXPECT_EQ(j["omitted"]["tarSize"].get<uint64_t>(), all_tar - want_tar);
  // BLOB bytes per file are estimates, but kept and omitted still split
  // exactly the bytes stored.
  EXPECT_GT(j["total"]["blobSize"].get<uint64_t>(), 0u);
  EXPECT_EQ(j["total"]["blobSize"].get<uint64_t>() + j["omitted"]["blobSize"].get<uint64_t>(), all_blob);

  RunResult table = RunWhittle({"profile", "--source-filter", "^/root/", "-d", "files", kDive});
  EXPECT_NE(table.out.find("--source-filter left out"), std::string::npos) << table.out;
  RunResult bad = RunWhittle({"profile", "--source-filter", "(", kDive});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("invalid regex"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace whittle::testing

namespace whittle::testing {
namespace {

// `whittle fix`: the verb's modes, exit codes and files, on copies of the
// golden inputs in a temp directory (the build context is that directory).
class FixCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir(); }
  void TearDown() override { RunShell("rm -rf '" + dir_ + "'"); }
  std::string Copy(const std::string& golden, const std::string& as = "Dockerfile") {
    RunShell("cp '" + SourcePath("tests/data/fix/" + golden) + "' '" + dir_ + "/" + as + "'");
    return dir_ + "/" + as;
  }
  bool Exists(const std::string& rel) { return RunShell("test -e '" + dir_ + "/" + rel + "'").exit_code == 0; }
  std::string dir_;
};

TEST_F(FixCli, DiffIsTheDefaultAndAppliesWithPatch) {
  std::string df = Copy("dl3032.Dockerfile");
  RunResult r = RunWhittle({"fix", df});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\n-RUN yum install -y httpd mod_ssl\n+RUN yum install -y httpd mod_ssl && yum clean all\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("whittle: " + df + ":2: DL3032 fixed: appended `yum clean all`"), std::string::npos) << r.err;
  // The diff's paths are the one given minus the leading '/': patch -p1
  // from the root applies it.
  std::string patch = dir_ + "/p.diff";
  RunShell("cat > '" + patch + "' <<'WHITTLE_EOF'\n" + r.out + "WHITTLE_EOF\n");
  ASSERT_EQ(RunShell("cd / && patch -s -p1 < '" + patch + "'").exit_code, 0);
  EXPECT_EQ(ReadFileOrDie(df), "FROM centos:7\nRUN yum install -y httpd mod_ssl && yum clean all\nEXPOSE 443\n");
  EXPECT_FALSE(Exists("Dockerfile.orig"));  // the default mode writes no Dockerfile
}

TEST_F(FixCli, CheckWriteAndIdempotence) {
  std::string df = Copy("driftwood-naive.Dockerfile");
  std::string original = ReadFileOrDie(df);
  RunResult check = RunWhittle({"fix", "--check", df});
  EXPECT_EQ(check.exit_code, 1) << check.err;
  EXPECT_EQ(check.out, "");
  EXPECT_NE(check.err.find("DL3015 would fix"), std::string::npos) << check.err;
  EXPECT_EQ(ReadFileOrDie(df), original);
  EXPECT_FALSE(Exists("Dockerfile.dockerignore.suggested"));  // --check writes nothing

  RunResult w = RunWhittle({"fix", "--write", df});
  ASSERT_EQ(w.exit_code, 0) << w.err;
  EXPECT_EQ(ReadFileOrDie(df + ".orig"), original);
  EXPECT_NE(ReadFileOrDie(df), original);
  EXPECT_NE(w.err.find("the original is " + df + ".orig"), std::string::npos) << w.err;
  RunResult again = RunWhittle({"fix", "--check", df});
  EXPECT_EQ(again.exit_code, 0) << again.err;  // fixing twice changes nothing more
  // The linter agrees: fewer findings, none it did not report before.
  auto codes = [&](const std::string& path) {
    std::multiset<std::string> out;
    RunResult lint = RunWhittle({"lint", "--json", "--context", dir_, path});
    for (const auto& f : nlohmann::json::parse(lint.out)) out.insert(f["code"].get<std::string>());
    return out;
  };
  std::multiset<std::string> before = codes(df + ".orig"), after = codes(df);
  EXPECT_LT(after.size(), before.size());
  EXPECT_TRUE(std::includes(before.begin(), before.end(), after.begin(), after.end()));
  EXPECT_EQ(after.count("DL3015") + after.count("DL3009") + after.count("DL3042") + after.count("DL3059"), 0u);
}

TEST_F(FixCli, Json) {
  std::string df = Copy("exec-form.Dockerfile");
  RunResult r = RunWhittle({"fix", "--json", df});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["changed"], false);
  EXPECT_EQ(j["diff"], "");
  ASSERT_EQ(j["rewrites"].size(), 0u);
  ASSERT_EQ(j["refusals"].size(), 5u);
  EXPECT_EQ(j["refusals"][0]["id"], "DL3009");
  EXPECT_EQ(j["refusals"][0]["line"], 2);
  EXPECT_EQ(j["refusals"][0]["why"], "exec-form RUN (JSON array): whittle fix does not rewrite it");

  df = Copy("dl3019.Dockerfile");
  j = nlohmann::json::parse(RunWhittle({"fix", "--json", df}).out, nullptr, false);
  ASSERT_TRUE(j.is_object());
  // The first RUN chains two commands, so DL3059 does not merge the two
  // RUNs (only consecutive single-command RUNs); DL3019 fixes both apk adds.
  ASSERT_EQ(j["rewrites"].size(), 1u);
  EXPECT_EQ(j["rewrites"][0]["id"], "DL3019");
  EXPECT_EQ(j["rewrites"][0]["line"], 2);
  EXPECT_EQ(j["rewrites"][0]["after"],
            "RUN apk add --no-cache --virtual .build-deps gcc musl-dev \\\n && apk add --no-cache libffi");
}

TEST_F(FixCli, DockerignoreSuggestion) {
  std::string df = Copy("driftwood-naive.Dockerfile");
  RunShell("cd '" + dir_ + "' && mkdir -p .git tests notes app && echo x > .git/HEAD && echo t > tests/t.py && "
           "echo n > notes/n.txt && echo a > app/main.py && echo S=1 > .env");
  RunResult out = RunWhittle({"fix", "--stdout", df});
  ASSERT_EQ(out.exit_code, 0) << out.err;
  EXPECT_NE(out.out.find("\n.git\n"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("\n.env\n"), std::string::npos) << out.out;
  EXPECT_NE(out.out.find("\ntests\n"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find("\napp\n"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find("+++ "), std::string::npos);  // no diff
  EXPECT_FALSE(Exists("Dockerfile.dockerignore.suggested"));
  // COPY . and no .dockerignore: the default mode writes the suggestion.
  RunResult d = RunWhittle({"fix", df});
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_EQ(ReadFileOrDie(dir_ + "/Dockerfile.dockerignore.suggested"), out.out);
  // With a .dockerignore: never touched, no suggestion unless asked.
  RunShell("rm '" + dir_ + "/Dockerfile.dockerignore.suggested' && echo .git > '" + dir_ + "/.dockerignore'");
  d = RunWhittle({"fix", df});
  EXPECT_FALSE(Exists("Dockerfile.dockerignore.suggested"));
  d = RunWhittle({"fix", "--dockerignore", df});
  EXPECT_TRUE(Exists("Dockerfile.dockerignore.suggested"));
  EXPECT_NE(d.err.find(dir_ + "/.dockerignore exists and was not changed"), std::string::npos) << d.err;
  EXPECT_EQ(ReadFileOrDie(dir_ + "/.dockerignore"), ".git\n");
}

TEST_F(FixCli, SuggestMultistage) {
  std::string df = Copy("driftwood-naive.Dockerfile");
  RunResult r = RunWhittle({"fix", "--suggest-multistage", df});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("PROPOSALS, NOT APPLIED", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(df + ":16: python-wheels:"), std::string::npos) << r.out;
  EXPECT_EQ(ReadFileOrDie(df), ReadFileOrDie(SourcePath("tests/data/fix/driftwood-naive.Dockerfile")));
}

TEST_F(FixCli, Errors) {
  std::string df = dir_ + "/Dockerfile";
  RunShell("printf '# only a comment\\n' > '" + df + "'");
  RunResult r = RunWhittle({"fix", df});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "whittle: " + df + ":1: file with no instructions\n");
  EXPECT_EQ(r.out, "");
  r = RunWhittle({"fix", dir_ + "/missing"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing: cannot open"), std::string::npos) << r.err;
  std::string ok = Copy("dl3032.Dockerfile", "ok.Dockerfile");
  r = RunWhittle({"fix", "--rules", "DL3006", ok});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("DL3006 has no rewrite"), std::string::npos) << r.err;
  EXPECT_EQ(RunWhittle({"fix", "--write", "--check", ok}).exit_code, 2);
  EXPECT_EQ(RunWhittle({"fix", "--bogus", ok}).exit_code, 2);
  EXPECT_EQ(RunWhittle({"fix"}).exit_code, 2);
  EXPECT_EQ(RunWhittle({"fix", "--help"}).exit_code, 0);
  // --rules keeps the other rewrites out.
  r = RunWhittle({"fix", "--check", "--rules", "DL3015,DL3019", ok});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace whittle::testing
