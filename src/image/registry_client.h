// RegistryClient: one registry (and repository) over the distribution API
// v2: base URL (https, or http with --tls-verify=false), credentials and the
// current token, shared by the registry source (registry_store.h: the
// opener, the BlobStore and the scanner's threads) and the fleet scan's
// catalog walk (fleet/targets.h).
//
// Every request: auth answered on a 401 (Bearer token from the challenge's
// realm, or Basic), 429, 5xx and transport failures retried (kRegistryAttempts
// in all, backing off 250/500/1000 ms, or after a 429/503's Retry-After
// seconds, at most 60). Secrets never reach a message.
#ifndef WHITTLE_IMAGE_REGISTRY_CLIENT_H_
#define WHITTLE_IMAGE_REGISTRY_CLIENT_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "image/reference.h"
#include "image/registry_auth.h"
#include "image/registry_store.h"
#include "io/byte_source.h"
#include "net/http.h"
#include "util/status.h"

namespace whittle {

/// The Accept header of a manifest request: the two manifest and two index types.
extern const char kAcceptManifests[];
/// Attempts of a request (429, 5xx, transport failures before the body).
inline constexpr int kRegistryAttempts = 4;

/// True for the OCI and Docker manifest and index media types.
bool IsManifestType(const std::string& media_type);

/// Waits before attempt |attempt| + 1: 250, 500, 1000 ms, or what a 429's or
/// 503's |retry_after| asks in seconds (at most 60; an HTTP date is not
/// honoured and gets the plain backoff).
void RegistryBackoff(int attempt, const std::string& retry_after = "");

class RegistryClient {
 public:
  /// |name|'s host is the registry; its repo scopes a default token
  /// request ("" for calls outside a repository, /v2/_catalog).
  RegistryClient(RegistryName name, RegistryOptions options, std::optional<RegistryCredentials> creds)
      : name_(std::move(name)), options_(std::move(options)), creds_(std::move(creds)) {}

  const RegistryName& name() const { return name_; }

  /// Picks https or (with --tls-verify=false, when https fails) http by
  /// asking /v2/.
  Status Connect();

  /// GET (or HEAD) |path| with auth; the body capped at |cap| (JSON). Any
  /// final HTTP status is returned (the caller judges it; StatusError).
  Result<HttpResponse> Fetch(const std::string& path, bool head, size_t cap, const std::string& accept);

  /// GET |path| with auth as a stream; |what| names it in messages. With
  /// |from| > 0, from that byte on (a resume): the body's position() says
  /// where it starts (0 when the server ignored the range).
  Result<std::unique_ptr<ByteSource>> Open(const std::string& path, const std::string& what,
                                           const std::string& accept, uint64_t from = 0);

  /// The one-line error for a non-2xx answer about |what|.
  Status StatusError(const HttpResponse& r, const std::string& what) const;

  std::string BlobPath(const std::string& digest, bool manifest) const {
    return "/v2/" + name_.repo + (manifest ? "/manifests/" : "/blobs/") + digest;
  }

 private:
  HttpRequest Request(const std::string& path) const;
  void AddAuth(HttpRequest* req);
  // One re-authentication per request (a second 401 is the answer).
  bool retried_auth_for(const std::string&, int attempt) const { return attempt > 0 && authed_once_; }
  // Answers a 401's challenge: a Bearer token (anonymous or with the
  // credentials), or Basic credentials.
  Status Authenticate(const std::string& header);

  RegistryName name_;
  RegistryOptions options_;
  std::optional<RegistryCredentials> creds_;
  std::string base_;
  std::mutex mu_;              // guards authorization_, authed_once_
  std::string authorization_;  // "Bearer ..." / "Basic ...": never printed
  bool authed_once_ = false;
};

}  // namespace whittle

#endif  // WHITTLE_IMAGE_REGISTRY_CLIENT_H_
