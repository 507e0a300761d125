#include "image/credential_helper.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "image/json_util.h"
#include "util/strings.h"

extern char** environ;

namespace whittle {
namespace {

constexpr size_t kOutputCap = 64 * 1024;

bool ValidHelperName(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

// Writes |data| to |fd| with SIGPIPE blocked in this thread (a helper that
// exits without reading must not kill whittle); a pending SIGPIPE is
// consumed before the mask is restored.
void WriteIgnoringPipe(int fd, const std::string& data) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  size_t off = 0;
  bool broke = false;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      broke = errno == EPIPE;
      break;
    }
    off += static_cast<size_t>(n);
  }
  if (broke) {
    timespec zero = {0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

struct Pipe {
  int fd[2] = {-1, -1};
  ~Pipe() {
    for (int f : fd) {
      if (f >= 0) close(f);
    }
  }
  void Close(int i) {
    if (fd[i] >= 0) close(fd[i]);
    fd[i] = -1;
  }
};

}  // namespace

Result<std::optional<HelperCredentials>> RunCredentialHelper(const std::string& name, const std::string& server,
                                                             int timeout_s) {
  const std::string program = "docker-credential-" + name;
  if (!ValidHelperName(name)) {
    return Error(Errc::kIo, StrFormat("credential helper '%s': not a helper name (letters, digits, . _ -)",
                                      EscapeForMessage(name).c_str()));
  }
  Pipe in, out;
  if (pipe2(in.fd, O_CLOEXEC) != 0 || pipe2(out.fd, O_CLOEXEC) != 0) {
    return Error(Errc::kIo, program + ": cannot make a pipe: " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("get"), nullptr};
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Error(Errc::kIo, StrFormat("%s: cannot run it (%s); config.json names it in credsStore or credHelpers",
                                      program.c_str(), std::strerror(rc)));
  }
  in.Close(0);
  out.Close(1);
  WriteIgnoringPipe(in.fd[1], server);
  in.Close(1);

  std::string output;
  bool too_long = false, timed_out = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p = {out.fd[0], POLLIN, 0};
    int pr = poll(&p, 1, static_cast<int>(left.count()));
    if (pr < 0 && errno == EINTR) continue;
    if (pr <= 0) {
      timed_out = pr == 0;
      break;
    }
    char buf[4096];
    ssize_t n = read(out.fd[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (output.size() + static_cast<size_t>(n) > kOutputCap) {
      too_long = true;
      break;
    }
    output.append(buf, static_cast<size_t>(n));
  }
  if (timed_out || too_long) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return Error(Errc::kIo, StrFormat("%s get: no answer in %d s (killed)", program.c_str(), timeout_s));
  if (too_long) return Error(Errc::kIo, StrFormat("%s get: answer larger than %zu bytes", program.c_str(), kOutputCap));
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    if (output.find("credentials not found") != std::string::npos) return std::optional<HelperCredentials>();
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 127) {
      return Error(Errc::kIo, program + ": not found on PATH; config.json names it in credsStore or credHelpers");
    }
    return Error(Errc::kIo, WIFEXITED(wstatus) ? StrFormat("%s get: failed (exit %d)", program.c_str(),
                                                           WEXITSTATUS(wstatus))
                                               : StrFormat("%s get: killed by signal %d", program.c_str(),
                                                           WTERMSIG(wstatus)));
  }
  Json j = Json::parse(output, nullptr, false);
  if (!j.is_object() || !j.contains("Username") || !j["Username"].is_string() || !j.contains("Secret") ||
      !j["Secret"].is_string()) {
    return Error(Errc::kIo, program + " get: the answer is not {\"Username\", \"Secret\"} JSON");
  }
  HelperCredentials c;
  c.user = j["Username"].get<std::string>();
  c.secret = j["Secret"].get<std::string>();
  return std::optional<HelperCredentials>(std::move(c));
}

}  // namespace whittle
