#include "util/huge_pages.h"

#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

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

}  // namespace

std::optional<std::string> HugePagesTunables(const HugePagesInputs& in) {
  if (in.whittle_switch.has_value() || in.secure) return std::nullopt;
  // "always": every mapping gets them already; "never": none can.
  if (in.thp_enabled.find("[madvise]") == std::string::npos) return std::nullopt;
  if (in.image_bytes < kHugePagesMinImageBytes) return std::nullopt;
  if (!in.glibc_tunables.has_value() || in.glibc_tunables->empty()) return std::string(kHugeTlb) + "=1";
  if (in.glibc_tunables->find(kHugeTlb) != std::string::npos) return std::nullopt;  // set already, either way
  return *in.glibc_tunables + ":" + kHugeTlb + "=1";
}

uint64_t LocalImageBytes(std::string_view path) {
  if (path.empty()) return 0;
  std::error_code ec;
  const std::filesystem::path p(path);
  const auto status = std::filesystem::status(p, ec);
  if (ec) return 0;
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(p, ec);
    return ec ? 0 : size;
  }
  if (!std::filesystem::is_directory(status)) return 0;
  uint64_t total = 0;
  int seen = 0;
  std::filesystem::recursive_directory_iterator it(p, std::filesystem::directory_options::skip_permission_denied, ec);
  for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (++seen > 100000) break;
    std::error_code e2;
    if (it->is_regular_file(e2)) {
      const auto size = it->file_size(e2);
      if (!e2) total += size;
    }
  }
  return total;
}

void SetArgvForReexec(char** argv) { g_argv = argv; }

void ReexecForHugePages(uint64_t image_bytes) {
  if (g_argv == nullptr || g_argv[0] == nullptr) return;
  HugePagesInputs in;
  in.whittle_switch = Env(kSwitch);
  if (in.whittle_switch.has_value() || image_bytes < kHugePagesMinImageBytes) return;  // no sysfs read
  in.glibc_tunables = Env(kTunables);
  in.thp_enabled = ReadSmallFile("/sys/kernel/mm/transparent_hugepage/enabled");
  in.secure = getauxval(AT_SECURE) != 0;
  in.image_bytes = image_bytes;
  const std::optional<std::string> tunables = HugePagesTunables(in);
  if (!tunables) return;
  setenv(kTunables, tunables->c_str(), 1);
  setenv(kSwitch, "on", 1);
  execv("/proc/self/exe", g_argv);
  // No /proc, or no exec allowed: carry on with 4 KiB pages.
  if (in.glibc_tunables) {
    setenv(kTunables, in.glibc_tunables->c_str(), 1);
  } else {
    unsetenv(kTunables);
  }
  unsetenv(kSwitch);
}

}  // namespace whittle
