// Docker credential helpers: `docker-credential-NAME get`, run with the
// registry's server URL on stdin, answers {"ServerURL", "Username",
// "Secret"} on stdout (the docker-credential-helpers protocol). config.json
// names them with "credsStore" (every registry) and "credHelpers" (one per
// registry); registry_auth.h decides which one to ask.
//
// The helper's answer holds a secret: nothing here puts its output, or the
// helper's stderr (discarded), into a message.
#ifndef WHITTLE_IMAGE_CREDENTIAL_HELPER_H_
#define WHITTLE_IMAGE_CREDENTIAL_HELPER_H_

#include <optional>
#include <string>

#include "util/status.h"

namespace whittle {

/// The Username with which a helper answers an OAuth2 identity (refresh)
/// token instead of a password.
inline constexpr const char* kIdentityTokenUser = "<token>";

struct HelperCredentials {
  std::string user;
  std::string secret;
};

/// Runs `docker-credential-|name| get` (found on $PATH) with |server| on
/// stdin. nullopt when the helper says it has no credentials for |server|
/// (a non-zero exit whose output mentions "credentials not found", as
/// every helper words it). Errors (kIo, naming the program and never its
/// output): a |name| with characters outside [A-Za-z0-9._-], a helper that
/// is not found, fails otherwise, runs past |timeout_s| seconds (killed), or
/// answers with something that is not the protocol's JSON. An identity
/// token comes back as it is: user kIdentityTokenUser, the token in |secret|.
Result<std::optional<HelperCredentials>> RunCredentialHelper(const std::string& name, const std::string& server,
                                                             int timeout_s = 30);

}  // namespace whittle

#endif  // WHITTLE_IMAGE_CREDENTIAL_HELPER_H_
