#include "net/http.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>

#include "net/curl_library.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr size_t kErrorBodyCap = 64 * 1024;

// One connection cache, DNS cache and TLS session cache for every transfer
// of the process (each Transfer has its own multi handle, and the scanner's
// threads run several at once): a registry's /v2/ probe, manifest, config
// and blobs then go over one kept-alive connection instead of a new TCP (and
// TLS) handshake per request. Locked per data kind; never freed (it lives as
// long as the process, like curl_global_init).
class SharedCaches {
 public:
  static CURLSH* Get(const CurlLibrary& c) {
    static SharedCaches* caches = new SharedCaches(c);
    return caches->share_;
  }

 private:
  explicit SharedCaches(const CurlLibrary& c) {
    share_ = c.share_init();
    c.share_setopt(share_, CURLSHOPT_LOCKFUNC, &SharedCaches::Lock);
    c.share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &SharedCaches::Unlock);
    c.share_setopt(share_, CURLSHOPT_USERDATA, this);
    c.share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
    c.share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    c.share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
    static_cast<SharedCaches*>(self)->mu_[Slot(data)].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* self) {
    static_cast<SharedCaches*>(self)->mu_[Slot(data)].unlock();
  }
  static size_t Slot(curl_lock_data data) {
    size_t d = static_cast<size_t>(data);
    return d < kSlots ? d : 0;
  }
  static constexpr size_t kSlots = CURL_LOCK_DATA_LAST;
  CURLSH* share_ = nullptr;
  std::mutex mu_[kSlots];
};

// The URL without user info or query, for messages.
std::string UrlForMessage(const std::string& url) {
  std::string out = url;
  size_t scheme = out.find("://");
  if (scheme != std::string::npos) {
    size_t host = scheme + 3;
    size_t slash = out.find('/', host);
    size_t at = out.find('@', host);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) out.erase(host, at + 1 - host);
  }
  size_t q = out.find('?');
  if (q != std::string::npos) out.erase(q);
  return out;
}

