// docker:// end to end against real registries started by the fixture
// (tests/data/registry_fixture.sh: Debian's docker-registry on loopback,
// images pushed by skopeo): the same image gives the same numbers from the
// registry as from its OCI layout, in Docker v2s2, OCI gzip and OCI zstd
// form; auth, 404 and a corrupt blob are one-line
// errors, exit 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

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
  RunResult scanned = RunWhittle({"history", "--json", "--scan", "--no-cache", "--tls-verify=false", ref});
  ASSERT_EQ(scanned.exit_code, 0) << scanned.err;
  EXPECT_EQ(DropImageField(scanned.out), DropImageField(want.out));
  EXPECT_EQ(Count(ReadFileOrDie(log).substr(before_scan), "GET /v2/whittle/test/blobs/"), layers + 1);

  // Through the layer cache: the second --scan fetches the config alone,
  // and prints the same.
  const std::string cache = MakeTempDir();
  RunResult cold = RunWhittle({"history", "--json", "--scan", "--cache-dir", cache, "--tls-verify=false", ref});
  ASSERT_EQ(cold.exit_code, 0) << cold.err;
  const size_t before_warm = ReadFileOrDie(log).size();
  RunResult warm = RunWhittle({"history", "--json", "--scan", "--cache-dir", cache, "--tls-verify=false", ref});
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  EXPECT_EQ(warm.out, cold.out);
  EXPECT_EQ(DropImageField(warm.out), DropImageField(want.out));
  EXPECT_EQ(Count(ReadFileOrDie(log).substr(before_warm), "GET /v2/whittle/test/blobs/"), 1);
  RunShell("rm -rf '" + cache + "'");
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

