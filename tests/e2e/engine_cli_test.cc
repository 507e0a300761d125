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
      {"history", "--json", "--scan"},
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

// Podman's Engine-compatible API (`podman system service` on a socket) as
// docker-daemon: with DOCKER_HOST: its export gives the numbers of podman's
// own `podman save` of the image read as a file.
TEST(Engine, PodmanServiceIsAnEngine) {
  ASSERT_FALSE(EngineDir().empty());
  const std::string host = "DOCKER_HOST=unix://" + EngineDir() + "/podman.sock ";
  const std::string bin = WhittleBinary();
  for (const std::string view : {"profile --json -n 0 -d layers,paths,waste", "history --json --scan", "waste --json"}) {
    RunResult want = RunShell("'" + bin + "' " + view + " '" + EngineDir() + "/whittle-test.podman-save.tar'");
    ASSERT_EQ(want.exit_code, 0) << want.err;
    RunResult got = RunShell(host + "'" + bin + "' " + view + " docker-daemon:whittle-test:latest");
    EXPECT_EQ(got.exit_code, 0) << view << ": " << got.err;
    EXPECT_EQ(got.err, "");
    EXPECT_EQ(DropImageField(got.out), DropImageField(want.out)) << view;
  }
  RunResult missing = RunShell(host + "'" + bin + "' history docker-daemon:whittle-nope:latest");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("docker-daemon:whittle-nope:latest"), std::string::npos) << missing.err;
}

// history without --scan: the Engine's own rows (/images/NAME/history, read
// here with curl on the same socket) and SIZE, the RootFS layers as diff_ids,
// and no export.
TEST(Engine, HistoryIsTheEnginesHistory) {
  ASSERT_FALSE(EngineDir().empty());
  const std::string sock = EngineDir() + "/docker.sock";
  const std::string bin = WhittleBinary();
  for (const std::string image : {"whittle-test", "whittle-built"}) {
    RunResult engine = RunShell(
        "curl -sf --unix-socket '" + sock + "' http://localhost/images/" + image +
        ":latest/history | python3 -c 'import json,sys\n"
        "for r in reversed(json.load(sys.stdin)): print(repr(r[\"CreatedBy\"]), r[\"Size\"])'");
    ASSERT_EQ(engine.exit_code, 0) << engine.err;
    RunResult rootfs = RunShell("curl -sf --unix-socket '" + sock + "' http://localhost/images/" + image +
                                ":latest/json | python3 -c 'import json,sys\n"
                                "for d in json.load(sys.stdin)[\"RootFS\"][\"Layers\"]: print(d)'");
    ASSERT_EQ(rootfs.exit_code, 0) << rootfs.err;
    RunResult got = RunShell("'" + bin + "' history --json docker-daemon:" + image +
                             ":latest | python3 -c 'import json,sys\n"
                             "rows=json.load(sys.stdin)\n"
                             "for r in rows: print(repr(r[\"createdBy\"]), r[\"size\"])\n"
                             "print(\"--\")\n"
                             "for r in rows:\n"
                             "  if r[\"layer\"] is not None: print(r[\"diffId\"], r[\"tarSize\"], r[\"blobSize\"], "
                             "r[\"files\"])'");
    ASSERT_EQ(got.exit_code, 0) << got.err;
    std::string layers;
    for (size_t start = 0; start < rootfs.out.size();) {
      size_t nl = rootfs.out.find('\n', start);
      layers += rootfs.out.substr(start, nl - start) + " None None None\n";
      start = nl + 1;
    }
    EXPECT_EQ(got.out, engine.out + "--\n" + layers) << image;
    EXPECT_GE(std::count(layers.begin(), layers.end(), '\n'), 1);
  }
  // The table: the Engine's SIZE, "-" for the rest.
  RunResult table = RunWhittle({"history", "docker-daemon:whittle-built:latest"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_EQ(table.err, "");
  EXPECT_NE(table.out.find("rm /data/a.txt"), std::string::npos) << table.out;
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
