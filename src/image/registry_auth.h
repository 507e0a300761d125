// Registry credentials and challenges: where a user:password for a registry
// host comes from, and what a `WWW-Authenticate` header asks for.
//
// Precedence (skopeo's): --creds USER:PASS; then
// ${XDG_RUNTIME_DIR}/containers/auth.json; then $DOCKER_CONFIG/config.json
// or ~/.docker/config.json. In each file: a credHelpers entry for the host,
// then credsStore (docker-credential-NAME, credential_helper.h), then a
// plain `auth` entry (base64 of USER:PASS) or an `identitytoken` (an OAuth2
// refresh token, which takes precedence over `auth` in its entry, as in
// docker).
//
// Secrets never reach a message: errors name the file and the host only.
#ifndef WHITTLE_IMAGE_REGISTRY_AUTH_H_
#define WHITTLE_IMAGE_REGISTRY_AUTH_H_

#include <map>
#include <optional>
#include <string>

#include "util/status.h"

namespace whittle {

struct RegistryCredentials {
  std::string user;
  std::string password;
  /// An OAuth2 refresh token (config.json's "identitytoken", or a helper's
  /// answer with Username "<token>"): when set, user and password are empty
  /// and a token service is asked with the refresh-token grant instead.
  std::string identity_token;
  std::string source;  // "--creds", the file, or the helper and its file (messages)
};

/// Credentials for |host| ("127.0.0.1:5000", "registry-1.docker.io"): from
/// |creds| ("USER:PASS", "" when not given), else the auth files. nullopt
/// when none; kUsage for a --creds without ':'; kCorrupt for an auth file
/// that is not JSON or whose entry is not base64 USER:PASS (naming the file
/// and the host, not the value); a credential helper's errors
/// (credential_helper.h) prefixed with the file and field naming it.
Result<std::optional<RegistryCredentials>> FindRegistryCredentials(const std::string& host, const std::string& creds);

/// A parsed `WWW-Authenticate` challenge: scheme ("bearer", "basic",
/// lower-cased) and its parameters (realm, service, scope...).
struct AuthChallenge {
  std::string scheme;
  std::map<std::string, std::string> params;
};

/// Parses the first challenge of a WWW-Authenticate header value.
std::optional<AuthChallenge> ParseAuthChallenge(const std::string& header);

/// The bearer token in a token service's JSON answer: its "token", else
/// its "access_token" (both strings); "" when the body holds neither.
std::string ParseTokenAnswer(const std::string& body);

/// Base64 (RFC 4648, padded) of |s|, and back ("" on invalid input).
std::string Base64Encode(const std::string& s);
std::optional<std::string> Base64Decode(const std::string& s);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_REGISTRY_AUTH_H_
