#include "util/version.h"

#include "util/git_commit.h"  // generated: build/src/util/generated/

#ifndef WHITTLE_VERSION
#error "WHITTLE_VERSION comes from CMake (src/util/CMakeLists.txt)"
#endif

namespace whittle {

const char* WhittleVersion() { return WHITTLE_VERSION; }

const char* WhittleGitCommit() { return WHITTLE_GIT_COMMIT; }

}  // namespace whittle
