// docker:// end to end against real registries started by the fixture
// (tests/data/registry_fixture.sh: Debian's docker-registry on loopback,
// images pushed by skopeo): the same image gives the same numbers from the
// registry as from its OCI layout, in Docker v2s2, OCI gzip and OCI zstd
// form; auth, 404 and a corrupt blob are one-line
// errors, exit 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "e2e/run_util.h"

namespace whittle::testing {
namespace {

std::string RegDir() {
  const char* d = std::getenv("WHITTLE_REGISTRY_DIR");
  return d ? d : "";
}
std::string Images() { return RegDir() + "/images"; }  // a link the fixture made
std::string Host(const std::string& name) {
  std::string port = ReadFileOrDie(RegDir() + "/" + name + ".port");
  port.erase(port.find_last_not_of("\n") + 1);
  return "127.0.0.1:" + port;
}
int Count(const std::string& s, const std::string& what) {
  int n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

const std::vector<std::vector<std::string>> kViews = {
    {"profile", "--json", "-n", "0", "-d", "layers,paths,waste"},
    {"profile", "--json", "-n", "0", "--verify", "-d", "files"},
    {"history", "--json", "--scan"},
    {"waste", "--json"},
};

TEST(Registry, SameNumbersAsTheLayoutInEveryManifestForm) {
  ASSERT_FALSE(RegDir().empty()) << "WHITTLE_REGISTRY_DIR not set (the fixture did not run)";
  const std::string open = Host("open");
  struct Case {
    std::string ref, layout;
  } cases[] = {
      {"docker://" + open + "/whittle/test:v2s2", "oci:" + Images() + "/oci:whittle-test"},
      {"docker://" + open + "/whittle/test:oci", "oci:" + Images() + "/oci:whittle-test"},
      {"docker://" + open + "/whittle/test:zstd", "oci:" + Images() + "/oci-zstd"},
  };
  for (const auto& c : cases) {
    for (const auto& view : kViews) {
      std::vector<std::string> want_args = view;
      want_args.push_back(c.layout);
      RunResult want = RunWhittle(want_args);
      ASSERT_EQ(want.exit_code, 0) << want.err;
      std::vector<std::string> args = view;
      args.push_back("--tls-verify=false");
      args.push_back(c.ref);
      RunResult got = RunWhittle(args);
      EXPECT_EQ(got.exit_code, 0) << c.ref << ": " << got.err;
      EXPECT_EQ(got.err, "");
      EXPECT_EQ(DropImageField(got.out), DropImageField(want.out)) << c.ref << " " << view[0] << " " << view.back();
    }
  }
}

// history fetches the manifest and the config, and no layer: the registry's
// access log shows one blob GET (the config) and none of the layers' digests.
// The table shows each layer's BLOB size from the manifest and "-" for what
// only a scan knows; --scan gives the layout's numbers.
TEST(Registry, HistoryFetchesNoLayer) {
  ASSERT_FALSE(RegDir().empty());
  const std::string ref = "docker://" + Host("open") + "/whittle/test:oci";
  const std::string log = RegDir() + "/open.log";
  const size_t before = ReadFileOrDie(log).size();
  RunResult got = RunWhittle({"history", "--json", "--tls-verify=false", ref});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  EXPECT_EQ(got.err, "");
  const std::string requests = ReadFileOrDie(log).substr(before);
  EXPECT_GE(Count(requests, "GET /v2/whittle/test/manifests/oci "), 1) << requests;
  EXPECT_EQ(Count(requests, "GET /v2/whittle/test/blobs/"), 1) << requests;  // the config

  RunResult want = RunWhittle({"history", "--json", "oci:" + Images() + "/oci:whittle-test"});
  ASSERT_EQ(want.exit_code, 0) << want.err;
  // Every layer digest the history names, and none of them fetched.
  int layers = 0;
  for (size_t p = got.out.find("\"digest\": \"sha256:"); p != std::string::npos;
       p = got.out.find("\"digest\": \"sha256:", p + 1)) {
    std::string digest = got.out.substr(p + 11, 71);
    EXPECT_NE(want.out.find(digest), std::string::npos) << digest;
    EXPECT_EQ(requests.find("/blobs/" + digest), std::string::npos) << digest << " was fetched:\n" << requests;
    ++layers;
  }
  EXPECT_GE(layers, 2) << got.out;
  EXPECT_EQ(Count(got.out, "\"tarSize\": null"), layers) << got.out;
  EXPECT_EQ(Count(got.out, "\"files\": null"), layers) << got.out;
  EXPECT_EQ(Count(got.out, "\"blobSize\": null"), 0) << got.out;
  // BLOB sizes equal the layout's (same blobs, pushed as they are).
  for (size_t p = got.out.find("\"blobSize\": "); p != std::string::npos; p = got.out.find("\"blobSize\": ", p + 1)) {
    std::string cell = got.out.substr(p, got.out.find('\n', p) - p);
    EXPECT_NE(want.out.find(cell), std::string::npos) << cell;
  }

  RunResult table = RunWhittle({"history", "--tls-verify=false", ref});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("   -   "), std::string::npos) << table.out;

  const size_t before_scan = ReadFileOrDie(log).size();
  RunResult scanned = RunWhittle({"history", "--json", "--scan", "--tls-verify=false", ref});
  ASSERT_EQ(scanned.exit_code, 0) << scanned.err;
  EXPECT_EQ(DropImageField(scanned.out), DropImageField(want.out));
  EXPECT_EQ(Count(ReadFileOrDie(log).substr(before_scan), "GET /v2/whittle/test/blobs/"), layers + 1);
}

TEST(Registry, BasicAuthFromCredsAndDockerConfig) {
  ASSERT_FALSE(RegDir().empty());
  std::string password = ReadFileOrDie(RegDir() + "/auth.password");
  const std::string ref = "docker://" + Host("auth") + "/whittle/test:oci";
  const std::string bin = WhittleBinary();
  const std::string isolated = "HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG= ";

  RunResult none = RunShell(isolated + "'" + bin + "' history --tls-verify=false " + ref);
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("401 unauthorized"), std::string::npos) << none.err;
  EXPECT_NE(none.err.find("--creds USER:PASSWORD"), std::string::npos) << none.err;
  EXPECT_EQ(Count(none.err, "\n"), 1) << none.err;

