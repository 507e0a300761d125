#include "image/platform.h"

#include <sys/utsname.h>

#include "util/strings.h"

namespace whittle {

std::string Platform::ToString() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

Platform NormalizePlatform(Platform p) {
  if (p.architecture == "x86_64" || p.architecture == "x86-64") p.architecture = "amd64";
  if (p.architecture == "aarch64") p.architecture = "arm64";
  if (p.architecture == "i386" || p.architecture == "i686") p.architecture = "386";
  if (p.architecture == "armhf" || p.architecture == "armv7l") {
    p.architecture = "arm";
    if (p.variant.empty()) p.variant = "v7";
  }
  if (p.architecture == "armel") {
    p.architecture = "arm";
    if (p.variant.empty()) p.variant = "v6";
  }
  if (p.architecture == "arm64" && p.variant.empty()) p.variant = "v8";
  if (p.architecture == "amd64" && p.variant == "v1") p.variant.clear();
  return p;
}

Result<Platform> ParsePlatform(std::string_view text) {
  auto parts = Split(text, '/');
  if (parts.size() < 2 || parts.size() > 3) {
    return Error(Errc::kUsage, StrFormat("bad platform '%s': want os/arch[/variant], e.g. "
                                         "linux/amd64 or linux/arm64/v8",
                                         EscapeForMessage(text).c_str()));
  }
  for (std::string_view p : parts) {
    if (p.empty()) {
      return Error(Errc::kUsage, StrFormat("bad platform '%s': empty component",
                                           EscapeForMessage(text).c_str()));
    }
  }
  Platform p;
  p.os = std::string(parts[0]);
  p.architecture = std::string(parts[1]);
  if (parts.size() == 3) p.variant = std::string(parts[2]);
  return NormalizePlatform(std::move(p));
}

Platform HostPlatform() {
  Platform p;
  p.os = "linux";
  struct utsname u;
  if (::uname(&u) == 0) {
    p.architecture = u.machine;
  } else {
    p.architecture = "amd64";
  }
  if (p.architecture == "armv6l") {
    p.architecture = "arm";
    p.variant = "v6";
  }
  return NormalizePlatform(std::move(p));
}

bool PlatformMatches(const Platform& want_in, const Platform& have_in) {
  Platform want = NormalizePlatform(want_in);
  Platform have = NormalizePlatform(have_in);
  if (want.os != have.os || want.architecture != have.architecture) return false;
  if (want_in.variant.empty()) return true;
  return want.variant == have.variant;
}

}  // namespace whittle
