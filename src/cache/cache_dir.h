// Where the layer cache lives when --cache-dir does not say:
// $XDG_CACHE_HOME/whittle, else $HOME/.cache/whittle (the XDG base
// directory rule; a relative XDG_CACHE_HOME is ignored, as the spec says).
#ifndef WHITTLE_CACHE_CACHE_DIR_H_
#define WHITTLE_CACHE_CACHE_DIR_H_

#include <string>

namespace whittle {

/// The default cache directory from |xdg_cache_home| and |home| (either may
/// be null or empty); "" when neither gives an absolute path.
std::string DefaultCacheDir(const char* xdg_cache_home, const char* home);

/// DefaultCacheDir of this process's environment.
std::string DefaultCacheDirFromEnvironment();

}  // namespace whittle

#endif  // WHITTLE_CACHE_CACHE_DIR_H_
