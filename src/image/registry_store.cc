#include "image/registry_store.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "image/blob_store.h"
#include "image/image.h"
#include "image/json_util.h"
#include "image/manifest.h"
#include "image/platform.h"
#include "image/reference.h"
#include "image/registry_auth.h"
#include "image/resolve.h"
#include "net/http.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr const char* kAcceptManifests =
    "Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, "
    "application/vnd.docker.distribution.manifest.v2+json, "
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr int kAttempts = 4;  // for 429, 5xx and connection failures before the body

bool IsManifestType(const std::string& t) {
  return t == "application/vnd.oci.image.manifest.v1+json" || t == "application/vnd.oci.image.index.v1+json" ||
         t == "application/vnd.docker.distribution.manifest.v2+json" ||
         t == "application/vnd.docker.distribution.manifest.list.v2+json";
}

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

// Waits before attempt |attempt| + 1: 250, 500, 1000 ms, or what a 429's or
// 503's Retry-After asks in seconds (at most kMaxRetryAfterS; an HTTP date
// is not honoured and gets the plain backoff).
void Backoff(int attempt, const std::string& retry_after = "") {
  long wait_ms = 250L << attempt;
  long seconds = 0;
  if (!retry_after.empty() && ParseWhole(retry_after, 0, 1L << 30, &seconds)) {
    wait_ms = std::min(seconds, kMaxRetryAfterS) * 1000;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
}

// Seconds without a byte after which a transfer is abandoned (and retried
// or resumed): $WHITTLE_STALL_TIMEOUT when it is 1..3600, else 30.
long StallTimeout() {
  long s = 0;
  const char* env = std::getenv("WHITTLE_STALL_TIMEOUT");
  if (env && ParseWhole(env, 1, 3600, &s)) return s;
  return 30;
}

// One registry repository: base URL, credentials and the current token,
// shared by the opener and the store (and the scanner's threads).
class RegistryClient {
 public:
  RegistryClient(RegistryName name, RegistryOptions options, std::optional<RegistryCredentials> creds)
      : name_(std::move(name)), options_(std::move(options)), creds_(std::move(creds)) {}

  const RegistryName& name() const { return name_; }

  /// Picks https or (with --tls-verify=false, when https fails) http by
  /// asking /v2/.
  Status Connect() {
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

  /// GET (or HEAD) |path| with auth; the body capped at |cap| (JSON).
  Result<HttpResponse> Fetch(const std::string& path, bool head, size_t cap, const std::string& accept) {
    for (int attempt = 0;; ++attempt) {
      HttpRequest req = Request(path);
      req.head = head;
      if (!accept.empty()) req.headers.push_back(accept);
      AddAuth(&req);
      auto r = HttpFetch(req, cap);
      if (!r) {
        if (attempt + 1 < kAttempts && r.error().code() == Errc::kIo) {
          Backoff(attempt);
          continue;
        }
        return r.error();
      }
      if (r->status == 401 && !retried_auth_for(path, attempt)) {
        RETURN_IF_ERROR(Authenticate(r->Header("www-authenticate")));
        continue;
      }
      if (Retryable(r->status) && attempt + 1 < kAttempts) {
        Backoff(attempt, r->Header("retry-after"));
        continue;
      }
      return r;
    }
  }

  /// GET |path| with auth as a stream; |what| names it in messages. With
  /// |from| > 0, from that byte on (a resume): the body's position() says
  /// where it starts (0 when the server ignored the range).
  Result<std::unique_ptr<ByteSource>> Open(const std::string& path, const std::string& what,
                                           const std::string& accept, uint64_t from = 0) {
    for (int attempt = 0;; ++attempt) {
      HttpRequest req = Request(path);
      req.range_from = from;
      if (!accept.empty()) req.headers.push_back(accept);
      AddAuth(&req);
      auto s = HttpOpen(req, what);
      if (!s) {
        if (attempt + 1 < kAttempts && s.error().code() == Errc::kIo) {
          Backoff(attempt);
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
      if (Retryable(status) && attempt + 1 < kAttempts) {
        Backoff(attempt, s->response.Header("retry-after"));
        continue;
      }
      return StatusError(s->response, what);
    }
  }

  /// The one-line error for a non-2xx answer about |what|.
  Status StatusError(const HttpResponse& r, const std::string& what) const {
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
                                          msg.c_str(), kAttempts));
      case 404:
        return Error(Errc::kNotFound, StrFormat("%s: 404 not found (%s)", what.c_str(), msg.c_str()));
      default:
        return Error(Errc::kIo, StrFormat("%s: HTTP %ld (%s)%s", what.c_str(), r.status, msg.c_str(),
                                          Retryable(r.status) ? StrFormat(", still after %d attempts", kAttempts).c_str()
                                                              : ""));
    }
  }

  std::string BlobPath(const std::string& digest, bool manifest) const {
    return "/v2/" + name_.repo + (manifest ? "/manifests/" : "/blobs/") + digest;
  }

 private:
  HttpRequest Request(const std::string& path) const {
    HttpRequest req;
    req.url = base_ + path;
    req.tls_verify = options_.tls_verify;
    req.ca_dir = options_.cert_dir;
    req.connect_timeout_s = 15;
    req.stall_timeout_s = StallTimeout();
    return req;
  }

  void AddAuth(HttpRequest* req) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!authorization_.empty()) req->headers.push_back("Authorization: " + authorization_);
  }

  // One re-authentication per request (a second 401 is the answer).
  bool retried_auth_for(const std::string&, int attempt) const { return attempt > 0 && authed_once_; }

  // Answers a 401's challenge: a Bearer token (anonymous or with the
  // credentials), or Basic credentials.
  Status Authenticate(const std::string& header) {
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
    std::string scope = c->params["scope"].empty() ? "repository:" + name_.repo + ":pull" : c->params["scope"];
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

  RegistryName name_;
  RegistryOptions options_;
  std::optional<RegistryCredentials> creds_;
  std::string base_;
  std::mutex mu_;              // guards authorization_, authed_once_
  std::string authorization_;  // "Bearer ..." / "Basic ...": never printed
  bool authed_once_ = false;
};

