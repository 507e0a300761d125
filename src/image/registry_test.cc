// docker:// names, WWW-Authenticate challenges and credential files.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "image/credential_helper.h"
#include "image/image_test_util.h"
#include "image/registry_auth.h"
#include "image/registry_store.h"

namespace whittle {
namespace {

TEST(RegistryNameTest, HostsRepositoriesTagsAndDigests) {
  struct Case {
    const char* text;
    const char* host;
    const char* repo;
    const char* tag;
  } cases[] = {
      {"alpine", "registry-1.docker.io", "library/alpine", "latest"},
      {"alpine:3.19", "registry-1.docker.io", "library/alpine", "3.19"},
      {"bitnami/redis:7", "registry-1.docker.io", "bitnami/redis", "7"},
      {"docker.io/alpine", "registry-1.docker.io", "library/alpine", "latest"},
      {"127.0.0.1:5000/a/b:v1", "127.0.0.1:5000", "a/b", "v1"},
      {"localhost/app", "localhost", "app", "latest"},
      {"ghcr.io/o/r", "ghcr.io", "o/r", "latest"},
  };
  for (const auto& c : cases) {
    auto n = ParseRegistryName(c.text);
    ASSERT_TRUE(n) << c.text << ": " << n.error().message();
    EXPECT_EQ(n->host, c.host) << c.text;
    EXPECT_EQ(n->repo, c.repo) << c.text;
    EXPECT_EQ(n->tag, c.tag) << c.text;
  }
  std::string digest = "sha256:" + std::string(64, 'a');
  auto d = ParseRegistryName("127.0.0.1:5000/app@" + digest);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digest, digest);
  EXPECT_EQ(d->tag, "");
  EXPECT_EQ(d->ToString(), "127.0.0.1:5000/app@" + digest);

  auto bad = ParseRegistryName("Host.io/UPPER");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::kUsage);
  EXPECT_FALSE(ParseRegistryName("app@sha256:12"));
  EXPECT_FALSE(ParseRegistryName("a:1@" + digest));
}

TEST(RegistryAuthTest, ChallengesAndBase64) {
  auto c = ParseAuthChallenge(
      R"(Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull")");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->scheme, "bearer");
  EXPECT_EQ(c->params["realm"], "https://auth.example/token");
  EXPECT_EQ(c->params["service"], "registry.example");
  EXPECT_EQ(c->params["scope"], "repository:a/b:pull");
  auto b = ParseAuthChallenge(R"(Basic realm="whittle-test")");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->scheme, "basic");
  EXPECT_FALSE(ParseAuthChallenge(""));

  for (std::string s : {"", "a", "ab", "abc", "user:pa:ss"}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("whittle:secret"), "d2hpdHRsZTpzZWNyZXQ=");
  EXPECT_FALSE(Base64Decode("abc"));
}

TEST(RegistryAuthTest, CredentialsInPrecedenceOrder) {
  testing::ImageTempDir tmp;
  testing::WriteFileOrDie(tmp.Sub("config.json"),
                          R"({"auths":{"https://reg.example:5000":{"auth":"d2hpdHRsZTpzZWNyZXQ="},)"
                          R"("bad.example":{"auth":"bm9jb2xvbg=="}}})");
  setenv("DOCKER_CONFIG", tmp.path().c_str(), 1);
  unsetenv("XDG_RUNTIME_DIR");
  auto flag = FindRegistryCredentials("reg.example:5000", "u:p");
  ASSERT_TRUE(flag && *flag);
  EXPECT_EQ((*flag)->user, "u");
  EXPECT_EQ((*flag)->source, "--creds");
  auto file = FindRegistryCredentials("reg.example:5000", "");
  ASSERT_TRUE(file && *file);
  EXPECT_EQ((*file)->user, "whittle");
  EXPECT_EQ((*file)->password, "secret");
  EXPECT_EQ((*file)->source, tmp.Sub("config.json"));
  auto none = FindRegistryCredentials("other.example", "");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  auto broken = FindRegistryCredentials("bad.example", "");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().message(),
            tmp.Sub("config.json") + ": auths[\"bad.example\"].auth is not base64 of USER:PASSWORD");
  EXPECT_FALSE(FindRegistryCredentials("x", "nocolon"));
  unsetenv("DOCKER_CONFIG");
}

