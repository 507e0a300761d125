#include "cache/cache_dir.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(DefaultCacheDir, XdgCacheHomeWins) {
  EXPECT_EQ(DefaultCacheDir("/xdg", "/home/u"), "/xdg/whittle");
}

TEST(DefaultCacheDir, HomeDotCacheOtherwise) {
  EXPECT_EQ(DefaultCacheDir(nullptr, "/home/u"), "/home/u/.cache/whittle");
  EXPECT_EQ(DefaultCacheDir("", "/home/u"), "/home/u/.cache/whittle");
}

TEST(DefaultCacheDir, RelativeXdgIsIgnored) {
  EXPECT_EQ(DefaultCacheDir("rel/cache", "/home/u"), "/home/u/.cache/whittle");
}

TEST(DefaultCacheDir, NoneWithoutAnAbsolutePath) {
  EXPECT_EQ(DefaultCacheDir(nullptr, nullptr), "");
  EXPECT_EQ(DefaultCacheDir("x", "y"), "");
}

}  // namespace
}  // namespace whittle
