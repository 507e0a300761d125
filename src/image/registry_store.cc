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
#include "image/registry_client.h"
#include "image/resolve.h"
#include "net/http.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

// A blob body that survives dropped connections and stalls: a transfer
// failure (kIo) at byte N reopens the blob with `Range: bytes=N-` and reads
// on (at most kRegistryAttempts - 1 times, backing off). A server that ignores the
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
      if (r.error().code() != Errc::kIo || resumes_ + 1 >= kRegistryAttempts) {
        if (resumes_ == 0) return r.error();
        return Error(r.error().code(), StrFormat("%s (after %d resumes)", r.error().message().c_str(), resumes_));
      }
      RegistryBackoff(resumes_++);
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

Result<RegistryManifest> RegistryManifest::Fetch(const std::string& text, const RegistryOptions& options,
                                                 const Platform& want) {
  RegistryManifest m;
  ASSIGN_OR_RETURN(m.name_, ParseRegistryName(text));
  const RegistryName& name = m.name_;
  ASSIGN_OR_RETURN(std::optional<RegistryCredentials> creds, FindRegistryCredentials(name.host, options.creds));
  auto client = std::make_shared<RegistryClient>(name, options, std::move(creds));
  RETURN_IF_ERROR(client->Connect());
  const std::string what = "docker://" + name.ToString();
  const std::string reference = name.digest.empty() ? name.tag : name.digest;
  ASSIGN_OR_RETURN(HttpResponse r, client->Fetch("/v2/" + name.repo + "/manifests/" + reference, false, kMaxJsonBlob,
                                                 kAcceptManifests));
  if (r.status != 200) return client->StatusError(r, what);
  BlobRef& mref = m.ref_;
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
  ASSIGN_OR_RETURN(m.doc_, ParseManifestDoc(r.body, mref.location));
  m.text_ = std::move(r.body);
  m.store_ = std::make_unique<RegistryStore>(client);
  RETURN_IF_ERROR(ResolveToImageManifest(*m.store_, want, &m.ref_, &m.text_, &m.doc_));
  return m;
}

Status RegistryManifest::Open(Image* image) {
  RETURN_IF_ERROR(FillFromManifest(*store_, ref_, std::move(text_), doc_, image));
  image->name = name_.host + "/" + name_.repo + (name_.tag.empty() ? "" : ":" + name_.tag);
  image->blobs = std::move(store_);
  return Status::Ok();
}

Status OpenRegistryImage(const ImageReference& ref, const Platform& want, Image* image) {
  std::string text = ref.path;
  if (ref.index >= 0) text += ":@" + std::to_string(ref.index);
  if (!ref.ref.empty()) text += ":" + ref.ref;
  ASSIGN_OR_RETURN(RegistryManifest manifest, RegistryManifest::Fetch(text, ref.registry, want));
  return manifest.Open(image);
}

}  // namespace whittle
