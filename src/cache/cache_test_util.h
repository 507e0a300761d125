// What the cache's tests share: a cache directory in a fresh temp dir that
// collects the cache's warnings, and the dive fixture image opened.
#ifndef WHITTLE_CACHE_CACHE_TEST_UTIL_H_
#define WHITTLE_CACHE_CACHE_TEST_UTIL_H_

#include <string>
#include <vector>

#include "cache/layer_cache.h"
#include "image/image.h"
#include "io/test_util.h"

namespace whittle::testing {

/// tests/data/dive/test-docker-image.tar, opened; a failed open fails the
/// calling test and gives an empty Image.
Image OpenDiveImage();

/// A cache directory ("cache" in a fresh temp dir) and the warnings the
/// caches opened with Options() gave.
struct CacheDir {
  TempDir dir;
  std::vector<std::string> warnings;

  LayerCacheOptions Options(uint64_t max_bytes = kDefaultCacheMaxBytes);
  /// The SQLite file the cache keeps there.
  std::string DbPath();
  /// Runs |sql| on that file; the first column of the first row ("" if none).
  std::string Sql(const std::string& sql);
};

}  // namespace whittle::testing

#endif  // WHITTLE_CACHE_CACHE_TEST_UTIL_H_