// Token auth against the registry's real `auth: token` (the fixture's
// token service, tests/support/token_server.py): anonymous tokens where the
// service grants them, --creds and a credsStore helper where it does not,
// and no secret (password or token) ever on stdout or stderr.
TEST(Registry, BearerTokensAnonymousAndWithCredentials) {
  ASSERT_FALSE(RegDir().empty());
  const std::string password = ReadFileOrDie(RegDir() + "/auth.password");
  const std::string host = Host("token");
  const std::string bin = WhittleBinary();
  const std::string isolated = "HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG= ";
  const std::string tlog = RegDir() + "/tokensrv.log";
  RunResult want = RunWhittle({"history", "--json", "--scan", "oci:" + Images() + "/oci:whittle-test"});
  ASSERT_EQ(want.exit_code, 0) << want.err;
  auto no_secret = [&](const RunResult& r) {
    for (const std::string* s : {&r.out, &r.err}) {
      EXPECT_EQ(s->find(password), std::string::npos) << "the password was printed: " << *s;
      EXPECT_EQ(s->find("eyJ"), std::string::npos) << "a token was printed: " << *s;  // a JWT's start
      EXPECT_EQ(s->find("s3cret"), std::string::npos) << *s;
    }
  };

  size_t before = ReadFileOrDie(tlog).size();
  RunResult anon = RunShell(isolated + "'" + bin + "' history --json --scan --tls-verify=false docker://" + host +
                            "/whittle/public:oci");
  EXPECT_EQ(anon.exit_code, 0) << anon.err;
  EXPECT_EQ(anon.err, "");
  EXPECT_EQ(DropImageField(anon.out), DropImageField(want.out));
  std::string asked = ReadFileOrDie(tlog).substr(before);
  EXPECT_NE(asked.find("scope=repository:whittle/public:pull who=anonymous granted=whittle/public:pull"),
            std::string::npos)
      << asked;
  no_secret(anon);

  RunResult denied =
      RunShell(isolated + "'" + bin + "' history --tls-verify=false docker://" + host + "/whittle/test:oci");
  EXPECT_EQ(denied.exit_code, 2);
  EXPECT_EQ(denied.out, "");
  EXPECT_EQ(denied.err.rfind("whittle: docker://" + host + "/whittle/test:oci: 401 unauthorized", 0), 0u)
      << denied.err;
  EXPECT_NE(denied.err.find("--creds USER:PASSWORD"), std::string::npos) << denied.err;
  EXPECT_EQ(Count(denied.err, "\n"), 1) << denied.err;

  before = ReadFileOrDie(tlog).size();
  RunResult creds = RunShell(isolated + "'" + bin + "' history --json --scan --tls-verify=false --creds whittle:" +
                             password + " docker://" + host + "/whittle/test:oci");
  EXPECT_EQ(creds.exit_code, 0) << creds.err;
  EXPECT_EQ(DropImageField(creds.out), DropImageField(want.out));
  EXPECT_NE(ReadFileOrDie(tlog).substr(before).find("scope=repository:whittle/test:pull who=whittle "),
            std::string::npos);
  no_secret(creds);

  RunResult wrong = RunShell(isolated + "'" + bin + "' history --tls-verify=false --creds whittle:s3cret-wrong " +
                             "docker://" + host + "/whittle/test:oci");
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_EQ(wrong.out, "");
  EXPECT_NE(wrong.err.find("the token service answered 401"), std::string::npos) << wrong.err;
  EXPECT_EQ(Count(wrong.err, "\n"), 1) << wrong.err;
  no_secret(wrong);

  // config.json naming a credsStore: docker-credential-test on PATH answers
  // for this registry (and logs the server URL it was asked for).
  const std::string cfg = RegDir() + "/helpercfg";
  ASSERT_EQ(RunShell("mkdir -p '" + cfg + "/bin' && echo '{\"credsStore\":\"test\"}' > '" + cfg + "/config.json'")
                .exit_code,
            0);
  {
    std::ofstream h(cfg + "/bin/docker-credential-test");
    h << "#!/bin/sh\nserver=$(cat)\necho \"$1 $server\" >> '" << cfg << "/asked'\n"
      << "[ \"$server\" = '" << host << "' ] || { echo 'credentials not found in native keychain'; exit 1; }\n"
      << "printf '{\"ServerURL\":\"%s\",\"Username\":\"whittle\",\"Secret\":\"" << password << "\"}' \"$server\"\n";
  }
  ASSERT_EQ(RunShell("chmod +x '" + cfg + "/bin/docker-credential-test'").exit_code, 0);
  RunResult helper = RunShell("HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG='" + cfg + "' PATH='" +
                              cfg + "/bin':\"$PATH\" '" + bin + "' history --json --scan --tls-verify=false docker://" +
                              host + "/whittle/test:oci");
  EXPECT_EQ(helper.exit_code, 0) << helper.err;
  EXPECT_EQ(DropImageField(helper.out), DropImageField(want.out));
  EXPECT_EQ(ReadFileOrDie(cfg + "/asked"), "get " + host + "\n");
  no_secret(helper);
  // --creds comes first: the helper is not asked.
  RunResult flag_first = RunShell("HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG='" + cfg + "' PATH='" +
                                  cfg + "/bin':\"$PATH\" '" + bin + "' history --tls-verify=false --creds whittle:" +
                                  password + " docker://" + host + "/whittle/test:oci");
  EXPECT_EQ(flag_first.exit_code, 0) << flag_first.err;
  EXPECT_EQ(ReadFileOrDie(cfg + "/asked"), "get " + host + "\n");
}

