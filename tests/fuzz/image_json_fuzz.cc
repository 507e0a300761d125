// Fuzz target for the image JSON parsers: manifests, indexes (ParseManifestDoc)
// and configs (ParseImageConfig). The first byte picks the parser. Any input
// must give a value or a clean error, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "image/image.h"
#include "image/image_config.h"
#include "image/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    auto doc = whittle::ParseManifestDoc(text, "fuzz:manifest");
    (void)doc;
  } else {
    whittle::Image image;
    whittle::Status st = whittle::ParseImageConfig(text, "fuzz:config", &image);
    (void)st;
  }
  return 0;
}
