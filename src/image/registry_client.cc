#include "image/registry_client.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>
#include <utility>
#include <vector>

#include "util/strings.h"

namespace whittle {
namespace {

bool Retryable(long status) { return status == 429 || status >= 500; }

constexpr long kMaxRetryAfterS = 60;

// |text| as a whole number in [lo, hi], or false.
bool ParseWhole(const std::string& text, long lo, long hi, long* out) {
  if (text.empty() || text.size() > 10 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  long v = std::strtol(text.c_str(), nullptr, 10);
  if (v < lo || v > hi) return false;
  *out = v;
  return true;
}

// Seconds without a byte after which a transfer is abandoned (and retried
// or resumed): $WHITTLE_STALL_TIMEOUT when it is 1..3600, else 30.
long StallTimeout() {
  long s = 0;
  const char* env = std::getenv("WHITTLE_STALL_TIMEOUT");
  if (env && ParseWhole(env, 1, 3600, &s)) return s;
  return 30;
}

}  // namespace

const char kAcceptManifests[] =
    "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";

bool IsManifestType(const std::string& t) {
  return t == "application/vnd.oci.image.manifest.v1+json" || t == "application/vnd.oci.image.index.v1+json" ||
         t == "application/vnd.docker.distribution.manifest.v2+json" ||
         t == "application/vnd.docker.distribution.manifest.list.v2+json";
}

// Waits before attempt |attempt| + 1: 250, 500, 1000 ms, or what a 429's or
// 503's Retry-After asks in seconds (at most kMaxRetryAfterS; an HTTP date
// is not honoured and gets the plain backoff).
void RegistryBackoff(int attempt, const std::string& retry_after) {
  long wait_ms = 250L << attempt;
  long seconds = 0;
  if (!retry_after.empty() && ParseWhole(retry_after, 0, 1L << 30, &seconds)) {
    wait_ms = std::min(seconds, kMaxRetryAfterS) * 1000;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
}

Status RegistryClient::Connect() {
  std::vector<std::string> schemes = {"https"};
  if (!options_.tls_verify) schemes.push_back("http");
  Status last;
  for (const std::string& scheme : schemes) {
    base_ = scheme + "://" + name_.host;
    HttpRequest req = Request("/v2/");
    auto r = HttpFetch(req, 64 * 1024);
    if (r) return Status::Ok();
    last = r.error();
  }
  return Error(Errc::kIo, StrFormat("docker://%s: cannot reach the registry: %s", name_.ToString().c_str(),
                                    last.message().c_str()));
}

Result<HttpResponse> RegistryClient::Fetch(const std::string& path, bool head, size_t cap, const std::string& accept) {
  for (int attempt = 0;; ++attempt) {
    HttpRequest req = Request(path);
    req.head = head;
    if (!accept.empty()) req.headers.push_back(accept);
    AddAuth(&req);
    auto r = HttpFetch(req, cap);
    if (!r) {
      if (attempt + 1 < kRegistryAttempts && r.error().code() == Errc::kIo) {
        RegistryBackoff(attempt);
        continue;
      }
      return r.error();
    }
    if (r->status == 401 && !retried_auth_for(path, attempt)) {
      RETURN_IF_ERROR(Authenticate(r->Header("www-authenticate")));
      continue;
    }
    if (Retryable(r->status) && attempt + 1 < kRegistryAttempts) {
      RegistryBackoff(attempt, r->Header("retry-after"));
      continue;
    }
    return r;
  }
}

Result<std::unique_ptr<ByteSource>> RegistryClient::Open(const std::string& path, const std::string& what,
                                                         const std::string& accept, uint64_t from) {
  for (int attempt = 0;; ++attempt) {
    HttpRequest req = Request(path);
    req.range_from = from;
    if (!accept.empty()) req.headers.push_back(accept);
    AddAuth(&req);
    auto s = HttpOpen(req, what);
    if (!s) {
      if (attempt + 1 < kRegistryAttempts && s.error().code() == Errc::kIo) {
        RegistryBackoff(attempt);
        continue;
      }
      return s.error();
    }
    long status = s->response.status;
    if (status >= 200 && status < 300) return std::move(s->body);
    if (status == 401 && !retried_auth_for(path, attempt)) {
      RETURN_IF_ERROR(Authenticate(s->response.Header("www-authenticate")));
      continue;
    }
    if (Retryable(status) && attempt + 1 < kRegistryAttempts) {
      RegistryBackoff(attempt, s->response.Header("retry-after"));
      continue;
    }
    return StatusError(s->response, what);
  }
}

Status RegistryClient::StatusError(const HttpResponse& r, const std::string& what) const {
  std::string msg = HttpErrorMessage(r.body);
  if (msg.empty()) msg = StrFormat("HTTP %ld", r.status);
  switch (r.status) {
    case 401:
      return Error(
          Errc::kIo,
          StrFormat("%s: 401 unauthorized (%s)%s", what.c_str(), msg.c_str(),
                    creds_
                        ? StrFormat(": the registry refused the credentials from %s", creds_->source.c_str()).c_str()
                        : ": log in, or pass --creds USER:PASSWORD"));
    case 403:
      return Error(Errc::kIo, StrFormat("%s: 403 forbidden (%s)%s", what.c_str(), msg.c_str(),
                                        creds_ ? StrFormat(": the credentials from %s may not pull it",
                                                           creds_->source.c_str())
                                                     .c_str()
                                               : ""));
    case 429:
      return Error(Errc::kIo, StrFormat("%s: 429 too many requests (%s), still after %d attempts", what.c_str(),
                                        msg.c_str(), kRegistryAttempts));
    case 404:
      return Error(Errc::kNotFound, StrFormat("%s: 404 not found (%s)", what.c_str(), msg.c_str()));
    default:
      return Error(Errc::kIo, StrFormat("%s: HTTP %ld (%s)%s", what.c_str(), r.status, msg.c_str(),
                                        Retryable(r.status) ? StrFormat(", still after %d attempts", kRegistryAttempts).c_str()
                                                            : ""));
  }
}

HttpRequest RegistryClient::Request(const std::string& path) const {
  HttpRequest req;
  req.url = base_ + path;
  req.tls_verify = options_.tls_verify;
  req.ca_dir = options_.cert_dir;
  req.connect_timeout_s = 15;
  req.stall_timeout_s = StallTimeout();
  return req;
}

void RegistryClient::AddAuth(HttpRequest* req) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!authorization_.empty()) req->headers.push_back("Authorization: " + authorization_);
}

Status RegistryClient::Authenticate(const std::string& header) {
  std::lock_guard<std::mutex> lock(mu_);
  authed_once_ = true;
  std::optional<AuthChallenge> c = ParseAuthChallenge(header);
  const std::string who = "docker://" + name_.ToString();
  if (!c) return Error(Errc::kIo, who + ": 401 unauthorized with no WWW-Authenticate challenge");
  if (c->scheme == "basic") {
    if (creds_ && !creds_->identity_token.empty()) {
      return Error(Errc::kIo, StrFormat("%s: 401 unauthorized: the registry wants a user and password, and %s "
                                        "holds an identity token (which only a token service takes)",
                                        who.c_str(), creds_->source.c_str()));
    }
    if (!creds_) {
      return Error(Errc::kIo, who +
                                  ": 401 unauthorized: the registry wants a user and password: log in, or "
                                  "pass --creds USER:PASSWORD");
    }
    authorization_ = "Basic " + Base64Encode(creds_->user + ":" + creds_->password);
    return Status::Ok();
  }
  if (c->scheme != "bearer") {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: unsupported auth scheme '%s'", who.c_str(), EscapeForMessage(c->scheme).c_str()));
  }
  std::string realm = c->params["realm"];
  if (realm.empty()) return Error(Errc::kIo, who + ": bearer challenge without a realm");
  const std::string& service = c->params["service"];
  // Without a scope in the challenge: pull on the repository, or the
  // catalog for a client outside any (fleet/targets.h).
  std::string scope = c->params["scope"];
  if (scope.empty()) scope = name_.repo.empty() ? "registry:catalog:*" : "repository:" + name_.repo + ":pull";
  HttpRequest req;
  req.tls_verify = options_.tls_verify;
  req.ca_dir = options_.cert_dir;
  req.connect_timeout_s = 15;
  req.stall_timeout_s = 30;
  const bool oauth = creds_ && !creds_->identity_token.empty();
  if (oauth) {
    // An identity token is an OAuth2 refresh token: POST it to the realm
    // with the refresh-token grant (the distribution spec's OAuth2 token
    // authentication), never as basic credentials, and never to another
    // host (no redirects: the form holds the secret).
    req.url = realm;
    req.follow_redirects = false;
    req.post_form = "grant_type=refresh_token&service=" + UrlEscape(service) + "&scope=" + UrlEscape(scope) +
                    "&client_id=whittle&refresh_token=" + UrlEscape(creds_->identity_token);
  } else {
    req.url = realm + (realm.find('?') == std::string::npos ? "?" : "&");
    if (!service.empty()) req.url += "service=" + UrlEscape(service) + "&";
    req.url += "scope=" + UrlEscape(scope);
    if (creds_) req.headers.push_back("Authorization: Basic " + Base64Encode(creds_->user + ":" + creds_->password));
  }
  auto r = HttpFetch(req, 1 << 20);
  if (!r) return Error(r.error().code(), who + ": token request failed: " + r.error().message());
  if (r->status != 200) {
    std::string msg = HttpErrorMessage(r->body);
    return Error(Errc::kIo, StrFormat("%s: the token service answered %ld%s%s%s", who.c_str(), r->status,
                                      oauth ? " to the OAuth2 refresh-token grant (identity token from " : "",
                                      oauth ? (creds_->source + ")").c_str() : "",
                                      msg.empty() ? "" : (": " + msg).c_str()));
  }
  std::string token = ParseTokenAnswer(r->body);
  if (token.empty()) return Error(Errc::kIo, who + ": the token service's answer holds no token");
  authorization_ = "Bearer " + token;
  return Status::Ok();
}

}  // namespace whittle
