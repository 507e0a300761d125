#include "net/curl_library.h"

#include <mutex>
#include <string>

#include "util/dynamic_library.h"

namespace whittle {

namespace {

constexpr const char kSoname[] = "libcurl.so.4";

struct Loaded {
  CurlLibrary lib{};
  Status status;
};

Loaded Load() {
  Loaded r;
  // Fails here, once, not in the middle of a transfer. Never closed: curl's
  // global state lives as long as the process.
  Result<void*> opened = OpenDynamicLibrary(kSoname, "libcurl4", "docker:// and docker-daemon: images");
  if (!opened.has_value()) {
    r.status = opened.error();
    return r;
  }
  void* handle = *opened;
  CurlLibrary& c = r.lib;
  std::string missing;
  BindSymbol(handle, "curl_global_init", &c.global_init, &missing);
  BindSymbol(handle, "curl_version_info", &c.version_info, &missing);
  BindSymbol(handle, "curl_easy_init", &c.easy_init, &missing);
  BindSymbol(handle, "curl_easy_setopt", &c.easy_setopt, &missing);
  BindSymbol(handle, "curl_easy_getinfo", &c.easy_getinfo, &missing);
  BindSymbol(handle, "curl_easy_strerror", &c.easy_strerror, &missing);
  BindSymbol(handle, "curl_easy_cleanup", &c.easy_cleanup, &missing);
  BindSymbol(handle, "curl_multi_init", &c.multi_init, &missing);
  BindSymbol(handle, "curl_multi_setopt", &c.multi_setopt, &missing);
  BindSymbol(handle, "curl_multi_add_handle", &c.multi_add_handle, &missing);
  BindSymbol(handle, "curl_multi_remove_handle", &c.multi_remove_handle, &missing);
  BindSymbol(handle, "curl_multi_perform", &c.multi_perform, &missing);
  BindSymbol(handle, "curl_multi_poll", &c.multi_poll, &missing);
  BindSymbol(handle, "curl_multi_info_read", &c.multi_info_read, &missing);
  BindSymbol(handle, "curl_multi_strerror", &c.multi_strerror, &missing);
  BindSymbol(handle, "curl_multi_cleanup", &c.multi_cleanup, &missing);
  BindSymbol(handle, "curl_share_init", &c.share_init, &missing);
  BindSymbol(handle, "curl_share_setopt", &c.share_setopt, &missing);
  BindSymbol(handle, "curl_slist_append", &c.slist_append, &missing);
  BindSymbol(handle, "curl_slist_free_all", &c.slist_free_all, &missing);
  if (!missing.empty()) {
    r.status = Error(Errc::kUnsupported, std::string(kSoname) + " has no " + missing + ": a libcurl older than " +
                                             LIBCURL_VERSION + " (the version whittle was built with)");
    return r;
  }
  CURLcode rc = c.global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    r.status = Error(Errc::kIo, std::string(kSoname) + ": curl_global_init failed: " + c.easy_strerror(rc));
  }
  return r;
}

}  // namespace

Result<const CurlLibrary*> LoadCurl() {
  static std::once_flag once;
  static Loaded* loaded = nullptr;  // never freed, like the library
  std::call_once(once, [] { loaded = new Loaded(Load()); });
  if (!loaded->status.ok()) return loaded->status;
  return &loaded->lib;
}

}  // namespace whittle
