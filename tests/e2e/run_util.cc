#include "e2e/run_util.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "util/file_util.h"

extern char** environ;

namespace whittle::testing {

namespace {

std::string Slurp(int fd) {
  std::string s;
  char buf[65536];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

}  // namespace

RunResult RunCommand(const std::vector<std::string>& argv) {
  RunResult r;
  char out_tmpl[] = "/tmp/whittle-e2e-out-XXXXXX";
  char err_tmpl[] = "/tmp/whittle-e2e-err-XXXXXX";
  int out_fd = mkstemp(out_tmpl);
  int err_fd = mkstemp(err_tmpl);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ) == 0) {
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    r.max_rss_kib = usage.ru_maxrss;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  posix_spawn_file_actions_destroy(&fa);
  lseek(out_fd, 0, SEEK_SET);
  lseek(err_fd, 0, SEEK_SET);
  r.out = Slurp(out_fd);
  r.err = Slurp(err_fd);
  close(out_fd);
  close(err_fd);
  unlink(out_tmpl);
  unlink(err_tmpl);
  return r;
}

RunResult RunWhittle(const std::vector<std::string>& args) {
  const char* bin = std::getenv("WHITTLE_BIN");
  std::vector<std::string> argv{bin ? bin : WHITTLE_BINARY_DIR "/whittle"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

std::string DropImageField(const std::string& json) {
  std::string out;
  size_t pos = 0;
  while (pos < json.size()) {
    size_t nl = json.find('\n', pos);
    size_t end = nl == std::string::npos ? json.size() : nl + 1;
    if (json.compare(pos, 11, "  \"image\": ") != 0) out.append(json, pos, end - pos);
    pos = end;
  }
  return out;
}

std::string WhittleBinary() {
  const char* bin = std::getenv("WHITTLE_BIN");
  return bin ? bin : WHITTLE_BINARY_DIR "/whittle";
}

RunResult RunShell(const std::string& command) { return RunCommand({"bash", "-c", command}); }

std::string SourcePath(const std::string& rel) { return std::string(WHITTLE_SOURCE_DIR) + "/" + rel; }

std::string ReadFileOrDie(const std::string& path) {
  auto text = ReadFileToString(path, 64u << 20);
  return text ? *text : "<" + text.error().message() + ">";
}

std::string MakeTempDir() {
  const char* t = std::getenv("TMPDIR");
  std::string tmpl = std::string(t && *t ? t : "/tmp") + "/whittle-e2e-XXXXXX";
  char* d = mkdtemp(tmpl.data());
  return d ? std::string(d) : std::string();
}

std::string CheckGolden(const std::string& name, const std::string& got) {
  std::string path = SourcePath("tests/cli/" + name);
  const char* update = std::getenv("WHITTLE_UPDATE_GOLDENS");
  if (update && std::strcmp(update, "1") == 0) {
    std::ofstream(path, std::ios::binary) << got;
    return "";
  }
  std::string want = ReadFileOrDie(path);
  if (want == got) return "";
  // First differing line, for a readable failure.
  std::istringstream a(want), b(got);
  std::string la, lb;
  int line = 0;
  while (true) {
    ++line;
    bool ea = !std::getline(a, la), eb = !std::getline(b, lb);
    if (ea && eb) break;
    if (ea || eb || la != lb) {
      return "golden " + name + " differs at line " + std::to_string(line) + ":\n  want: " +
             (ea ? "<eof>" : la) + "\n  got:  " + (eb ? "<eof>" : lb) +
             "\n(rerun with WHITTLE_UPDATE_GOLDENS=1 to accept)";
    }
  }
  return "golden " + name + " differs (line endings?)";
}

}  // namespace whittle::testing
