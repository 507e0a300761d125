// Opening and scanning an image the way every image verb does: OpenImage,
// then ScanImage with a progress line on stderr when stderr is a terminal.
#ifndef WHITTLE_CLI_IMAGE_LOADER_H_
#define WHITTLE_CLI_IMAGE_LOADER_H_

#include <string>

#include "image/image.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle {

struct LoadedImage {
  Image image;
  ImageScan scan;
};

struct LoadOptions {
  std::string platform;
  bool verify = false;
  unsigned threads = 0;
  bool hash_contents = false;  // ScanOptions::hash_contents
  const CaptureRules* capture = nullptr;  // ScanOptions::capture
};

class ArgParser;

/// The options every image verb shares: `--platform P`, `--verify`,
/// `-j/--jobs N`. Returns true when the current argument was one of them
/// (and consumes it); a bad value sets |*error| to a kUsage status.
bool TryParseLoadOption(ArgParser& p, LoadOptions* load, Status* error);

/// Opens |reference| and scans all its layers. Warnings from the scan are
/// printed to stderr ("whittle: warning: ...").
Result<LoadedImage> LoadImage(const std::string& reference, const LoadOptions& options);

}  // namespace whittle

#endif  // WHITTLE_CLI_IMAGE_LOADER_H_
