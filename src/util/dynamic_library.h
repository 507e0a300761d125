// A shared library loaded at run time (dlopen) instead of linked, for the
// dependencies only some verbs need: libcurl for the network sources
// (net/curl_library.h), libpq for `whittle scan --db postgres://`
// (fleet/pq_library.h). A linked library and its own dependencies are
// loaded before main by every process, local verbs included; these are
// loaded by the first caller that needs them.
//
// This is the dlopen/dlsym plumbing only. Each library keeps its table of
// function pointers, typed from its own header (decltype of the prototype),
// and its once-per-process load in its own file.
#ifndef WHITTLE_UTIL_DYNAMIC_LIBRARY_H_
#define WHITTLE_UTIL_DYNAMIC_LIBRARY_H_

#include <string>

#include "util/status.h"

namespace whittle {

/// dlopen(|soname|, RTLD_NOW | RTLD_LOCAL): a broken library fails here,
/// not at its first call. The handle is never closed (the callers keep the
/// library's global state for the life of the process). Fails (kUnsupported)
/// with "cannot load SONAME (Debian package PACKAGE), needed for PURPOSE:
/// dlerror's reason".
Result<void*> OpenDynamicLibrary(const char* soname, const char* package, const char* purpose);

/// Looks up |name| in |handle| into |*out|. On a miss |*out| is null and
/// the first missing name is kept in |*missing| (check it once after all
/// the lookups).
void* FindSymbol(void* handle, const char* name, std::string* missing);
template <typename Fn>
void BindSymbol(void* handle, const char* name, Fn* out, std::string* missing) {
  *out = reinterpret_cast<Fn>(FindSymbol(handle, name, missing));
}

}  // namespace whittle

#endif  // WHITTLE_UTIL_DYNAMIC_LIBRARY_H_
