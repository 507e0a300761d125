// OpenImage: reference -> transport row (typed, or detected from a bare
// path's content) -> the row's opener -> Image. See image.h for the
// contract and transport.h for the table.
#include "image/image.h"
#include "image/platform.h"
#include "image/reference.h"
#include "image/transport.h"

namespace whittle {

Result<Image> OpenImage(const std::string& reference, const OpenOptions& options) {
  ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
  ref.registry = options.registry;
  Platform want;
  if (options.platform.empty()) {
    want = HostPlatform();
  } else {
    ASSIGN_OR_RETURN(want, ParsePlatform(options.platform));
  }
  if (ref.transport == nullptr) {
    ASSIGN_OR_RETURN(ref.transport, DetectTransport(ref.path));
  }

  Image image;
  image.reference = reference;
  if (ref.transport == nullptr) {
    RETURN_IF_ERROR(OpenArchiveByContent(&ref, want, &image));
  } else if (ref.transport->open == nullptr) {
    return Error(Errc::kInternal, reference + ": a stream source; read it with OpenAndScanImage (scan/open_and_scan.h)");
  } else {
    RETURN_IF_ERROR(ref.transport->open(ref, want, &image));
  }
  image.format = ref.transport->name;
  return image;
}

}  // namespace whittle
