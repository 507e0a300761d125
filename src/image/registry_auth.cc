#include "image/registry_auth.h"

#include <openssl/evp.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "image/credential_helper.h"
#include "image/json_util.h"
#include "util/strings.h"

namespace whittle {
namespace {

bool IsDockerHub(const std::string& host) {
  return host == "registry-1.docker.io" || host == "docker.io" || host == "index.docker.io";
}

// The auth.json / config.json keys that may name |host|.
bool KeyNamesHost(std::string key, const std::string& host) {
  for (const char* scheme : {"https://", "http://"}) {
    if (StartsWith(key, scheme)) key = key.substr(std::string(scheme).size());
  }
  size_t slash = key.find('/');
  std::string key_host = slash == std::string::npos ? key : key.substr(0, slash);
  if (key_host == host) return true;
  return IsDockerHub(host) && (key_host == "docker.io" || key_host == "index.docker.io" || key_host == "registry-1.docker.io");
}

// Asks credential helper |helper| (named by |field| of |path|) for |host|.
Result<std::optional<RegistryCredentials>> FromHelper(const std::string& path, const std::string& field,
                                                      const std::string& helper, const std::string& host) {
  // Docker stores Docker Hub logins under its v1 index URL.
  const std::string server = IsDockerHub(host) ? "https://index.docker.io/v1/" : host;
  auto got = RunCredentialHelper(helper, server);
  if (!got) return Error(got.error().code(), StrFormat("%s: %s: %s", path.c_str(), field.c_str(),
                                                       got.error().message().c_str()));
  if (!*got) return std::optional<RegistryCredentials>();
  RegistryCredentials c;
  if ((*got)->user == kIdentityTokenUser) {
    c.identity_token = std::move((*got)->secret);
  } else {
    c.user = std::move((*got)->user);
    c.password = std::move((*got)->secret);
  }
  c.source = "docker-credential-" + helper + " (" + field + " in " + path + ")";
  return std::optional<RegistryCredentials>(std::move(c));
}

// Looks |host| up in one auth file; nullopt when the file or entry is absent.
// In a file, docker's order: credHelpers[host], then credsStore, then a
// plain auths[host].auth (also when the store has nothing for |host|).
Result<std::optional<RegistryCredentials>> FromAuthFile(const std::string& path, const std::string& host) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::optional<RegistryCredentials>();
  std::stringstream ss;
  ss << in.rdbuf();
  Json j = Json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Error(Errc::kCorrupt, StrFormat("%s: not a JSON object", path.c_str()));
  }
  if (j.contains("credHelpers") && j["credHelpers"].is_object()) {
    for (const auto& [key, helper] : j["credHelpers"].items()) {
      if (!KeyNamesHost(key, host) || !helper.is_string()) continue;
      ASSIGN_OR_RETURN(std::optional<RegistryCredentials> c,
                       FromHelper(path, "credHelpers[\"" + EscapeForMessage(key) + "\"]", helper.get<std::string>(),
                                  host));
      if (c) return c;
    }
  }
  if (j.contains("credsStore") && j["credsStore"].is_string() && !j["credsStore"].get<std::string>().empty()) {
    ASSIGN_OR_RETURN(std::optional<RegistryCredentials> c,
                     FromHelper(path, "credsStore", j["credsStore"].get<std::string>(), host));
    if (c) return c;
  }
  if (!j.contains("auths") || !j["auths"].is_object()) return std::optional<RegistryCredentials>();
  for (const auto& [key, entry] : j["auths"].items()) {
    if (!KeyNamesHost(key, host) || !entry.is_object()) continue;
    if (entry.contains("identitytoken") && entry["identitytoken"].is_string() &&
        !entry["identitytoken"].get<std::string>().empty()) {
      RegistryCredentials c;
      c.identity_token = entry["identitytoken"].get<std::string>();
      c.source = path;
      return std::optional<RegistryCredentials>(std::move(c));
    }
    if (!entry.contains("auth") || !entry["auth"].is_string()) continue;
    auto decoded = Base64Decode(entry["auth"].get<std::string>());
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (!decoded || colon == std::string::npos) {
      return Error(Errc::kCorrupt, StrFormat("%s: auths[\"%s\"].auth is not base64 of USER:PASSWORD", path.c_str(),
                                             EscapeForMessage(key).c_str()));
    }
    RegistryCredentials c;
    c.user = decoded->substr(0, colon);
    c.password = decoded->substr(colon + 1);
    c.source = path;
    return std::optional<RegistryCredentials>(std::move(c));
  }
  return std::optional<RegistryCredentials>();
}

}  // namespace

Result<std::optional<RegistryCredentials>> FindRegistryCredentials(const std::string& host, const std::string& creds) {
  if (!creds.empty()) {
    size_t colon = creds.find(':');
    if (colon == std::string::npos) return Error(Errc::kUsage, "--creds wants USER:PASSWORD");
    RegistryCredentials c;
    c.user = creds.substr(0, colon);
    c.password = creds.substr(colon + 1);
    c.source = "--creds";
    return std::optional<RegistryCredentials>(std::move(c));
  }
  std::vector<std::string> files;
  if (const char* xdg = std::getenv("XDG_RUNTIME_DIR"); xdg && *xdg) {
    files.push_back(std::string(xdg) + "/containers/auth.json");
  }
  if (const char* dc = std::getenv("DOCKER_CONFIG"); dc && *dc) {
    files.push_back(std::string(dc) + "/config.json");
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    files.push_back(std::string(home) + "/.docker/config.json");
  }
  for (const std::string& f : files) {
    ASSIGN_OR_RETURN(std::optional<RegistryCredentials> c, FromAuthFile(f, host));
    if (c) return c;
  }
  return std::optional<RegistryCredentials>();
}

std::string ParseTokenAnswer(const std::string& body) {
  Json j = Json::parse(body, nullptr, false);
  std::string token;
  if (j.is_object()) {
    if (j.contains("token") && j["token"].is_string()) token = j["token"].get<std::string>();
    if (token.empty() && j.contains("access_token") && j["access_token"].is_string()) {
      token = j["access_token"].get<std::string>();
    }
  }
  return token;
}

std::optional<AuthChallenge> ParseAuthChallenge(const std::string& header) {
  AuthChallenge c;
  size_t i = 0;
  while (i < header.size() && header[i] == ' ') ++i;
  size_t start = i;
  while (i < header.size() && header[i] != ' ') ++i;
  if (i == start) return std::nullopt;
  c.scheme = header.substr(start, i - start);
  for (char& ch : c.scheme) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  // key=value or key="value", comma separated.
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = header.substr(i, eq - i);
    for (char& ch : key) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    i = eq + 1;
    std::string value;
    if (i < header.size() && header[i] == '"') {
      ++i;
      while (i < header.size() && header[i] != '"') {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value.push_back(header[i++]);
      }
      ++i;  // closing quote
    } else {
      while (i < header.size() && header[i] != ',') value.push_back(header[i++]);
    }
    c.params[key] = value;
  }
  return c;
}

std::string Base64Encode(const std::string& s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(const std::string& s) {
  if (s.size() % 4 != 0) return std::nullopt;
  std::string out(s.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  if (n < 0) return std::nullopt;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (!s.empty() && s.back() == '=') --len;
  if (s.size() > 1 && s[s.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

}  // namespace whittle
