// docker-daemon: end to end against a real Docker Engine started by the
// fixture (tests/data/engine_fixture.sh, dockerd on a private socket): the
// Engine's export streamed off the socket gives the same numbers as the
// Engine's own `docker save` read as a file, for an image it loaded and one
// it built with BuildKit; a missing image or Engine is one line, exit 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "e2e/run_util.h"

namespace whittle::testing {
namespace {

// Also points DOCKER_HOST (inherited by whittle) at the fixture's socket.
std::string EngineDir() {
  const char* d = std::getenv("WHITTLE_ENGINE_DIR");
  if (d == nullptr) return "";
  setenv("DOCKER_HOST", ("unix://" + std::string(d) + "/docker.sock").c_str(), 1);
  return d;
}

TEST(Engine, DaemonExportMatchesTheEnginesDockerSave) {
  ASSERT_FALSE(EngineDir().empty()) << "WHITTLE_ENGINE_DIR not set (the fixture did not run)";
  const std::vector<std::vector<std::string>> views = {
      {"profile", "--json", "-n", "0", "-d", "layers,paths,waste"},
      {"profile", "--json", "-n", "0", "--verify", "-d", "files"},
      {"history", "--json"},
      {"waste", "--json"},
  };
  for (const std::string image : {"whittle-test", "whittle-built"}) {
    for (const auto& view : views) {
      std::vector<std::string> file_args = view;
      file_args.push_back(EngineDir() + "/" + image + ".save.tar");
      RunResult want = RunWhittle(file_args);
      ASSERT_EQ(want.exit_code, 0) << image << ": " << want.err;
      std::vector<std::string> args = view;
      args.push_back("docker-daemon:" + image + ":latest");
      RunResult got = RunWhittle(args);
      EXPECT_EQ(got.exit_code, 0) << image << ": " << got.err;
      EXPECT_EQ(got.err, "");
      EXPECT_EQ(DropImageField(got.out), DropImageField(want.out)) << image << " " << view[0] << " " << view.back();
    }
  }
}

TEST(Engine, MissingImageAndEngineAreOneLineErrors) {
  ASSERT_FALSE(EngineDir().empty());
  RunResult r = RunWhittle({"profile", "docker-daemon:no-such-image:1"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("whittle: docker-daemon:no-such-image:1: no such image (unix://", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;

  const std::string bin = WhittleBinary();
  RunResult gone =
      RunShell("DOCKER_HOST=unix://" + EngineDir() + "/nowhere.sock '" + bin + "' history docker-daemon:whittle-test");
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_EQ(gone.out, "");
  EXPECT_NE(gone.err.find("docker-daemon:whittle-test: cannot reach the Docker Engine at unix://"), std::string::npos)
      << gone.err;
  EXPECT_EQ(std::count(gone.err.begin(), gone.err.end(), '\n'), 1) << gone.err;

  RunResult bad = RunShell("DOCKER_HOST=ssh://host '" + bin + "' history docker-daemon:whittle-test");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err, "whittle: DOCKER_HOST=ssh://host: want unix:///PATH or tcp://HOST:PORT\n");
}

}  // namespace
}  // namespace whittle::testing
