#include "cache/cache_dir.h"

#include <cstdlib>

namespace whittle {

std::string DefaultCacheDir(const char* xdg_cache_home, const char* home) {
  if (xdg_cache_home != nullptr && xdg_cache_home[0] == '/') return std::string(xdg_cache_home) + "/whittle";
  if (home != nullptr && home[0] == '/') return std::string(home) + "/.cache/whittle";
  return "";
}

std::string DefaultCacheDirFromEnvironment() {
  return DefaultCacheDir(std::getenv("XDG_CACHE_HOME"), std::getenv("HOME"));
}

}  // namespace whittle
