// Runs golden CLI tests (tests/cli/*.test; format in tests/README.md):
// builds the described image and files in a fresh directory, runs each
// command there with a clean environment, and compares stdout, stderr and
// the exit code with the expectations. With WHITTLE_UPDATE_GOLDENS=1 it
// rewrites the expectations from the real runs instead (review the diff).
//
//   golden_driver --whittle PATH FILE.test...
//
// Exit 0 when every case matches (or was updated), 1 otherwise, 2 when a
// file cannot be read or parsed. ctest registers one test per file.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_test_file.h"
#include "support/image_builder.h"

namespace whittle::testing {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

std::string Slurp(int fd) {
  std::string s;
  char buf[65536];
  lseek(fd, 0, SEEK_SET);
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) s.append(buf, static_cast<size_t>(n));
  return s;
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t p = s->find(from); p != std::string::npos; p = s->find(from, p + to.size())) {
    s->replace(p, from.size(), to);
  }
}

// Runs |argv| in |dir| with stdin from /dev/null and a fixed, minimal
// environment, so nothing of the caller's terminal or locale leaks in.
Outcome Run(const std::vector<std::string>& argv, const std::string& dir) {
  Outcome o;
  std::string out_path = dir + "/.golden-stdout", err_path = dir + "/.golden-stderr";
  int out_fd = open(out_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  int err_fd = open(err_path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (out_fd < 0 || err_fd < 0) {
    o.err = "cannot create capture files in " + dir;
    return o;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  posix_spawn_file_actions_addchdir_np(&fa, dir.c_str());
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<std::string> env_strings = {"PATH=/usr/bin:/bin", "HOME=" + dir, "TMPDIR=" + dir, "LC_ALL=C", "TZ=UTC"};
  std::vector<char*> env;
  for (auto& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawn(&pid, args[0], &fa, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&fa);
  if (rc == 0) {
    int status = 0;
    waitpid(pid, &status, 0);
    o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.out = Slurp(out_fd);
    o.err = Slurp(err_fd);
  } else {
    o.err = std::string("cannot run ") + args[0] + ": " + std::strerror(rc);
  }
  close(out_fd);
  close(err_fd);
  unlink(out_path.c_str());
  unlink(err_path.c_str());
  return o;
}

// A unified diff of |want| and |got| (diff -u), for a readable failure.
std::string Diff(const std::string& dir, const std::string& want, const std::string& got) {
  std::string a = dir + "/.golden-want", b = dir + "/.golden-got";
  WriteFile(a, want);
  WriteFile(b, got);
  Outcome d = Run({"/usr/bin/diff", "-u", "--label", "want", "--label", "got", a, b}, dir);
  unlink(a.c_str());
  unlink(b.c_str());
  return d.out;
}

// Builds the setup section's image and files in |dir|. Returns "" or why not.
std::string Prepare(const CliTestFile& t, const std::string& dir) {
  if (t.image) {
    std::string err = WriteImage(*t.image, dir + "/" + ImageFileName(*t.image));
    if (!err.empty()) return err;
  }
  for (const auto& [name, content] : t.writes) {
    fs::path p = fs::path(dir) / name;
    std::error_code ec;
    fs::create_directories(p.parent_path(), ec);
    if (!WriteFile(p.string(), content)) return "cannot write " + name;
  }
  for (const auto& [name, bytes] : t.truncates) {
    std::error_code ec;
    fs::resize_file(fs::path(dir) / name, bytes, ec);
    if (ec) return "cannot truncate " + name + ": " + ec.message();
  }
  return "";
}

// Runs one .test file. Returns 0 (all matched or updated), 1 or 2.
int RunFile(const std::string& whittle, const std::string& path, bool update) {
  bool ok = false;
  std::string text = ReadFile(path, &ok);
  if (!ok) {
    std::fprintf(stderr, "%s: cannot read\n", path.c_str());
    return 2;
  }
  CliTestFile t;
  std::string err = ParseCliTestFile(text, &t);
  if (!err.empty()) {
    std::fprintf(stderr, "%s:%s\n", path.c_str(), err.c_str());
    return 2;
  }
  const char* tmp_root = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp_root && *tmp_root ? tmp_root : "/tmp") + "/whittle-golden-XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::fprintf(stderr, "%s: mkdtemp failed\n", path.c_str());
    return 2;
  }
  const std::string dir = tmpl;
  err = Prepare(t, dir);
  if (!err.empty()) {
    std::fprintf(stderr, "%s: setup: %s\n", path.c_str(), err.c_str());
    fs::remove_all(dir);
    return 2;
  }
  const std::string image = t.image ? ImageFileName(*t.image) : "IMAGE";
  int failures = 0;
  std::string rewritten = t.setup;
  for (const CliCase& c : t.cases) {
    std::vector<std::string> argv = c.argv;
    if (argv[0] == "whittle") {
      argv[0] = whittle;
    } else if (argv[0] == "cat") {
      argv[0] = "/bin/cat";
    } else {
      std::fprintf(stderr, "%s:%d: commands are whittle or cat, got '%s'\n", path.c_str(), c.line, argv[0].c_str());
      fs::remove_all(dir);
      return 2;
    }
    for (size_t k = 1; k < argv.size(); ++k) ReplaceAll(&argv[k], "IMAGE", image);
    Outcome o = Run(argv, dir);
    // Nothing of the temporary directory may show: outputs name files as
    // the command gave them (relative), but be safe.
    ReplaceAll(&o.out, dir, "$TMP");
    ReplaceAll(&o.err, dir, "$TMP");
    if (update) {
      std::string ferr;
      rewritten += FormatCliCase(c.command, o.out, o.err, o.exit_code, &ferr);
      if (!ferr.empty()) {
        std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), c.line, ferr.c_str());
        ++failures;
      }
      continue;
    }
    bool same = o.out == c.want_stdout && o.err == c.want_stderr && o.exit_code == c.want_exit;
    if (same) continue;
    ++failures;
    std::fprintf(stderr, "%s:%d: FAILED: $ %s\n", path.c_str(), c.line, c.command.c_str());
    if (o.exit_code != c.want_exit) std::fprintf(stderr, "  exit code: want %d, got %d\n", c.want_exit, o.exit_code);
    if (o.out != c.want_stdout) std::fprintf(stderr, "  stdout:\n%s", Diff(dir, c.want_stdout, o.out).c_str());
    if (o.err != c.want_stderr) std::fprintf(stderr, "  stderr:\n%s", Diff(dir, c.want_stderr, o.err).c_str());
  }
  if (std::getenv("WHITTLE_KEEP_TMP") == nullptr) {
    fs::remove_all(dir);
  } else {
    std::fprintf(stderr, "%s: kept %s\n", path.c_str(), dir.c_str());
  }
  if (update) {
    if (failures == 0 && rewritten != text) {
      if (!WriteFile(path, rewritten)) {
        std::fprintf(stderr, "%s: cannot write\n", path.c_str());
        return 2;
      }
      std::fprintf(stderr, "%s: updated\n", path.c_str());
    }
    return failures == 0 ? 0 : 1;
  }
  if (failures == 0) {
    std::printf("%s: %zu commands ok\n", path.c_str(), t.cases.size());
    return 0;
  }
  std::fprintf(stderr, "%s: %d of %zu commands failed (WHITTLE_UPDATE_GOLDENS=1 rewrites the expectations)\n",
               path.c_str(), failures, t.cases.size());
  return 1;
}

}  // namespace
}  // namespace whittle::testing

int main(int argc, char** argv) {
  std::string whittle;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--whittle" && i + 1 < argc) {
      whittle = argv[++i];
    } else {
      files.push_back(a);
    }
  }
  if (whittle.empty() || files.empty()) {
    std::fprintf(stderr, "usage: golden_driver --whittle PATH FILE.test...\n");
    return 2;
  }
  whittle = std::filesystem::absolute(whittle).string();
  const char* u = std::getenv("WHITTLE_UPDATE_GOLDENS");
  bool update = u != nullptr && std::strcmp(u, "1") == 0;
  int rc = 0;
  for (const std::string& f : files) {
    int r = whittle::testing::RunFile(whittle, f, update);
    if (r > rc) rc = r;
  }
  return rc;
}
