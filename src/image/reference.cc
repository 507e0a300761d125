#include "image/reference.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <span>

#include "util/strings.h"

namespace whittle {
namespace {

bool IsRegularOrLink(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// Parses "@N" (N a non-negative decimal, at most 6 digits).
bool ParseIndex(std::string_view s, int* out) {
  if (s.size() < 2 || s.size() > 7 || s[0] != '@') return false;
  int v = 0;
  for (char c : s.substr(1)) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// "docker-archive:, oci:, oci-archive: or dir:", from the transport table.
std::string SupportedPrefixes() {
  std::span<const Transport> ts = Transports();
  std::string out;
  for (size_t i = 0; i < ts.size(); ++i) {
    if (i > 0) out += i + 1 == ts.size() ? " or " : ", ";
    out += ts[i].prefix;
  }
  return out;
}

std::string NormalizeImageName(std::string_view n) {
  for (std::string_view prefix : {"docker.io/library/", "index.docker.io/library/", "docker.io/",
                                  "index.docker.io/"}) {
    if (StartsWith(n, prefix)) {
      n.remove_prefix(prefix.size());
      break;
    }
  }
  std::string out(n);
  size_t slash = out.rfind('/');
  size_t last = slash == std::string::npos ? 0 : slash + 1;
  if (out.find(':', last) == std::string::npos && out.find('@') == std::string::npos) {
    out += ":latest";
  }
  return out;
}

}  // namespace

bool RefMatches(std::string_view want, std::string_view have) {
  if (want.empty() || have.empty()) return false;
  if (want == have) return true;
  return NormalizeImageName(want) == NormalizeImageName(have);
}

Result<ImageReference> ParseImageReference(std::string_view text) {
  ImageReference ref;
  std::string_view rest = text;
  for (const Transport& t : Transports()) {
    if (StartsWith(text, t.prefix)) {
      ref.transport = &t;
      rest = text.substr(t.prefix.size());
      break;
    }
  }
  if (ref.transport == nullptr) {
    // skopeo transports whittle does not read (yet): say so rather than
    // look for a file named "docker://alpine".
    static constexpr std::string_view kForeign[] = {
        "containers-storage:", "ostree:", "sif:", "tarball:",
    };
    for (std::string_view f : kForeign) {
      if (StartsWith(text, f)) {
        return Error(Errc::kUsage,
                     StrFormat("%s: transport '%.*s' is not supported; use %s",
                               EscapeForMessage(text).c_str(), static_cast<int>(f.size()),
                               f.data(), SupportedPrefixes().c_str()));
      }
    }
    // A bare path is taken whole, colons included (it matched no transport).
    ref.path = std::string(text);
  } else {
    size_t colon = rest.find(':');
    ref.path = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      std::string_view sel = rest.substr(colon + 1);
      if (!ref.transport->selects_image) {
        return Error(Errc::kUsage, StrFormat("%s: %.*s takes no image name after the path",
                                             EscapeForMessage(text).c_str(),
                                             static_cast<int>(ref.transport->prefix.size()),
                                             ref.transport->prefix.data()));
      }
      if (!sel.empty() && sel[0] == '@') {
        if (!ParseIndex(sel, &ref.index)) {
          return Error(Errc::kUsage, StrFormat("%s: bad image index '%s' (want @N, N >= 0)",
                                               EscapeForMessage(text).c_str(),
                                               EscapeForMessage(sel).c_str()));
        }
      } else if (sel.empty()) {
        return Error(Errc::kUsage,
                     StrFormat("%s: empty image name after ':'", EscapeForMessage(text).c_str()));
      } else {
        ref.ref = std::string(sel);
      }
    }
  }
  if (ref.path.empty()) {
    return Error(Errc::kUsage, StrFormat("%s: empty path", EscapeForMessage(text).c_str()));
  }
  return ref;
}

Result<const Transport*> DetectTransport(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    int err = errno;
    return Error(err == ENOENT ? Errc::kNotFound : Errc::kIo,
                 StrFormat("%s: %s", path.c_str(), std::strerror(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    if (IsRegularOrLink(path + "/oci-layout")) return FindTransport("oci");
    if (IsRegularOrLink(path + "/manifest.json")) return FindTransport("dir");
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not an image: a directory with neither oci-layout (OCI layout) "
                           "nor manifest.json (dir:)",
                           path.c_str()));
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not an image: not a regular file or directory", path.c_str()));
  }
  return nullptr;  // a file: docker-archive or oci-archive, by its members
}

}  // namespace whittle
