// Opening and scanning an image the way every image verb does: OpenImage,
// then ScanImage with a progress line on stderr when stderr is a terminal.
#ifndef WHITTLE_CLI_IMAGE_LOADER_H_
#define WHITTLE_CLI_IMAGE_LOADER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache/layer_cache.h"
#include "cli/console.h"
#include "image/image.h"
#include "scan/layer_scan.h"
#include "util/status.h"
#include "waste/waste_report.h"

namespace whittle {

struct LoadedImage {
  Image image;
  ImageScan scan;
  /// False when the image was opened only (LoadOptions::scan, scan_remote):
  /// |scan| is then empty.
  bool scanned = true;
  /// docker-daemon: opened from the Engine's history: the Engine's SIZE of
  /// each layer (image/docker_engine.h); null otherwise.
  std::optional<std::vector<std::optional<uint64_t>>> engine_sizes;
  /// LoadOptions::waste_analysis: the scan's waste analysis. When it came
  /// from the per-image result cache (cache/waste_cache.h), |scan| holds
  /// each layer's totals and warnings only, no entries.
  std::optional<WasteAnalysis> waste;
  /// LoadOptions::defer_capture, when a layer's bodies were deferred and the
  /// layer cache is on: offers those layers to the cache once their bodies
  /// are read (ReadDeferredBodies, then this; StoreDeferredLayers). Keeps
  /// the cache open until then. Empty otherwise.
  std::function<void(const Image&, const ImageScan&)> store_deferred;
};

/// What --platform, --verify and -j set (cli/verb_runner.cc), and what a
/// verb's needs add (content hashes).
struct LoadOptions {
  std::string platform;
  bool verify = false;
  unsigned threads = 0;
  bool hash_contents = false;             // ScanOptions::hash_contents
  bool totals_only = false;               // ScanOptions::totals_only
  const CaptureRules* capture = nullptr;  // ScanOptions::capture
  RegistryOptions registry;               // --creds, --tls-verify, --cert-dir (docker://)
  bool scan = true;                       // false: open only (LoadedImage::scan stays empty)
  /// false: an image whose layers are remote is described without them:
  /// docker:// from its manifest and config, docker-daemon: from the
  /// Engine's inspect and history (history without --scan).
  bool scan_remote = true;
  /// The layer cache (cache/layer_cache.h): --no-cache turns it off;
  /// --cache-dir (default: $XDG_CACHE_HOME/whittle or ~/.cache/whittle) and
  /// --cache-max-size.
  bool use_cache = true;
  std::string cache_dir;
  uint64_t cache_max_bytes = kDefaultCacheMaxBytes;
  /// The verb wants AnalyzeScanWaste of the scan (waste): LoadedImage::waste
  /// is set, from the cache's per-image results when an earlier run stored
  /// them for the same layers, and the layers' entries are then not read.
  bool waste_analysis = false;
  /// ScanOptions::defer_capture: the caller reads the bodies of
  /// uncompressed local layers later (explore, after its first frame).
  bool defer_capture = false;
};

/// Opens |reference| and scans all its layers, through the layer cache
/// unless options.use_cache is false. Warnings from the scan and the cache
/// are printed on |console| ("whittle: warning: ..."), progress too when its
/// stderr is a terminal.
Result<LoadedImage> LoadImage(const std::string& reference, const LoadOptions& options, Console& console);

}  // namespace whittle

#endif  // WHITTLE_CLI_IMAGE_LOADER_H_
