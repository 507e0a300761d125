// whittle's version, defined once: the `project(VERSION ...)` in the top
// CMakeLists.txt, passed to version.cc alone as WHITTLE_VERSION; and the git
// commit of the build (cmake/git_commit.cmake).
#ifndef WHITTLE_UTIL_VERSION_H_
#define WHITTLE_UTIL_VERSION_H_

namespace whittle {

/// "0.1.0": what `whittle --version` and SARIF's tool.driver.version print.
const char* WhittleVersion();
/// The git commit whittle was built from (12 hex digits), read at build
/// time; "unknown" when built outside a git checkout.
const char* WhittleGitCommit();

}  // namespace whittle

#endif  // WHITTLE_UTIL_VERSION_H_
