#include "util/huge_pages.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/auxv.h>
#include <unistd.h>

#include <cstdlib>
#include <string_view>

namespace whittle {
namespace {

constexpr char kSwitch[] = "WHITTLE_HUGE_PAGES";
constexpr char kTunables[] = "GLIBC_TUNABLES";
constexpr char kHugeTlb[] = "glibc.malloc.hugetlb";

char** g_argv = nullptr;

std::optional<std::string> Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

// The first line of a small file, or "" (a missing file: no THP at all).
std::string ReadSmallFile(const char* path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buf[256];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// SIGINT and SIGTERM: held across the exec.
sigset_t InterruptSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

std::optional<std::string> HugePagesTunables(const HugePagesInputs& in) {
  // Opt-in: "1". The re-run carries "on" or "held"; anything else is off.
  if (in.whittle_switch != "1" || in.secure) return std::nullopt;
  // "always": every mapping gets them already; "never": none can.
  if (in.thp_enabled.find("[madvise]") == std::string::npos) return std::nullopt;
  if (in.image_bytes < kHugePagesMinImageBytes) return std::nullopt;
  if (!in.glibc_tunables.has_value() || in.glibc_tunables->empty()) return std::string(kHugeTlb) + "=1";
  if (in.glibc_tunables->find(kHugeTlb) != std::string::npos) return std::nullopt;  // set already, either way
  return *in.glibc_tunables + ":" + kHugeTlb + "=1";
}

void SetArgvForReexec(char** argv) { g_argv = argv; }

void ReexecForHugePages(uint64_t image_bytes) {
  if (g_argv == nullptr || g_argv[0] == nullptr) return;
  HugePagesInputs in;
  in.whittle_switch = Env(kSwitch);
  if (in.whittle_switch != "1") return;  // off (the default): not even the sysfs read
  in.glibc_tunables = Env(kTunables);
  in.thp_enabled = ReadSmallFile("/sys/kernel/mm/transparent_hugepage/enabled");
  in.secure = getauxval(AT_SECURE) != 0;
  in.image_bytes = image_bytes;
  const std::optional<std::string> tunables = HugePagesTunables(in);
  if (!tunables) return;
  // Hold SIGINT and SIGTERM across the exec, unless the parent blocked them
  // already (then they stay as the parent set them).
  const sigset_t held = InterruptSignals();
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &held, &old);
  const bool holding = sigismember(&old, SIGINT) == 0 && sigismember(&old, SIGTERM) == 0;
  if (!holding) pthread_sigmask(SIG_SETMASK, &old, nullptr);
  setenv(kTunables, tunables->c_str(), 1);
  setenv(kSwitch, holding ? "held" : "on", 1);
  execv("/proc/self/exe", g_argv);
  // No /proc, or no exec allowed: carry on with 4 KiB pages.
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (in.glibc_tunables) {
    setenv(kTunables, in.glibc_tunables->c_str(), 1);
  } else {
    unsetenv(kTunables);
  }
  unsetenv(kSwitch);
}

void ReleaseSignalsHeldForReexec() {
  const char* v = std::getenv(kSwitch);
  if (v == nullptr || std::string_view(v) != "held") return;
  setenv(kSwitch, "on", 1);  // a child of this run holds nothing
  const sigset_t held = InterruptSignals();
  pthread_sigmask(SIG_UNBLOCK, &held, nullptr);
}

}  // namespace whittle
