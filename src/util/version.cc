#include "util/version.h"

#ifndef WHITTLE_VERSION
#error "WHITTLE_VERSION comes from CMake (src/util/CMakeLists.txt)"
#endif

namespace whittle {

const char* WhittleVersion() { return WHITTLE_VERSION; }

}  // namespace whittle