// An identity token (config.json's "identitytoken", or a credential helper
// answering Username "<token>") is an OAuth2 refresh token: whittle POSTs
// the refresh-token grant to the realm (the fixture's token service checks
// the form and logs its fields, the token's value only as <valid>), sends no
// basic credentials, and prints neither the refresh token nor the access
// token, not even with --verbose.
TEST(Registry, IdentityTokensUseTheOAuth2RefreshTokenGrant) {
  ASSERT_FALSE(RegDir().empty());
  const std::string refresh = ReadFileOrDie(RegDir() + "/token.refresh-token");
  ASSERT_GE(refresh.size(), 32u);
  const std::string host = Host("token");
  const std::string bin = WhittleBinary();
  const std::string tlog = RegDir() + "/tokensrv.log";
  const std::string ref = "docker://" + host + "/whittle/test:oci";
  RunResult want = RunWhittle({"history", "--json", "--scan", "oci:" + Images() + "/oci:whittle-test"});
  ASSERT_EQ(want.exit_code, 0) << want.err;
  auto no_secret = [&](const RunResult& r) {
    for (const std::string* s : {&r.out, &r.err}) {
      EXPECT_EQ(s->find(refresh), std::string::npos) << "the refresh token was printed: " << *s;
      EXPECT_EQ(s->find("eyJ"), std::string::npos) << "an access token was printed: " << *s;
    }
  };
  const std::string grant = "oauth grant_type=refresh_token service=whittle-registry "
                            "scope=repository:whittle/test:pull client_id=whittle refresh_token=<valid> "
                            "authorization=no -> granted\n";
  // config.json: the identity token wins over a (wrong) user and password
  // of the same entry, which would be refused if they were sent.
  const std::string cfg = RegDir() + "/oauthcfg";
  ASSERT_EQ(RunShell("mkdir -p '" + cfg + "/bin' && printf '{\"auths\":{\"%s\":{\"auth\":\"%s\","
                     "\"identitytoken\":\"%s\"}}}' '" + host + "' \"$(printf whittle:s3cret-wrong | base64 -w0)\" '" +
                     refresh + "' > '" + cfg + "/config.json'")
                .exit_code,
            0);
  const std::string env = "HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG='" + cfg + "' ";
  size_t before = ReadFileOrDie(tlog).size();
  RunResult file = RunShell(env + "'" + bin + "' history --json --scan --verbose --tls-verify=false " + ref);
  EXPECT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(DropImageField(file.out), DropImageField(want.out));
  std::string asked = ReadFileOrDie(tlog).substr(before);
  EXPECT_NE(asked.find(grant), std::string::npos) << asked;
  EXPECT_EQ(asked.find("who=refused"), std::string::npos) << "basic credentials were sent: " << asked;
  EXPECT_EQ(Count(asked, "oauth "), Count(asked, "token scope=")) << "every token came from the grant: " << asked;
  no_secret(file);

  // A credsStore helper answering Username "<token>".
  {
    std::ofstream h(cfg + "/bin/docker-credential-oauth");
    h << "#!/bin/sh\nserver=$(cat)\n"
      << "[ \"$server\" = '" << host << "' ] || { echo 'credentials not found in native keychain'; exit 1; }\n"
      << "printf '{\"ServerURL\":\"%s\",\"Username\":\"<token>\",\"Secret\":\"" << refresh << "\"}' \"$server\"\n";
  }
  const std::string hcfg = RegDir() + "/oauthhelper";
  ASSERT_EQ(RunShell("chmod +x '" + cfg + "/bin/docker-credential-oauth' && mkdir -p '" + hcfg +
                     "' && echo '{\"credsStore\":\"oauth\"}' > '" + hcfg + "/config.json'")
                .exit_code,
            0);
  before = ReadFileOrDie(tlog).size();
  RunResult helper = RunShell("HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG='" + hcfg + "' PATH='" +
                              cfg + "/bin':\"$PATH\" '" + bin + "' history --json --scan -v --tls-verify=false " + ref);
  EXPECT_EQ(helper.exit_code, 0) << helper.err;
  EXPECT_EQ(DropImageField(helper.out), DropImageField(want.out));
  EXPECT_NE(ReadFileOrDie(tlog).substr(before).find(grant), std::string::npos) << ReadFileOrDie(tlog).substr(before);
  no_secret(helper);

  // A refresh token the service does not know: a one-line error naming the
  // grant and where the token came from, not the token.
  const std::string bad = RegDir() + "/oauthbad";
  ASSERT_EQ(RunShell("mkdir -p '" + bad + "' && printf '{\"auths\":{\"%s\":{\"identitytoken\":\"%s\"}}}' '" +
                     host + "' 'not-the-refresh-token' > '" + bad + "/config.json'")
                .exit_code,
            0);
  RunResult refused = RunShell("HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG='" + bad + "' '" + bin +
                               "' history --verbose --tls-verify=false " + ref);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.out, "");
  EXPECT_NE(refused.err.find("the token service answered 401 to the OAuth2 refresh-token grant (identity token from " +
                             bad + "/config.json)"),
            std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.err.find("not-the-refresh-token"), std::string::npos) << refused.err;
  EXPECT_EQ(Count(refused.err, "\n"), 1) << refused.err;

  // A registry with basic auth cannot take an identity token.
  const std::string basic_cfg = RegDir() + "/oauthbasic";
  ASSERT_EQ(RunShell("mkdir -p '" + basic_cfg + "' && printf '{\"auths\":{\"%s\":{\"identitytoken\":\"%s\"}}}' '" +
                     Host("auth") + "' '" + refresh + "' > '" + basic_cfg + "/config.json'")
                .exit_code,
            0);
  RunResult basic = RunShell("HOME=" + RegDir() + "/nohome XDG_RUNTIME_DIR= DOCKER_CONFIG='" + basic_cfg + "' '" +
                             bin + "' history --verbose --tls-verify=false docker://" + Host("auth") + "/whittle/test:oci");
  EXPECT_EQ(basic.exit_code, 2);
  EXPECT_EQ(basic.out, "");
  EXPECT_NE(basic.err.find("holds an identity token (which only a token service takes)"), std::string::npos)
      << basic.err;
  EXPECT_EQ(Count(basic.err, "\n"), 1) << basic.err;
  no_secret(basic);
}

