#include "util/dynamic_library.h"

#include <dlfcn.h>

namespace whittle {

Result<void*> OpenDynamicLibrary(const char* soname, const char* package, const char* purpose) {
  void* handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return Error(Errc::kUnsupported, std::string("cannot load ") + soname + " (Debian package " + package +
                                         "), needed for " + purpose + ": " + (why ? why : "unknown error"));
  }
  return handle;
}

void* FindSymbol(void* handle, const char* name, std::string* missing) {
  void* sym = dlsym(handle, name);
  if (sym == nullptr && missing->empty()) *missing = name;
  return sym;
}

}  // namespace whittle
