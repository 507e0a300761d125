// End-to-end tests on images built in the test run by real producers
// (buildah, skopeo, umoci; tests/data/make_real_images.sh): every byte
// accounted for in every format, and every format of one image agrees.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "e2e/accounting_util.h"
#include "e2e/run_util.h"

namespace whittle::testing {
namespace {

std::string Dir() {
  const char* d = std::getenv("WHITTLE_REAL_IMAGES");
  return d ? d : "";
}

std::vector<ImageCase> Cases() {
  std::string d = Dir();
  return {
      {"docker-archive", "docker-archive:" + d + "/docker-archive.tar", d + "/docker-archive.tar",
       Container::kDockerArchive, ""},
      {"oci gzip", "oci:" + d + "/oci:whittle-test", d + "/oci", Container::kOciDir, ""},
      {"oci-archive", "oci-archive:" + d + "/oci-archive.tar", d + "/oci-archive.tar", Container::kOciArchive, ""},
      {"dir", "dir:" + d + "/dir", d + "/dir", Container::kDirTransport, ""},
      {"oci zstd", "oci:" + d + "/oci-zstd", d + "/oci-zstd", Container::kOciDir, ""},
      {"oci uncompressed", "oci:" + d + "/oci-uncompressed", d + "/oci-uncompressed", Container::kOciDir, ""},
      {"docker 25 save", d + "/docker25.tar", d + "/docker25.tar", Container::kOciArchive, ""},
      {"umoci", "oci:" + d + "/umoci:latest", d + "/umoci", Container::kOciDir, ""},
  };
}

TEST(RealImages, EveryByteAccountedForInEveryFormat) {
  ASSERT_FALSE(Dir().empty()) << "WHITTLE_REAL_IMAGES not set (the fixture did not run)";
  for (const auto& c : Cases()) CheckAccounting(c);
}

// The same image in every transport: identical layer tars, file counts and
// per-file TAR bytes; only the BLOB column may differ with compression.
TEST(RealImages, AllFormatsAgreeOnTarContent) {
  ASSERT_FALSE(Dir().empty());
  std::string want_csv;
  std::string want_name;
  for (const auto& c : Cases()) {
    if (c.name == "umoci") continue;  // has one more layer on top
    RunResult r = RunWhittle({"profile", "--csv", "-n", "0", "--domain", "tar", "-d", "layers,files", "-s", "tar",
                              c.reference});
    ASSERT_EQ(r.exit_code, 0) << c.name << ": " << r.err;
    // Drop the blobSize column: keep label columns and tarSize.
    std::string filtered;
    size_t pos = 0;
    while (pos < r.out.size()) {
      size_t nl = r.out.find('\n', pos);
      std::string line = r.out.substr(pos, nl - pos);
      size_t last = line.rfind(',');
      size_t prev = line.rfind(',', last - 1);
      filtered += line.substr(0, prev) + line.substr(last) + "\n";
      pos = nl + 1;
    }
    if (want_csv.empty()) {
      want_csv = filtered;
      want_name = c.name;
    } else {
      EXPECT_EQ(filtered, want_csv) << c.name << " differs from " << want_name;
    }
  }
}

TEST(RealImages, WasteSourceSeesTheDeletions) {
  ASSERT_FALSE(Dir().empty());
  RunResult r = RunWhittle({"profile", "--json", "-n", "0", "-d", "waste", "oci:" + Dir() + "/oci:whittle-test"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::set<std::string> labels;
  for (const auto& row : j["rows"]) labels.insert(row["waste"].get<std::string>());
  EXPECT_TRUE(labels.count("live"));
  EXPECT_TRUE(labels.count("deleted") || labels.count("overwritten")) << r.out;
}

}  // namespace
}  // namespace whittle::testing