// One transfer on its own multi handle, driven from the reading side:
// Pump() runs curl until the body buffer has bytes or the transfer ends, so
// at most one socket read's worth of body is held in memory.
class Transfer {
 public:
  Transfer(const CurlLibrary& curl, const HttpRequest& req) : c_(curl), where_(UrlForMessage(req.url)) {
    easy_ = c_.easy_init();
    multi_ = c_.multi_init();
    // Connections are shared between multi handles, but never while in use:
    // no HTTP/2 multiplexing of another handle's transfer on a connection
    // this one drives (its stream's data would not wake the other's poll).
    c_.multi_setopt(multi_, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_NOTHING));
    c_.easy_setopt(easy_, CURLOPT_SHARE, SharedCaches::Get(c_));
    c_.easy_setopt(easy_, CURLOPT_URL, req.url.c_str());
    if (req.head) c_.easy_setopt(easy_, CURLOPT_NOBODY, 1L);
    if (!req.unix_socket.empty()) c_.easy_setopt(easy_, CURLOPT_UNIX_SOCKET_PATH, req.unix_socket.c_str());
    for (const std::string& h : req.headers) headers_ = c_.slist_append(headers_, h.c_str());
    if (!req.post_form.empty()) {
      c_.easy_setopt(easy_, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.post_form.size()));
      c_.easy_setopt(easy_, CURLOPT_COPYPOSTFIELDS, req.post_form.c_str());
      headers_ = c_.slist_append(headers_, "Content-Type: application/x-www-form-urlencoded");
      headers_ = c_.slist_append(headers_, "Expect:");
    }
    if (req.range_from > 0) {
      headers_ = c_.slist_append(
          headers_, StrFormat("Range: bytes=%llu-", static_cast<unsigned long long>(req.range_from)).c_str());
    }
    if (headers_) c_.easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
    c_.easy_setopt(easy_, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
    c_.easy_setopt(easy_, CURLOPT_MAXREDIRS, 10L);
    // Authorization goes to the host it was meant for, not to blob storage.
    c_.easy_setopt(easy_, CURLOPT_UNRESTRICTED_AUTH, 0L);
    c_.easy_setopt(easy_, CURLOPT_SSL_VERIFYPEER, req.tls_verify ? 1L : 0L);
    c_.easy_setopt(easy_, CURLOPT_SSL_VERIFYHOST, req.tls_verify ? 2L : 0L);
    if (!req.ca_dir.empty()) c_.easy_setopt(easy_, CURLOPT_CAPATH, req.ca_dir.c_str());
    c_.easy_setopt(easy_, CURLOPT_CONNECTTIMEOUT, req.connect_timeout_s);
    c_.easy_setopt(easy_, CURLOPT_LOW_SPEED_LIMIT, 1L);
    c_.easy_setopt(easy_, CURLOPT_LOW_SPEED_TIME, req.stall_timeout_s);
    c_.easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
    c_.easy_setopt(easy_, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
    c_.easy_setopt(easy_, CURLOPT_USERAGENT, "whittle/0.1");
    c_.easy_setopt(easy_, CURLOPT_ERRORBUFFER, errbuf_);
    c_.easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &Transfer::OnBody);
    c_.easy_setopt(easy_, CURLOPT_WRITEDATA, this);
    c_.easy_setopt(easy_, CURLOPT_HEADERFUNCTION, &Transfer::OnHeader);
    c_.easy_setopt(easy_, CURLOPT_HEADERDATA, this);
    c_.multi_add_handle(multi_, easy_);
  }
  ~Transfer() {
    c_.multi_remove_handle(multi_, easy_);
    c_.easy_cleanup(easy_);
    c_.multi_cleanup(multi_);
    c_.slist_free_all(headers_);
  }
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  /// Runs the transfer until body bytes are buffered or it has ended.
  Status Pump() {
    while (pos_ == buffer_.size() && !done_) {
      int running = 0;
      CURLMcode mc = c_.multi_perform(multi_, &running);
      if (mc != CURLM_OK) return Fail(c_.multi_strerror(mc));
      int queued = 0;
      while (CURLMsg* msg = c_.multi_info_read(multi_, &queued)) {
        if (msg->msg == CURLMSG_DONE) {
          done_ = true;
          result_ = msg->data.result;
        }
      }
      if (done_ || pos_ < buffer_.size()) break;
      mc = c_.multi_poll(multi_, nullptr, 0, 1000, nullptr);
      if (mc != CURLM_OK) return Fail(c_.multi_strerror(mc));
    }
    if (done_ && result_ != CURLE_OK) return FailResult();
    return Status::Ok();
  }

  /// Runs until the final response's headers are in (or the transfer ended).
  /// A transfer that fails after its headers (a body cut short) is no
  /// error here: the body's reader meets it at its offset.
  Status PumpHeaders() {
    while (!headers_done_ && !done_) {
      size_t before = buffer_.size();
      Status st = Pump();
      if (!st.ok() && !headers_done_) return st;
      if (!st.ok() || buffer_.size() > before) break;  // body bytes imply headers
    }
    if (done_ && result_ != CURLE_OK && !headers_done_) return FailResult();
    return Status::Ok();
  }

  size_t TakeBody(void* out, size_t n) {
    size_t k = std::min(n, buffer_.size() - pos_);
    std::memcpy(out, buffer_.data() + pos_, k);
    pos_ += k;
    if (pos_ == buffer_.size()) {
      buffer_.clear();
      pos_ = 0;
    }
    return k;
  }
  bool done() const { return done_; }
  bool drained() const { return done_ && pos_ == buffer_.size(); }
  size_t buffered() const { return buffer_.size() - pos_; }

  void FillResponse(HttpResponse* r) const {
    long code = 0;
    c_.easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &code);
    r->status = code;
    r->headers = response_headers_;
  }
  const std::string& where() const { return where_; }

 private:
  Status Fail(const std::string& what, Errc code = Errc::kIo) {
    std::string w = what;
    while (!w.empty() && (w.back() == '\n' || w.back() == '\r')) w.pop_back();
    return Error(code, StrFormat("%s: %s", where_.c_str(), w.c_str()));
  }
  // The finished transfer's failure; a redirect loop is no transient fault.
  Status FailResult() {
    return Fail(errbuf_[0] ? errbuf_ : c_.easy_strerror(result_),
                result_ == CURLE_TOO_MANY_REDIRECTS ? Errc::kCorrupt : Errc::kIo);
  }

  static size_t OnBody(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    t->buffer_.append(data, size * n);
    t->headers_done_ = true;
    return size * n;
  }
  static size_t OnHeader(char* data, size_t size, size_t n, void* self) {
    auto* t = static_cast<Transfer*>(self);
    std::string_view line(data, size * n);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (StartsWith(line, "HTTP/")) {  // a new response (after a redirect or 100-continue)
      t->response_headers_.clear();
      t->headers_done_ = false;
    } else if (line.empty()) {
      long code = 0;
      t->c_.easy_getinfo(t->easy_, CURLINFO_RESPONSE_CODE, &code);
      // A redirect's headers end too; the final response's are what we wait for.
      bool redirect = code >= 300 && code < 400 && t->response_headers_.count("location");
      if (!redirect) t->headers_done_ = true;
    } else {
      size_t colon = line.find(':');
      if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        t->response_headers_[name] = std::string(value);
      }
    }
    return size * n;
  }

  const CurlLibrary& c_;
  std::string where_;
  CURL* easy_ = nullptr;
  CURLM* multi_ = nullptr;
  curl_slist* headers_ = nullptr;
  char errbuf_[CURL_ERROR_SIZE] = {};
  std::string buffer_;
  size_t pos_ = 0;
  bool done_ = false;
  bool headers_done_ = false;
  CURLcode result_ = CURLE_OK;
  std::map<std::string, std::string> response_headers_;
};