// A two-platform OCI index pushed with skopeo copy --all: --platform picks
// the image, the numbers equal the same index read from its layout, and an
// absent platform is a one-line error listing what there is.
TEST(Registry, PlatformPicksFromAnIndex) {
  ASSERT_FALSE(RegDir().empty());
  const std::string ref = "docker://" + Host("open") + "/whittle/multi:1";
  const std::string layout = "oci:" + RegDir() + "/platform-index:multi";
  std::string outs[2];
  int i = 0;
  for (const char* platform : {"linux/amd64", "linux/arm64"}) {
    RunResult want = RunWhittle({"profile", "--json", "-n", "0", "-d", "layers,paths", "--platform", platform, layout});
    ASSERT_EQ(want.exit_code, 0) << want.err;
    RunResult got = RunWhittle(
        {"profile", "--json", "-n", "0", "-d", "layers,paths", "--platform", platform, "--tls-verify=false", ref});
    EXPECT_EQ(got.exit_code, 0) << got.err;
    EXPECT_EQ(DropImageField(got.out), DropImageField(want.out)) << platform;
    outs[i++] = got.out;
  }
  EXPECT_NE(DropImageField(outs[0]), DropImageField(outs[1]));
  // amd64 is whittle-test's layers, arm64 whittle-small's.
  RunResult test_img = RunWhittle({"profile", "--json", "-n", "0", "-d", "layers,paths", "oci:" + Images() + "/oci"});
  ASSERT_EQ(test_img.exit_code, 0);
  EXPECT_EQ(DropImageField(outs[0]), DropImageField(test_img.out));

  RunResult host = RunWhittle({"history", "--json", "--tls-verify=false", ref});
  RunResult amd64 = RunWhittle({"history", "--json", "--platform", "linux/amd64", "--tls-verify=false", ref});
  EXPECT_EQ(host.exit_code, 0) << host.err;
  EXPECT_EQ(host.out, amd64.out) << "the default platform is the host's (linux/amd64 here)";

  RunResult none = RunWhittle({"history", "--platform", "linux/s390x", "--tls-verify=false", ref});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("no image for platform linux/s390x; available: linux/amd64, linux/arm64/v8"),
            std::string::npos)
      << none.err;
  EXPECT_EQ(Count(none.err, "\n"), 1) << none.err;
}

