// OpenAndScanImage: what every image verb needs, an Image and its ImageScan,
// from a reference of any kind. Images that can be read at random (files,
// layouts) are opened (image/image.h) and then scanned layer by layer in
// parallel (ScanImage); archives that can only be read once, front to back
// (stdin, a compressed docker save; image/stream_archive.h), are scanned as
// their members stream by and resolved at the end. The numbers are the
// same either way.
#ifndef WHITTLE_SCAN_OPEN_AND_SCAN_H_
#define WHITTLE_SCAN_OPEN_AND_SCAN_H_

#include <functional>
#include <string>

#include "image/image.h"
#include "image/stream_archive.h"
#include "scan/layer_cache.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle {

struct ScannedImage {
  Image image;
  ImageScan scan;
};

/// Opens |reference| and scans all its layers. For a stream,
/// options.progress is called with a total of 0 (unknown until the end).
/// |cache| (may be null; not owned) answers the layers it holds and is
/// offered the others (scan/layer_cache.h); a stream is read whole anyway,
/// so it only fills the cache.
Result<ScannedImage> OpenAndScanImage(const std::string& reference, const OpenOptions& open,
                                      const ScanOptions& options, LayerScanCache* cache = nullptr);

/// The two steps OpenAndScanImage takes, for callers that keep more than
/// the layers (a cached image result, a waste analysis). Either may be
/// empty, for OpenAndScanImage's own.
struct ScanSteps {
  /// Scans an image opened for reading at random; default ScanImage.
  std::function<Result<ImageScan>(Image& image)> scan_random;
  /// Runs on a streamed image once it is scanned and resolved.
  std::function<void(ScannedImage& scanned)> after_stream;
};

/// OpenAndScanImage with |steps|: the one place that tells a stream from an
/// image read at random.
Result<ScannedImage> OpenAndScanImage(const std::string& reference, const OpenOptions& open,
                                      const ScanOptions& options, LayerScanCache* cache, const ScanSteps& steps);

/// Reads |stream| (image/stream_archive.h) in its one pass, scanning each
/// layer-like member as it goes by, then resolves the image for
/// open.platform and adopts the scans. What OpenAndScanImage does for a
/// stream; exposed for the pipeline fuzz target (tests/fuzz/).
Result<ScannedImage> ScanImageStream(ImageStream& stream, const OpenOptions& open, const ScanOptions& options,
                                     LayerScanCache* cache = nullptr);

}  // namespace whittle

#endif  // WHITTLE_SCAN_OPEN_AND_SCAN_H_