class BodySource final : public ByteSource {
 public:
  BodySource(std::unique_ptr<Transfer> t, std::string name, uint64_t start)
      : t_(std::move(t)), name_(std::move(name)), pos_(start) {}
  Result<size_t> Read(void* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (n == 0) return size_t{0};
    if (t_->buffered() == 0) {
      Status st = t_->Pump();
      if (!st.ok()) {
        status_ = Error(st.code(), StrFormat("%s: at offset %llu: %s", name_.c_str(),
                                             static_cast<unsigned long long>(pos_), st.message().c_str()));
        return status_;
      }
      if (t_->buffered() == 0) return size_t{0};
    }
    size_t k = t_->TakeBody(buf, n);
    pos_ += k;
    return k;
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

 private:
  std::unique_ptr<Transfer> t_;
  std::string name_;
  uint64_t pos_ = 0;
  Status status_;
};

}  // namespace

const std::string& HttpResponse::Header(const std::string& name) const {
  static const std::string kEmpty;
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

Result<HttpResponse> HttpFetch(const HttpRequest& req, size_t cap) {
  ASSIGN_OR_RETURN(const CurlLibrary* curl, LoadCurl());
  Transfer t(*curl, req);
  HttpResponse r;
  for (;;) {
    RETURN_IF_ERROR(t.Pump());
    char buf[16384];
    while (t.buffered() > 0) {
      size_t k = t.TakeBody(buf, sizeof buf);
      if (r.body.size() + k > cap) {
        return Error(Errc::kTooLarge, StrFormat("%s: answer larger than %zu bytes", t.where().c_str(), cap));
      }
      r.body.append(buf, k);
    }
    if (t.drained()) break;
  }
  t.FillResponse(&r);
  return r;
}

Result<HttpStream> HttpOpen(const HttpRequest& req, const std::string& name) {
  ASSIGN_OR_RETURN(const CurlLibrary* curl, LoadCurl());
  auto t = std::make_unique<Transfer>(*curl, req);
  RETURN_IF_ERROR(t->PumpHeaders());
  HttpStream s;
  t->FillResponse(&s.response);
  if (s.response.status >= 200 && s.response.status < 300) {
    s.body = std::make_unique<BodySource>(std::move(t), name, s.response.status == 206 ? req.range_from : 0);
    return s;
  }
  // An error answer: keep the start of its body for the message.
  while (s.response.body.size() < kErrorBodyCap) {
    RETURN_IF_ERROR(t->Pump());
    char buf[4096];
    size_t k = t->TakeBody(buf, std::min(sizeof buf, kErrorBodyCap - s.response.body.size()));
    if (k == 0 && t->drained()) break;
    s.response.body.append(buf, k);
  }
  return s;
}

std::string UrlEscape(const std::string& s, const std::string& keep) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        keep.find(static_cast<char>(c)) != std::string::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out += StrFormat("%%%02X", c);
    }
  }
  return out;
}

std::string HttpErrorMessage(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, false);
  std::string msg;
  if (j.is_object()) {
    if (j.contains("message") && j["message"].is_string()) {
      msg = j["message"].get<std::string>();
    } else if (j.contains("errors") && j["errors"].is_array() && !j["errors"].empty() && j["errors"][0].is_object()) {
      const auto& e = j["errors"][0];
      if (e.contains("message") && e["message"].is_string()) msg = e["message"].get<std::string>();
      if (e.contains("code") && e["code"].is_string())
        msg = e["code"].get<std::string>() + (msg.empty() ? "" : ": " + msg);
    }
  }
  for (char& c : msg) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return msg;
}

}  // namespace whittle