  RunResult wrong = RunShell(isolated + "'" + bin + "' history --tls-verify=false --creds whittle:nope " + ref);
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("/whittle/test:oci: 401 unauthorized"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("refused the credentials from --creds"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("nope"), std::string::npos) << "the password must never be printed: " << wrong.err;

  RunResult good = RunShell(isolated + "'" + bin + "' history --json --scan --tls-verify=false --creds whittle:" +
                            password + " " + ref);
  EXPECT_EQ(good.exit_code, 0) << good.err;
  RunResult want = RunWhittle({"history", "--json", "oci:" + Images() + "/oci:whittle-test"});
  EXPECT_EQ(DropImageField(good.out), DropImageField(want.out));

  // ~/.docker/config.json with a plain auth entry (base64 of user:password).
  std::string cfg = RegDir() + "/dockercfg";
  ASSERT_EQ(RunShell("mkdir -p '" + cfg + "' && printf '{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}' '" + Host("auth") +
                     "' \"$(printf 'whittle:%s' '" + password + "' | base64 -w0)\" > '" + cfg + "/config.json'")
                .exit_code,
            0);
  RunResult from_file = RunShell(isolated.substr(0, isolated.find("DOCKER_CONFIG=")) + "DOCKER_CONFIG='" + cfg + "' '" +
                                 bin + "' history --json --scan --tls-verify=false " + ref);
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(DropImageField(from_file.out), DropImageField(want.out));
}

TEST(Registry, NotFoundAndTlsAreOneLineErrors) {
  ASSERT_FALSE(RegDir().empty());
  const std::string open = Host("open");
  RunResult missing = RunWhittle({"history", "--tls-verify=false", "docker://" + open + "/whittle/nope:1"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_EQ(missing.err.rfind("whittle: docker://" + open + "/whittle/nope:1: 404 not found (", 0), 0u) << missing.err;
  EXPECT_EQ(Count(missing.err, "\n"), 1) << missing.err;

  // Without --tls-verify=false only https is tried, and the registry speaks http.
  RunResult tls = RunWhittle({"history", "docker://" + open + "/whittle/test:oci"});
  EXPECT_EQ(tls.exit_code, 2);
  EXPECT_NE(tls.err.find("cannot reach the registry"), std::string::npos) << tls.err;
  EXPECT_EQ(Count(tls.err, "\n"), 1) << tls.err;
}

// Runs last in this file: damages a blob only whittle/umoci:1 has.
TEST(Registry, ZCorruptBlobIsADigestMismatch) {
  ASSERT_FALSE(RegDir().empty());
  const std::string ref = "docker://" + Host("open") + "/whittle/umoci:1";
  RunResult ok = RunWhittle({"profile", "--tls-verify=false", ref});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  // The top layer of umoci:1 is the one layer not shared with whittle/test.
  RunResult top = RunShell(
      "python3 -c 'import json,sys; i=json.load(open(sys.argv[1]+\"/index.json\")); "
      "m=json.load(open(sys.argv[1]+\"/blobs/sha256/\"+i[\"manifests\"][0][\"digest\"][7:])); "
      "print(m[\"layers\"][-1][\"digest\"][7:])' '" +
      Images() + "/umoci'");
  ASSERT_EQ(top.exit_code, 0) << top.err;
  std::string hex = top.out.substr(0, 64);
  std::string data = RegDir() + "/open-data/docker/registry/v2/blobs/sha256/" + hex.substr(0, 2) + "/" + hex + "/data";
  ASSERT_EQ(RunShell("printf '\\x42' | dd of='" + data + "' bs=1 seek=4 conv=notrunc status=none").exit_code, 0);
  RunResult bad = RunWhittle({"profile", "--tls-verify=false", ref});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("digest mismatch"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(hex.substr(0, 12)), std::string::npos) << bad.err;
  EXPECT_EQ(Count(bad.err, "\n"), 1) << bad.err;
}

}  // namespace
}  // namespace whittle::testing
