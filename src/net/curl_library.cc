#include "net/curl_library.h"

#include <dlfcn.h>

#include <mutex>
#include <string>

namespace whittle {

namespace {

constexpr const char kSoname[] = "libcurl.so.4";

struct Loaded {
  CurlLibrary lib{};
  Status status;
};

template <typename Fn>
bool Bind(void* handle, const char* name, Fn* out, std::string* missing) {
  void* sym = dlsym(handle, name);
  if (sym == nullptr) {
    if (missing->empty()) *missing = name;
    return false;
  }
  *out = reinterpret_cast<Fn>(sym);
  return true;
}

Loaded Load() {
  Loaded r;
  // RTLD_NOW: a broken library fails here, once, not in the middle of a
  // transfer. Never closed: curl's global state lives as long as the process.
  void* handle = dlopen(kSoname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    r.status = Error(Errc::kUnsupported, std::string("cannot load ") + kSoname + " (Debian package libcurl4), needed " +
                                             "for docker:// and docker-daemon: images: " + (why ? why : "unknown error"));
    return r;
  }
  CurlLibrary& c = r.lib;
  std::string missing;
  Bind(handle, "curl_global_init", &c.global_init, &missing);
  Bind(handle, "curl_version_info", &c.version_info, &missing);
  Bind(handle, "curl_easy_init", &c.easy_init, &missing);
  Bind(handle, "curl_easy_setopt", &c.easy_setopt, &missing);
  Bind(handle, "curl_easy_getinfo", &c.easy_getinfo, &missing);
  Bind(handle, "curl_easy_strerror", &c.easy_strerror, &missing);
  Bind(handle, "curl_easy_cleanup", &c.easy_cleanup, &missing);
  Bind(handle, "curl_multi_init", &c.multi_init, &missing);
  Bind(handle, "curl_multi_setopt", &c.multi_setopt, &missing);
  Bind(handle, "curl_multi_add_handle", &c.multi_add_handle, &missing);
  Bind(handle, "curl_multi_remove_handle", &c.multi_remove_handle, &missing);
  Bind(handle, "curl_multi_perform", &c.multi_perform, &missing);
  Bind(handle, "curl_multi_poll", &c.multi_poll, &missing);
  Bind(handle, "curl_multi_info_read", &c.multi_info_read, &missing);
  Bind(handle, "curl_multi_strerror", &c.multi_strerror, &missing);
  Bind(handle, "curl_multi_cleanup", &c.multi_cleanup, &missing);
  Bind(handle, "curl_share_init", &c.share_init, &missing);
  Bind(handle, "curl_share_setopt", &c.share_setopt, &missing);
  Bind(handle, "curl_slist_append", &c.slist_append, &missing);
  Bind(handle, "curl_slist_free_all", &c.slist_free_all, &missing);
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
