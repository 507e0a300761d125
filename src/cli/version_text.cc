#include "cli/version_text.h"

#include <isa-l.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <yaml.h>
#include <zlib.h>
#include <zstd.h>

#include <nlohmann/json.hpp>

#include "net/curl_library.h"
#include "util/strings.h"
#include "util/version.h"

namespace whittle {

std::vector<std::pair<std::string, std::string>> LibraryVersions() {
  // libcurl is loaded on first use (net/curl_library.h); --version loads it.
  std::string curl_version;
  if (auto curl = LoadCurl()) {
    const curl_version_info_data* info = (*curl)->version_info(CURLVERSION_NOW);
    curl_version = info != nullptr && info->version != nullptr ? info->version : "unknown";
  } else {
    curl_version = "not loaded: " + curl.error().message();
  }
  return {
      // ISA-L exports no version function; this is the header it was built with.
      {"ISA-L", StrFormat("%d.%d.%d", ISAL_MAJOR_VERSION, ISAL_MINOR_VERSION, ISAL_PATCH_VERSION)},
      {"zstd", ZSTD_versionString()},
      {"zlib", zlibVersion()},
      {"OpenSSL", OpenSSL_version(OPENSSL_VERSION_STRING)},
      {"libcurl", curl_version},
      {"SQLite", sqlite3_libversion()},
      {"libyaml", yaml_get_version_string()},
      // Header-only: compiled in.
      {"nlohmann-json",
       StrFormat("%d.%d.%d", NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH)},
  };
}

std::string VersionText() {
  std::string out = StrFormat("whittle %s\ncommit %s\n", WhittleVersion(), WhittleGitCommit());
  for (const auto& [name, version] : LibraryVersions()) {
    out += StrFormat("  %-14s %s\n", name.c_str(), version.c_str());
  }
  return out;
}

}  // namespace whittle
