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

namespace whittle::testing {
namespace {

// Copies layout |name| to a temp dir and returns (dir, first layer's blob path).
std::pair<std::string, std::string> CopyLayout(const std::string& name) {
  std::string tmp = MakeTempDir();
  RunShell("cp -r '" + Dir() + "/" + name + "' '" + tmp + "/img'");
  RunResult layer = RunShell(
      "cd '" + tmp + "/img' && python3 -c 'import json; i=json.load(open(\"index.json\")); "
      "m=json.load(open(\"blobs/sha256/\"+i[\"manifests\"][0][\"digest\"][7:])); "
      "print(\"blobs/sha256/\"+m[\"layers\"][0][\"digest\"][7:])'");
  std::string blob = layer.out.substr(0, layer.out.find('\n'));
  return {tmp, tmp + "/img/" + blob};
}

// A compressed layer is read whole, so its digest is always checked: change
// one byte of the gzip header's mtime (still a valid gzip, same size).
TEST(RealImages, GzipLayerDigestMismatchIsAnErrorNamingTheBlob) {
  ASSERT_FALSE(Dir().empty());
  auto [tmp, blob] = CopyLayout("oci");
  ASSERT_EQ(RunShell("printf '\\x42' | dd of='" + blob + "' bs=1 seek=4 conv=notrunc status=none").exit_code, 0);
  // Other tests scanned the same layer into the shared cache, which answers
  // for its digest without reading it; this checks what a read finds.
  RunResult r = RunWhittle({"profile", "--no-cache", "oci:" + tmp + "/img"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("digest mismatch"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(blob.substr(blob.rfind('/') + 1, 12)), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  RunShell("rm -rf '" + tmp + "'");
}

// An uncompressed layer is skipped through, not read: a changed data byte
// goes unnoticed by default and is caught by --verify (docs/how-it-works.md).
TEST(RealImages, UncompressedLayerCheckedOnlyWithVerify) {
  ASSERT_FALSE(Dir().empty());
  auto [tmp, blob] = CopyLayout("oci-uncompressed");
  // Flip a byte inside the data of the first regular file with content.
  RunResult off = RunShell("python3 -c 'import tarfile,sys; t=tarfile.open(sys.argv[1]); "
                           "print(next(m.offset_data for m in t if m.isfile() and m.size > 0))' '" + blob + "'");
  ASSERT_EQ(off.exit_code, 0) << off.err;
  ASSERT_EQ(RunShell("printf 'Z' | dd of='" + blob + "' bs=1 seek=" + off.out.substr(0, off.out.find('\n')) +
                     " conv=notrunc status=none").exit_code, 0);
  RunResult plain = RunWhittle({"profile", "oci:" + tmp + "/img"});
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  RunResult verified = RunWhittle({"profile", "--verify", "oci:" + tmp + "/img"});
  EXPECT_EQ(verified.exit_code, 2);
  EXPECT_NE(verified.err.find("digest mismatch"), std::string::npos) << verified.err;
  RunResult ci = RunWhittle({"ci", "oci:" + tmp + "/img"});
  EXPECT_EQ(ci.exit_code, 2) << "ci always verifies";
  RunShell("rm -rf '" + tmp + "'");
}

// Streams (issue 9): each archive piped on stdin plain, gzip'd and zstd'd,
// and the compressed archive read as a file, give the same JSON as the
// plain file, for every verb's view of the scan.
TEST(RealImages, StreamedArchivesMatchFiles) {
  ASSERT_FALSE(Dir().empty());
  const std::string bin = WhittleBinary();
  std::string tmp = MakeTempDir();
  const std::vector<std::pair<std::string, std::string>> archives = {
      {"docker-archive.tar", "docker-archive:"}, {"oci-archive.tar", "oci-archive:"}, {"docker25.tar", ""}};
  const std::vector<std::vector<std::string>> views = {
      {"profile", "--json", "-n", "0", "-d", "layers,paths,waste"},
      {"profile", "--json", "-n", "0", "--verify", "-d", "files"},
      {"history", "--json"},
      {"waste", "--json"},
  };
  const std::vector<std::pair<std::string, std::string>> compressors = {
      {"cat", ""}, {"gzip -c", ".gz"}, {"zstd -q -c", ".zst"}};
  for (const auto& [file, prefix] : archives) {
    const std::string path = Dir() + "/" + file;
    for (const auto& [comp, ext] : compressors) {
      if (!ext.empty()) {
        ASSERT_EQ(RunShell(comp + " < '" + path + "' > '" + tmp + "/" + file + ext + "'").exit_code, 0);
      }
    }
    for (const auto& view : views) {
      std::vector<std::string> args = view;
      args.push_back(path);
      RunResult want = RunWhittle(args);
      ASSERT_EQ(want.exit_code, 0) << file << ": " << want.err;
      std::string flags;
      for (const auto& a : view) flags += " '" + a + "'";
      for (const auto& [comp, ext] : compressors) {
        for (const std::string& ref : {std::string("-"), prefix + "-"}) {
          if (ref == "-" && !prefix.empty() && comp != "cat") continue;  // enough pipes
          RunResult got = RunShell("set -o pipefail; " + comp + " < '" + path + "' | '" + bin + "'" + flags + " " + ref);
          EXPECT_EQ(got.exit_code, 0) << file << " | " << comp << " " << ref << ": " << got.err;
          EXPECT_EQ(DropImageField(got.out), DropImageField(want.out)) << file << " | " << comp << " | whittle" << flags << " " << ref;
          EXPECT_EQ(got.err, "") << file << " | " << comp;
        }
        if (ext.empty()) continue;
        std::vector<std::string> zargs = view;
        zargs.push_back(prefix + tmp + "/" + file + ext);
        RunResult z = RunWhittle(zargs);
        EXPECT_EQ(z.exit_code, 0) << file << ext << ": " << z.err;
        EXPECT_EQ(DropImageField(z.out), DropImageField(want.out)) << file << ext << flags;
      }
    }
  }
  RunShell("rm -rf '" + tmp + "'");
}

// A stream that is not an image, or is cut short, is one line and exit 2,
// with nothing on stdout.
TEST(RealImages, BrokenStreamsAreOneLineErrors) {
  ASSERT_FALSE(Dir().empty());
  const std::string bin = WhittleBinary();
  const std::string archive = Dir() + "/docker-archive.tar";
  struct Case {
    std::string feed;
    std::string want;
  } cases[] = {
      {"printf 'hello world'", "stdin: not an image: not a tar archive"},
      {"head -c 700000 '" + archive + "'", ".tar: tar header at offset 512: member data truncated"},
      {"head -c 700000 '" + archive + "' | gzip -c", ".tar: tar header at offset 512: member data truncated"},
      {"cat '" + Dir() + "/oci-archive.tar'", "not a docker save archive: no manifest.json"},
  };
  for (const auto& c : cases) {
    std::string ref = c.feed.rfind("cat", 0) == 0 ? "docker-archive:-" : "-";
    RunResult r = RunShell(c.feed + " | '" + bin + "' profile " + ref);
    EXPECT_EQ(r.exit_code, 2) << c.feed << ": " << r.err;
    EXPECT_EQ(r.out, "") << c.feed;
    EXPECT_NE(r.err.find(c.want), std::string::npos) << c.feed << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

}  // namespace
}  // namespace whittle::testing