// A blob body that survives dropped connections and stalls: a transfer
// failure (kIo) at byte N reopens the blob with `Range: bytes=N-` and reads
// on (at most kAttempts - 1 times, backing off). A server that ignores the
// range answers from 0, and the first N bytes are read again and dropped.
// What the bytes hash to is checked above this source (the scanner's
// HashingSource), so a resume cannot slip in wrong bytes unseen.
class ResumingSource final : public ByteSource {
 public:
  ResumingSource(std::shared_ptr<RegistryClient> client, std::string path, std::string what, std::string accept,
                 std::unique_ptr<ByteSource> body)
      : client_(std::move(client)),
        path_(std::move(path)),
        what_(std::move(what)),
        accept_(std::move(accept)),
        body_(std::move(body)) {}

  Result<size_t> Read(void* buf, size_t n) override {
    for (;;) {
      auto r = body_->Read(buf, n);
      if (r) {
        pos_ += *r;
        return r;
      }
      if (r.error().code() != Errc::kIo || resumes_ + 1 >= kAttempts) {
        if (resumes_ == 0) return r.error();
        return Error(r.error().code(), StrFormat("%s (after %d resumes)", r.error().message().c_str(), resumes_));
      }
      Backoff(resumes_++);
      auto reopened = client_->Open(path_, what_, accept_, pos_);
      if (!reopened) {
        return Error(reopened.error().code(),
                     StrFormat("%s; resuming at offset %llu: %s", r.error().message().c_str(),
                               static_cast<unsigned long long>(pos_), reopened.error().message().c_str()));
      }
      body_ = std::move(*reopened);
      RETURN_IF_ERROR(SkipTo(pos_));
    }
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return what_; }

