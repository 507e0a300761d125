// docker:// names, WWW-Authenticate challenges and credential files.
#include <gtest/gtest.h>

#include <cstdlib>

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

}  // namespace
}  // namespace whittle
