// End-to-end tests of the whittle binary on the images shipped in the repo
// (dive's test images: legacy docker save, kaniko, buildx OCI archives).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