 private:
  // Reads and drops what the new body repeats before |pos|.
  Status SkipTo(uint64_t pos) {
    char scratch[16384];
    while (body_->position() < pos) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(sizeof scratch, pos - body_->position()));
      ASSIGN_OR_RETURN(size_t k, body_->Read(scratch, want));
      if (k == 0) {
        return Error(Errc::kCorrupt, StrFormat("%s: the blob ended at offset %llu on a retry, before %llu",
                                               what_.c_str(), static_cast<unsigned long long>(body_->position()),
                                               static_cast<unsigned long long>(pos)));
      }
    }
    return Status::Ok();
  }

  std::shared_ptr<RegistryClient> client_;
  std::string path_, what_, accept_;
  std::unique_ptr<ByteSource> body_;
  uint64_t pos_ = 0;
  int resumes_ = 0;
};

// Blobs of one repository by digest. Open() streams; Size() answers the
// manifest's size when it has one; Exists() trusts the manifest (a missing
// blob is a 404 when opened).
class RegistryStore final : public BlobStore {
 public:
  explicit RegistryStore(std::shared_ptr<RegistryClient> client)
      : client_(std::move(client)), name_("docker://" + client_->name().host + "/" + client_->name().repo) {}

  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override {
    ASSIGN_OR_RETURN(std::string where, Location(blob));
    const bool manifest = IsManifestType(blob.media_type);
    const std::string path = client_->BlobPath(blob.digest, manifest);
    const std::string accept = manifest ? kAcceptManifests : "";
    ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> body, client_->Open(path, where, accept));
    return std::unique_ptr<ByteSource>(std::make_unique<ResumingSource>(client_, path, where, accept, std::move(body)));
  }
  Result<uint64_t> Size(const BlobRef& blob) override {
    ASSIGN_OR_RETURN(std::string where, Location(blob));
    if (blob.size >= 0) return static_cast<uint64_t>(blob.size);
    ASSIGN_OR_RETURN(HttpResponse r,
                     client_->Fetch(client_->BlobPath(blob.digest, IsManifestType(blob.media_type)), true, 0, ""));
    if (r.status != 200) return client_->StatusError(r, where);
    const std::string& len = r.Header("content-length");
    uint64_t size = 0;
    if (len.empty() || len.size() > 19 || len.find_first_not_of("0123456789") != std::string::npos) {
      return Error(Errc::kCorrupt, where + ": the registry gave no Content-Length");
    }
    for (char c : len) size = size * 10 + static_cast<uint64_t>(c - '0');
    return size;
  }
  bool Exists(const BlobRef& blob) override { return IsValidSha256Digest(blob.digest); }
  Result<std::string> Location(const BlobRef& blob) const override {
    if (!IsValidSha256Digest(blob.digest)) {
      return Error(Errc::kCorrupt, StrFormat("%s: invalid blob digest %s (want sha256:<64 lowercase hex>)",
                                             name_.c_str(), EscapeForMessage(blob.digest).c_str()));
    }
    return name_ + "@" + blob.digest;
  }
  const std::string& name() const override { return name_; }

 private:
  std::shared_ptr<RegistryClient> client_;
  std::string name_;
};

bool IsHostComponent(std::string_view c) {
  return c.find('.') != std::string_view::npos || c.find(':') != std::string_view::npos || c == "localhost";
}

}  // namespace

std::string RegistryName::ToString() const { return host + "/" + repo + (digest.empty() ? ":" + tag : "@" + digest); }

