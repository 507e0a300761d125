// What `whittle --version` prints: whittle's version and git commit, and the
// version of each library it runs with. Library versions come from the
// libraries' own runtime calls (the shared object actually loaded), except
// where a library has none: ISA-L (its header's version) and nlohmann-json
// (header-only).
#ifndef WHITTLE_CLI_VERSION_TEXT_H_
#define WHITTLE_CLI_VERSION_TEXT_H_

#include <string>
#include <utility>
#include <vector>

namespace whittle {

/// {name, version} of every library whittle links, in a fixed order.
std::vector<std::pair<std::string, std::string>> LibraryVersions();

/// "whittle 0.1.0\ncommit 0123456789ab\n" then one "  NAME  VERSION" line per
/// library.
std::string VersionText();

}  // namespace whittle

#endif  // WHITTLE_CLI_VERSION_TEXT_H_