// On a terminal, stderr shows the layers, bytes and rate as they stream in
// (util-linux `script` gives whittle a pty); on a pipe, nothing. stdout is
// the same either way.
TEST(Registry, ProgressOnATerminalOnly) {
  ASSERT_FALSE(RegDir().empty());
  const std::string ref = "docker://" + Host("open") + "/whittle/test:oci";
  const std::string out = RegDir() + "/progress.out";
  RunResult piped = RunWhittle({"profile", "--tls-verify=false", ref});
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err, "");
  RunResult tty = RunShell("TERM=xterm script -qec \"'" + WhittleBinary() + "' profile --tls-verify=false " + ref +
                           " > '" + out + "'\" /dev/null");
  ASSERT_EQ(tty.exit_code, 0) << tty.out << tty.err;
  EXPECT_NE(tty.out.find("\rwhittle: fetched "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find(" layers, "), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find(" MiB/s"), std::string::npos) << tty.out;
  EXPECT_NE(tty.out.find("\r\033[K"), std::string::npos) << "the line is cleared at the end: " << tty.out;
  EXPECT_EQ(ReadFileOrDie(out), piped.out);
}

// The fault server (tests/support/fault_server.py) serves the oci/ layout
// and misbehaves as faults.json says.
class RegistryFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(RegDir().empty());
    host_ = Host("fault");
    ref_ = "docker://" + host_ + "/whittle/test:whittle-test";
    want_ = RunWhittle({"profile", "--json", "-n", "0", "-d", "layers,paths", "oci:" + Images() + "/oci:whittle-test"});
    ASSERT_EQ(want_.exit_code, 0) << want_.err;
  }
  void TearDown() override { SetFaults("[]"); }
  void SetFaults(const std::string& json) {
    const std::string path = RegDir() + "/faults.json";
    {
      std::ofstream f(path + ".tmp");
      f << json;
    }
    ASSERT_EQ(std::rename((path + ".tmp").c_str(), path.c_str()), 0);
    log_start_ = ReadFileOrDie(RegDir() + "/fault.log").size();
  }
  std::string Log() { return ReadFileOrDie(RegDir() + "/fault.log").substr(log_start_); }
  RunResult Profile(const std::string& env = "") {
    // --no-cache: these tests are about fetching the layers.
    return RunShell(env + " '" + WhittleBinary() + "' profile --json -n 0 -d layers,paths --no-cache --tls-verify=false " +
                    ref_);
  }
  void ExpectSameAsLayout(const RunResult& got) {
    EXPECT_EQ(got.exit_code, 0) << got.err << Log();
    EXPECT_EQ(got.err, "");
    EXPECT_EQ(DropImageField(got.out), DropImageField(want_.out));
  }
  void ExpectOneLineError(const RunResult& got, const std::string& has) {
    EXPECT_EQ(got.exit_code, 2) << Log();
    EXPECT_EQ(got.out, "") << "no partial output";
    EXPECT_NE(got.err.find(has), std::string::npos) << got.err;
    EXPECT_EQ(Count(got.err, "\n"), 1) << got.err;
  }
  std::string host_, ref_;
  RunResult want_;
  size_t log_start_ = 0;
};

TEST_F(RegistryFaults, TooManyRequestsHonoursRetryAfter) {
  SetFaults(R"([{"path":"/blobs/","times":2,"fault":"status","code":429,"retry_after":1}])");
  auto t0 = std::chrono::steady_clock::now();
  RunResult got = Profile();
  auto waited = std::chrono::steady_clock::now() - t0;
  ExpectSameAsLayout(got);
  EXPECT_EQ(Count(Log(), "-> 429 status"), 2) << Log();
  // Two Retry-After: 1 waits; the plain backoff would be 0.25 + 0.5 s.
  EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(), 1900);
}