// A fake docker-credential-NAME on PATH: the protocol's get, answering
// from a table of servers, logging the server URL it was asked for.
class CredentialHelperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    old_path_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    setenv("PATH", (tmp_.path() + ":" + old_path_).c_str(), 1);
    unsetenv("XDG_RUNTIME_DIR");
    setenv("DOCKER_CONFIG", tmp_.path().c_str(), 1);
  }
  void TearDown() override {
    setenv("PATH", old_path_.c_str(), 1);
    unsetenv("DOCKER_CONFIG");
  }
  // docker-credential-|name|: answers |server| with |user|/|secret|, any
  // other server with the helpers' "credentials not found" and exit 1.
  void Helper(const std::string& name, const std::string& server, const std::string& user,
              const std::string& secret) {
    std::string path = tmp_.Sub("docker-credential-" + name);
    testing::WriteFileOrDie(path, "#!/bin/sh\n"
                                  "[ \"$1\" = get ] || exit 3\n"
                                  "server=$(cat)\n"
                                  "echo \"$server\" >> '" + tmp_.Sub(name + ".asked") + "'\n"
                                  "if [ \"$server\" = '" + server + "' ]; then\n"
                                  "  printf '{\"ServerURL\":\"%s\",\"Username\":\"" + user +
                                  "\",\"Secret\":\"" + secret + "\"}' \"$server\"\n"
                                  "else echo 'credentials not found in native keychain'; exit 1; fi\n");
    chmod(path.c_str(), 0755);
  }
  std::string Asked(const std::string& name) {
    std::ifstream in(tmp_.Sub(name + ".asked"));
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  testing::ImageTempDir tmp_;
  std::string old_path_;
};

TEST_F(CredentialHelperTest, CredHelpersThenCredsStoreThenPlainAuth) {
  Helper("store", "reg.example:5000", "from-store", "s3cret-store");
  Helper("one", "one.example", "from-one", "s3cret-one");
  testing::WriteFileOrDie(tmp_.Sub("config.json"),
                          R"({"credsStore":"store","credHelpers":{"one.example":"one"},)"
                          R"("auths":{"reg.example:5000":{"auth":"cGxhaW46cGxhaW4="},)"
                          R"("plain.example":{"auth":"cGxhaW46cGxhaW4="}}})");
  // credHelpers wins for its host.
  auto one = FindRegistryCredentials("one.example", "");
  ASSERT_TRUE(one && *one) << (one ? "none" : one.error().message());
  EXPECT_EQ((*one)->user, "from-one");
  EXPECT_EQ((*one)->password, "s3cret-one");
  EXPECT_EQ((*one)->source, "docker-credential-one (credHelpers[\"one.example\"] in " + tmp_.Sub("config.json") + ")");
  EXPECT_EQ(Asked("one"), "one.example\n");
  // credsStore before the plain auth entry of the same host.
  auto store = FindRegistryCredentials("reg.example:5000", "");
  ASSERT_TRUE(store && *store);
  EXPECT_EQ((*store)->user, "from-store");
  EXPECT_EQ((*store)->password, "s3cret-store");
  // The store has nothing for plain.example: the auths entry answers.
  auto plain = FindRegistryCredentials("plain.example", "");
  ASSERT_TRUE(plain && *plain);
  EXPECT_EQ((*plain)->user, "plain");
  EXPECT_EQ((*plain)->source, tmp_.Sub("config.json"));
  // Nothing anywhere.
  auto none = FindRegistryCredentials("none.example", "");
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  // Docker Hub is asked for under its v1 index URL.
  auto hub = FindRegistryCredentials("registry-1.docker.io", "");
  ASSERT_TRUE(hub);
  EXPECT_NE(Asked("store").find("https://index.docker.io/v1/\n"), std::string::npos) << Asked("store");
  // --creds needs no helper.
  auto flag = FindRegistryCredentials("one.example", "u:p");
  ASSERT_TRUE(flag && *flag);
  EXPECT_EQ((*flag)->source, "--creds");
}