Result<RegistryName> ParseRegistryName(const std::string& text) {
  auto bad = [&](const char* what) {
    return Error(Errc::kUsage, StrFormat("docker://%s: %s (want docker://[HOST[:PORT]/]REPO[:TAG|@DIGEST])",
                                         EscapeForMessage(text).c_str(), what));
  };
  RegistryName n;
  std::string rest = text;
  size_t at = rest.find('@');
  if (at != std::string::npos) {
    n.digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    if (!IsValidSha256Digest(n.digest)) return bad("bad digest");
  }
  size_t slash = rest.find('/');
  if (slash != std::string::npos && IsHostComponent(std::string_view(rest).substr(0, slash))) {
    n.host = rest.substr(0, slash);
    rest = rest.substr(slash + 1);
  } else {
    n.host = "registry-1.docker.io";
    if (rest.find('/') == std::string::npos) rest = "library/" + rest;
  }
  if (n.host == "docker.io" || n.host == "index.docker.io") {
    n.host = "registry-1.docker.io";
    if (rest.find('/') == std::string::npos) rest = "library/" + rest;
  }
  size_t colon = rest.rfind(':');
  if (colon != std::string::npos && rest.find('/', colon) == std::string::npos) {
    if (!n.digest.empty()) return bad("both a tag and a digest");
    n.tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (n.tag.empty()) return bad("empty tag");
  }
  if (n.digest.empty() && n.tag.empty()) n.tag = "latest";
  if (rest.empty() || n.host.empty()) return bad("no repository");
  for (char c : rest) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok) return bad("repository names are lower-case letters, digits and . _ - /");
  }
  n.repo = rest;
  return n;
}

Status OpenRegistryImage(const ImageReference& ref, const Platform& want, Image* image) {
  std::string text = ref.path;
  if (ref.index >= 0) text += ":@" + std::to_string(ref.index);
  if (!ref.ref.empty()) text += ":" + ref.ref;
  ASSIGN_OR_RETURN(RegistryName name, ParseRegistryName(text));
  ASSIGN_OR_RETURN(std::optional<RegistryCredentials> creds, FindRegistryCredentials(name.host, ref.registry.creds));
  auto client = std::make_shared<RegistryClient>(name, ref.registry, std::move(creds));
  RETURN_IF_ERROR(client->Connect());
  const std::string what = "docker://" + name.ToString();
  const std::string reference = name.digest.empty() ? name.tag : name.digest;
  ASSIGN_OR_RETURN(HttpResponse r, client->Fetch("/v2/" + name.repo + "/manifests/" + reference, false, kMaxJsonBlob,
                                                 kAcceptManifests));
  if (r.status != 200) return client->StatusError(r, what);
  BlobRef mref;
  mref.digest = Sha256::DigestOf(r.body);
  mref.size = static_cast<int64_t>(r.body.size());
  std::string type = r.Header("content-type");
  if (size_t semi = type.find(';'); semi != std::string::npos) type.resize(semi);
  mref.media_type = type;
  mref.location = "docker://" + name.host + "/" + name.repo + "@" + mref.digest;
  if (!name.digest.empty() && mref.digest != name.digest) {
    return Error(Errc::kDigestMismatch, StrFormat("%s: digest mismatch: asked for %s, the manifest is %s", what.c_str(),
                                                  name.digest.c_str(), mref.digest.c_str()));
  }
  const std::string& said = r.Header("docker-content-digest");
  if (!said.empty() && said != mref.digest) {
    return Error(Errc::kDigestMismatch, StrFormat("%s: digest mismatch: the registry says %s, the manifest is %s",
                                                  what.c_str(), said.c_str(), mref.digest.c_str()));
  }
  ASSIGN_OR_RETURN(ManifestDoc doc, ParseManifestDoc(r.body, mref.location));
  auto store = std::make_unique<RegistryStore>(client);
  RETURN_IF_ERROR(ResolveManifest(*store, mref, std::move(r.body), doc, want, image));
  image->name = name.host + "/" + name.repo + (name.tag.empty() ? "" : ":" + name.tag);
  image->blobs = std::move(store);
  return Status::Ok();
}

}  // namespace whittle
