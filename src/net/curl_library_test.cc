#include "net/curl_library.h"

#include <gtest/gtest.h>

#include <string>

namespace whittle {
namespace {

// The library loads, every function the transfers use is bound, and it is
// the libcurl the header describes (same major version: the soname's ABI).
TEST(CurlLibrary, LoadsOnceWithEveryFunction) {
  Result<const CurlLibrary*> a = LoadCurl();
  ASSERT_TRUE(a.has_value()) << a.error().message();
  const CurlLibrary& c = **a;
  const void* fns[] = {
      reinterpret_cast<const void*>(c.global_init),   reinterpret_cast<const void*>(c.version_info),
      reinterpret_cast<const void*>(c.easy_init),     reinterpret_cast<const void*>(c.easy_setopt),
      reinterpret_cast<const void*>(c.easy_getinfo),  reinterpret_cast<const void*>(c.easy_strerror),
      reinterpret_cast<const void*>(c.easy_cleanup),  reinterpret_cast<const void*>(c.multi_init),
      reinterpret_cast<const void*>(c.multi_setopt),  reinterpret_cast<const void*>(c.multi_add_handle),
      reinterpret_cast<const void*>(c.multi_remove_handle), reinterpret_cast<const void*>(c.multi_perform),
      reinterpret_cast<const void*>(c.multi_poll),    reinterpret_cast<const void*>(c.multi_info_read),
      reinterpret_cast<const void*>(c.multi_strerror), reinterpret_cast<const void*>(c.multi_cleanup),
      reinterpret_cast<const void*>(c.share_init),    reinterpret_cast<const void*>(c.share_setopt),
      reinterpret_cast<const void*>(c.slist_append),  reinterpret_cast<const void*>(c.slist_free_all),
  };
  for (const void* f : fns) EXPECT_NE(f, nullptr);
  const curl_version_info_data* info = c.version_info(CURLVERSION_NOW);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->version_num >> 16, static_cast<unsigned>(LIBCURL_VERSION_MAJOR)) << info->version;
  Result<const CurlLibrary*> b = LoadCurl();
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(*a, *b);  // one load per process
}

// The functions work through the pointers: an easy handle, a header list.
TEST(CurlLibrary, HandlesWorkThroughThePointers) {
  Result<const CurlLibrary*> lib = LoadCurl();
  ASSERT_TRUE(lib.has_value()) << lib.error().message();
  const CurlLibrary& c = **lib;
  CURL* easy = c.easy_init();
  ASSERT_NE(easy, nullptr);
  EXPECT_EQ(c.easy_setopt(easy, CURLOPT_URL, "http://127.0.0.1:1/"), CURLE_OK);
  curl_slist* headers = c.slist_append(nullptr, "Accept: x");
  ASSERT_NE(headers, nullptr);
  EXPECT_EQ(std::string(headers->data), "Accept: x");
  c.slist_free_all(headers);
  c.easy_cleanup(easy);
  EXPECT_EQ(std::string(c.easy_strerror(CURLE_COULDNT_CONNECT)), "Couldn't connect to server");
}

}  // namespace
}  // namespace whittle
