// Platform: the os/architecture/variant triple OCI indexes select images by,
// and the rules `--platform` matching follows (the containerd ones, simplified):
// architecture aliases are normalised (x86_64 -> amd64, aarch64 -> arm64),
// arm64's default variant is v8 and amd64's is none/v1, and a wanted
// platform without a variant matches any variant.
#ifndef WHITTLE_IMAGE_PLATFORM_H_
#define WHITTLE_IMAGE_PLATFORM_H_

#include <string>
#include <string_view>

#include "util/status.h"

namespace whittle {

struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;  // may be empty

  /// "os/arch" or "os/arch/variant".
  std::string ToString() const;
};

/// Parses "os/arch[/variant]" (kUsage error otherwise), normalising aliases.
Result<Platform> ParsePlatform(std::string_view text);

/// The machine whittle runs on, from uname(2): linux/amd64 on x86_64.
Platform HostPlatform();

/// Aliases normalised; "arm64" + "" becomes "arm64" + "v8".
Platform NormalizePlatform(Platform p);

/// True when |have| (from an index) satisfies |want| (both normalised by
/// the function). An empty want.variant matches any variant.
bool PlatformMatches(const Platform& want, const Platform& have);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_PLATFORM_H_