// config.json's "identitytoken" (docker login to an OAuth2 token service),
// and a helper answering Username "<token>", are refresh tokens: no user or
// password, which a registry would get as basic credentials.
TEST_F(CredentialHelperTest, IdentityTokensAreRefreshTokensNotPasswords) {
  std::string helper = tmp_.Sub("docker-credential-oauth");
  testing::WriteFileOrDie(helper,
                          "#!/bin/sh\ncat >/dev/null; echo '{\"Username\":\"<token>\",\"Secret\":\"refresh-2\"}'\n");
  chmod(helper.c_str(), 0755);
  testing::WriteFileOrDie(tmp_.Sub("config.json"),
                          R"({"credHelpers":{"helped.example":"oauth"},"auths":{"reg.example":)"
                          R"({"auth":"dXNlcjpwYXNz","identitytoken":"refresh-1"}}})");
  auto file = FindRegistryCredentials("reg.example", "");
  ASSERT_TRUE(file && *file) << (file ? "none" : file.error().message());
  EXPECT_EQ((*file)->identity_token, "refresh-1");
  EXPECT_EQ((*file)->user, "");
  EXPECT_EQ((*file)->password, "");
  EXPECT_EQ((*file)->source, tmp_.Sub("config.json"));
  auto helped = FindRegistryCredentials("helped.example", "");
  ASSERT_TRUE(helped && *helped) << (helped ? "none" : helped.error().message());
  EXPECT_EQ((*helped)->identity_token, "refresh-2");
  EXPECT_EQ((*helped)->user, "");
  EXPECT_EQ((*helped)->password, "");
  // An empty identitytoken is no token: the auth entry answers.
  testing::WriteFileOrDie(tmp_.Sub("config.json"),
                          R"({"auths":{"reg.example":{"auth":"dXNlcjpwYXNz","identitytoken":""}}})");
  auto plain = FindRegistryCredentials("reg.example", "");
  ASSERT_TRUE(plain && *plain);
  EXPECT_EQ((*plain)->user, "user");
  EXPECT_EQ((*plain)->password, "pass");
  EXPECT_EQ((*plain)->identity_token, "");
}

TEST_F(CredentialHelperTest, XdgAuthJsonComesBeforeDockerConfig) {
  testing::ImageTempDir xdg;
  ASSERT_EQ(mkdir(xdg.Sub("containers").c_str(), 0700), 0);
  testing::WriteFileOrDie(xdg.Sub("containers/auth.json"), R"({"auths":{"reg.example":{"auth":"eGRnOnhkZw=="}}})");
  testing::WriteFileOrDie(tmp_.Sub("config.json"), R"({"auths":{"reg.example":{"auth":"ZG9jazpkb2Nr"}}})");
  setenv("XDG_RUNTIME_DIR", xdg.path().c_str(), 1);
  auto c = FindRegistryCredentials("reg.example", "");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->user, "xdg");
  EXPECT_EQ((*c)->source, xdg.Sub("containers/auth.json"));
  unsetenv("XDG_RUNTIME_DIR");
  auto d = FindRegistryCredentials("reg.example", "");
  ASSERT_TRUE(d && *d);
  EXPECT_EQ((*d)->user, "dock");
}

TEST_F(CredentialHelperTest, HelperFailuresNameTheProgramNotTheOutput) {
  // A helper that is missing, one that fails, one that answers garbage
  // holding a secret, and a name that is not a name.
  std::string fails = tmp_.Sub("docker-credential-fails");
  testing::WriteFileOrDie(fails, "#!/bin/sh\necho 'leaked-secret-1' ; echo oops >&2; exit 4\n");
  chmod(fails.c_str(), 0755);
  std::string garbage = tmp_.Sub("docker-credential-garbage");
  testing::WriteFileOrDie(garbage, "#!/bin/sh\ncat >/dev/null; echo 'Secret leaked-secret-2'\n");
  chmod(garbage.c_str(), 0755);
  std::string token = tmp_.Sub("docker-credential-token");
  testing::WriteFileOrDie(token, "#!/bin/sh\ncat >/dev/null; echo '{\"Username\":\"<token>\",\"Secret\":\"x\"}'\n");
  chmod(token.c_str(), 0755);

  auto missing = RunCredentialHelper("absent-helper", "h");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("docker-credential-absent-helper"), std::string::npos)
      << missing.error().message();
  auto failed = RunCredentialHelper("fails", "h");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message(), "docker-credential-fails get: failed (exit 4)");
  auto bad = RunCredentialHelper("garbage", "h");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message().find("leaked"), std::string::npos) << bad.error().message();
  // An identity token comes back as one (registry_auth.cc makes it a refresh token).
  auto tok = RunCredentialHelper("token", "h");
  ASSERT_TRUE(tok && *tok) << (tok ? "none" : tok.error().message());
  EXPECT_EQ((*tok)->user, kIdentityTokenUser);
  EXPECT_EQ((*tok)->secret, "x");
  EXPECT_FALSE(RunCredentialHelper("../bin/sh", "h"));

  testing::WriteFileOrDie(tmp_.Sub("config.json"), R"({"credsStore":"fails"})");
  auto via_config = FindRegistryCredentials("reg.example", "");
  ASSERT_FALSE(via_config);
  EXPECT_EQ(via_config.error().message(),
            tmp_.Sub("config.json") + ": credsStore: docker-credential-fails get: failed (exit 4)");
}

}  // namespace
}  // namespace whittle
