// HTTP over libcurl, as whittle's network sources need it: one request at a
// time, the body either read whole (capped: JSON answers) or handed out as a
// ByteSource that pulls from the connection as it is read (layer blobs, the
// Engine's image export), so nothing is spooled to disk or held whole.
//
// Transport: TCP (http/https, HTTP/1.1 or HTTP/2 as negotiated) or a unix
// socket (the Docker Engine). Redirects are followed (at most 10). Every
// request has a connect timeout and a low-speed limit, so a stalled server
// is an error, never a hang. Headers may carry credentials: nothing here
// prints a header, and errors name only the URL (never with user info).
#ifndef WHITTLE_NET_HTTP_H_
#define WHITTLE_NET_HTTP_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "io/byte_source.h"
#include "util/status.h"

namespace whittle {

struct HttpRequest {
  /// Absolute URL. With |unix_socket| set, the host part is ignored.
  std::string url;
  bool head = false;  // HEAD instead of GET
  /// Non-empty: POST this application/x-www-form-urlencoded body instead of
  /// a GET (sent at once: no `Expect: 100-continue` round trip).
  std::string post_form;
  /// Extra request headers, "Name: value" (Accept, Authorization...).
  std::vector<std::string> headers;
  /// Connect through this unix socket instead of the URL's host.
  std::string unix_socket;
  /// Verify the server's certificate (https).
  bool tls_verify = true;
  /// Directory of CA certificates (*.crt) to trust in addition; "" for the system store.
  std::string ca_dir;
  bool follow_redirects = true;
  long connect_timeout_s = 30;
  /// Fail when fewer than 1 byte/s arrive for this long (a stalled server).
  long stall_timeout_s = 60;
  /// > 0: ask for the resource from this byte on (`Range: bytes=N-`). A 206
  /// answer's body then counts its positions (and messages their offsets)
  /// from here; a 200 (the server ignored the range) from 0.
  uint64_t range_from = 0;
};

struct HttpResponse {
  long status = 0;
  /// Response headers of the final response, names lower-cased (the last
  /// value wins for repeated names).
  std::map<std::string, std::string> headers;
  std::string body;  // HttpFetch: the body; HttpOpen: a capped copy when status is not 2xx
  /// The header |name| (lower-case) or "".
  const std::string& Header(const std::string& name) const;
};

/// Performs |req| and reads the body whole. A body over |cap| bytes is
/// kTooLarge. Any HTTP status is a success here (the caller judges it);
/// errors are transport failures: kIo "URL: what went wrong" (worth a
/// retry: refused, reset, timed out), or kCorrupt for a server that will
/// not do better on a retry (a redirect loop: more than 10 redirects).
Result<HttpResponse> HttpFetch(const HttpRequest& req, size_t cap);

/// An answer whose body is read as it arrives.
struct HttpStream {
  HttpResponse response;             // status and headers (body empty for 2xx)
  std::unique_ptr<ByteSource> body;  // set only for a 2xx status
};

/// Performs |req| up to the end of the response headers. For a 2xx status
/// returns the body as a ByteSource named |name| (kIo on a transfer
/// failure mid-body, e.g. a dropped connection or a stall); for any other
/// status reads at most 64 KiB of the body into response.body and closes.
Result<HttpStream> HttpOpen(const HttpRequest& req, const std::string& name);

/// |s| with every byte outside [A-Za-z0-9-._~] and |keep| percent-encoded.
std::string UrlEscape(const std::string& s, const std::string& keep = "");

/// The "message" of a JSON error body ({"message": "..."}, or the registry
/// form {"errors": [{"code", "message"}]}), on one line; "" when none.
std::string HttpErrorMessage(const std::string& body);

}  // namespace whittle

#endif  // WHITTLE_NET_HTTP_H_
