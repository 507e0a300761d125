// whittle's version, defined once: the `project(VERSION ...)` in the top
// CMakeLists.txt, passed to version.cc alone as WHITTLE_VERSION.
#ifndef WHITTLE_UTIL_VERSION_H_
#define WHITTLE_UTIL_VERSION_H_

namespace whittle {

/// "0.1.0": what `whittle --version` and SARIF's tool.driver.version print.
const char* WhittleVersion();

}  // namespace whittle

#endif  // WHITTLE_UTIL_VERSION_H_
