// Fuzz target for what a registry (or anything pretending to be one)
// answers: the WWW-Authenticate challenge of a 401, the token service's
// JSON, an error body, and the manifest or index a GET returns. The first
// byte picks the answer (mod 4), the rest is its text:
//   0  WWW-Authenticate header value     ParseAuthChallenge
//   1  token service answer              ParseTokenAnswer
//   2  error body of a non-2xx answer    HttpErrorMessage
//   3  a manifest or index               ParseManifestDoc
// Every input also goes through Base64Decode (the auth files' entries).
// Must never crash or hang. Checked:
//  - a challenge has a non-empty, lower-case scheme without spaces, and its
//    parameter names are lower case.
//  - the message shown from an error body is one line.
//  - a manifest/index that parses: digests are sha256:<64 hex>, sizes
//    >= -1; errors are one line naming the document.
//  - Base64: any bytes encode and decode back to themselves.
// Replayed over tests/fuzz/corpus/registry by fuzz_replay_registry.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "image/manifest.h"
#include "image/registry_auth.h"
#include "net/http.h"

namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "registry invariant broken: %s\n", what.c_str());
  std::abort();
}

bool IsDigest(const std::string& d) {
  if (d.size() != 71 || d.rfind("sha256:", 0) != 0) return false;
  for (size_t i = 7; i < d.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(d[i])) || std::isupper(static_cast<unsigned char>(d[i]))) {
      return false;
    }
  }
  return true;
}

bool LowerCase(const std::string& s) {
  for (char c : s) {
    if (std::isupper(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

void CheckDescriptor(const whittle::Descriptor& d) {
  if (!IsDigest(d.digest)) Fail("descriptor digest is not sha256:<64 hex>: " + d.digest);
  if (d.size < -1) Fail("descriptor size below -1");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      auto c = whittle::ParseAuthChallenge(text);
      if (c) {
        if (c->scheme.empty() || c->scheme.find(' ') != std::string::npos) Fail("challenge scheme empty or spaced");
        if (!LowerCase(c->scheme)) Fail("challenge scheme not lower case");
        for (const auto& [k, v] : c->params) {
          if (!LowerCase(k)) Fail("challenge parameter name not lower case");
        }
      }
      break;
    }
    case 1:
      (void)whittle::ParseTokenAnswer(text);
      break;
    case 2: {
      std::string m = whittle::HttpErrorMessage(text);
      if (m.find('\n') != std::string::npos || m.find('\r') != std::string::npos) Fail("error message not one line");
      break;
    }
    case 3: {
      auto doc = whittle::ParseManifestDoc(text, "docker://fuzz/manifest");
      if (!doc) {
        const std::string& m = doc.error().message();
        if (m.empty() || m.find('\n') != std::string::npos) Fail("manifest error empty or not one line");
        if (m.rfind("docker://fuzz/manifest", 0) != 0) Fail("manifest error does not name the document: " + m);
        break;
      }
      if (!doc->is_index && !doc->config.digest.empty()) CheckDescriptor(doc->config);
      for (const auto& d : doc->layers) CheckDescriptor(d);
      for (const auto& d : doc->manifests) CheckDescriptor(d);
      break;
    }
  }
  (void)whittle::Base64Decode(text);
  auto back = whittle::Base64Decode(whittle::Base64Encode(text));
  if (!back || *back != text) Fail("Base64 encode/decode does not round-trip");
  return 0;
}
