// libcurl, loaded when the first network transfer starts (dlopen of
// libcurl.so.4, the Debian package libcurl4) instead of linked into the
// binary. Linking it makes every process load libcurl's ~30 dependencies
// (TLS, Kerberos, LDAP, SSH, IDN...) before main: on the project's machines
// that is about 14 ms of start-up and 4.7 MiB of resident memory for every
// verb, including the local ones that never open a socket (`lint` in a
// pre-commit hook, `profile` of a tar, a warm cache hit). The network
// sources pay it once, when they first need it.
//
// Only the functions http.cc and --version call are looked up; each is
// checked against curl.h's prototype (the header of the libcurl4-openssl-dev
// the build used: the same soname, so the same ABI).
#ifndef WHITTLE_NET_CURL_LIBRARY_H_
#define WHITTLE_NET_CURL_LIBRARY_H_

#include <curl/curl.h>

#include "util/status.h"

namespace whittle {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_version_info) version_info;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_setopt) multi_setopt;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_strerror) multi_strerror;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_share_init) share_init;
  decltype(&::curl_share_setopt) share_setopt;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

/// The loaded library, initialised once (curl_global_init) for the whole
/// process; thread-safe. Fails, the same way on every call, with one line
/// naming the library and dlopen's or dlsym's reason when libcurl.so.4 is
/// missing or lacks a function.
Result<const CurlLibrary*> LoadCurl();

}  // namespace whittle

#endif  // WHITTLE_NET_CURL_LIBRARY_H_
