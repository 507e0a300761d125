// Fuzz target for the parsers of what users type to name an image: the
// image reference (skopeo transport syntax, image/reference.h), the
// docker:// registry name (image/registry_store.h), --platform
// (image/platform.h) and RefMatches. The input is split at its first '\n':
// the text before is parsed by every parser; the text after is the "have"
// side given to RefMatches. Must never crash or hang. Checked:
//  - errors: one non-empty line.
//  - a parsed reference: index >= -1; a transport it names has a name.
//  - a parsed registry name: host and repo set, exactly one of tag and
//    digest, and its ToString() parses back to the same four fields.
//  - a parsed platform: os and architecture set; ToString() parses back
//    to the same platform, which matches itself.
//  - RefMatches: every non-empty name matches itself; matching is symmetric.
// Replayed over tests/fuzz/corpus/image_ref by fuzz_replay_image_ref.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "image/platform.h"
#include "image/reference.h"
#include "image/registry_store.h"

namespace {

[[noreturn]] void Fail(const std::string& what, std::string_view input) {
  std::fprintf(stderr, "image_ref invariant broken: %s (input %zu bytes)\n", what.c_str(), input.size());
  std::abort();
}

void CheckError(const whittle::Status& st, std::string_view input) {
  const std::string& m = st.message();
  if (m.empty() || m.find('\n') != std::string::npos) Fail("error is empty or not one line", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string text(input.substr(0, nl));
  std::string have(nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1));

  auto ref = whittle::ParseImageReference(text);
  if (!ref) {
    CheckError(ref.error(), input);
  } else {
    if (ref->index < -1) Fail("reference index below -1", input);
    if (ref->transport != nullptr && ref->transport->name == nullptr) Fail("transport without a name", input);
  }

  auto name = whittle::ParseRegistryName(text);
  if (!name) {
    CheckError(name.error(), input);
  } else {
    if (name->host.empty() || name->repo.empty()) Fail("registry name without host or repo", input);
    if (name->tag.empty() == name->digest.empty()) Fail("registry name needs exactly one of tag and digest", input);
    auto again = whittle::ParseRegistryName(name->ToString());
    if (!again) Fail("ToString() of a registry name does not parse: " + again.error().message(), input);
    if (again->host != name->host || again->repo != name->repo || again->tag != name->tag ||
        again->digest != name->digest) {
      Fail("registry name does not survive ToString(): " + name->ToString(), input);
    }
  }

  auto platform = whittle::ParsePlatform(text);
  if (!platform) {
    CheckError(platform.error(), input);
  } else {
    if (platform->os.empty() || platform->architecture.empty()) Fail("platform without os or architecture", input);
    auto again = whittle::ParsePlatform(platform->ToString());
    if (!again || again->ToString() != platform->ToString()) Fail("platform does not survive ToString()", input);
    if (!whittle::PlatformMatches(*platform, *platform)) Fail("platform does not match itself", input);
  }

  if (!text.empty() && !whittle::RefMatches(text, text)) Fail("a name does not match itself", input);
  if (whittle::RefMatches(text, have) != whittle::RefMatches(have, text)) Fail("RefMatches is not symmetric", input);
  return 0;
}