TEST_F(RegistryFaults, ServerErrorsAreRetriedThenNamed) {
  SetFaults(R"([{"path":"/manifests/","times":2,"fault":"status","code":500}])");
  ExpectSameAsLayout(Profile());
  EXPECT_EQ(Count(Log(), "-> 500 status"), 2) << Log();

  SetFaults(R"([{"path":"/manifests/","fault":"status","code":503}])");
  ExpectOneLineError(Profile(), "whittle: " + ref_ + ": HTTP 503 (FAULT: fault), still after 4 attempts");
  EXPECT_EQ(Count(Log(), "-> 503 status"), 4) << Log();

  SetFaults(R"([{"path":"/manifests/","fault":"status","code":403}])");
  ExpectOneLineError(Profile(), "whittle: " + ref_ + ": 403 forbidden");
  EXPECT_EQ(Count(Log(), "-> 403 status"), 1) << "a 403 is not retried: " << Log();
}

TEST_F(RegistryFaults, DroppedConnectionResumesWithRange) {
  SetFaults(R"([{"path":"/blobs/","times":1,"fault":"drop","after":1000}])");
  ExpectSameAsLayout(Profile());
  EXPECT_EQ(Count(Log(), "-> 200 drop"), 1) << Log();
  EXPECT_EQ(Count(Log(), "range=bytes=1000- -> 206"), 1) << Log();

  // A server that ignores Range: the resume reads from 0 and drops the repeat.
  SetFaults(R"([{"path":"/blobs/","times":1,"fault":"drop","after":1000},{"path":"/blobs/","fault":"norange"}])");
  ExpectSameAsLayout(Profile());
  EXPECT_EQ(Count(Log(), "range=bytes=1000- -> 200 norange"), 1) << Log();

  // Dropped every time: a bounded number of resumes, then one line.
  SetFaults(R"([{"path":"/blobs/","fault":"drop","after":1000}])");
  RunResult got = Profile();
  ExpectOneLineError(got, "(after 3 resumes)");
  EXPECT_NE(got.err.find("docker://" + host_ + "/whittle/test@sha256:"), std::string::npos) << got.err;
}

TEST_F(RegistryFaults, StalledTransferTimesOutAndResumes) {
  SetFaults(R"([{"path":"/blobs/","times":1,"fault":"stall","after":500}])");
  ExpectSameAsLayout(Profile("WHITTLE_STALL_TIMEOUT=2"));
  EXPECT_EQ(Count(Log(), "-> 200 stall"), 1) << Log();
  EXPECT_EQ(Count(Log(), "range=bytes=500- -> 206"), 1) << Log();
}

TEST_F(RegistryFaults, RedirectsToStorageAndLoops) {
  SetFaults(R"([{"path":"/blobs/","fault":"redirect"}])");
  ExpectSameAsLayout(Profile());
  EXPECT_GE(Count(Log(), "-> 307 redirect"), 2) << Log();
  EXPECT_EQ(Count(Log(), "-> 307 redirect"), Count(Log(), "GET /storage/sha256:")) << Log();

  SetFaults(R"([{"path":"/blobs/","fault":"redirect-loop"}])");
  RunResult loop = Profile();
  ExpectOneLineError(loop, "redirect");
  EXPECT_LE(Count(Log(), "-> 302 redirect-loop"), 11) << "a redirect loop is not retried: " << Log();
}

TEST_F(RegistryFaults, WrongBytesAreADigestMismatchNamingTheDigest) {
  SetFaults(R"([{"path":"/blobs/","fault":"corrupt"}])");
  RunResult got = Profile();
  ExpectOneLineError(got, "digest mismatch");
  EXPECT_NE(got.err.find("/whittle/test@sha256:"), std::string::npos) << got.err;
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
  RunResult bad = RunWhittle({"profile", "--no-cache", "--tls-verify=false", ref});  // a read, not the cache
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_NE(bad.err.find("digest mismatch"), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find(hex.substr(0, 12)), std::string::npos) << bad.err;
  EXPECT_EQ(Count(bad.err, "\n"), 1) << bad.err;
}

}  // namespace
}  // namespace whittle::testing
