#include "cli/image_loader.h"

#include <mutex>

#include "cache/cache_dir.h"
#include "cache/image_result.h"
#include "cache/waste_cache.h"
#include "cli/fetch_progress.h"
#include "image/docker_engine.h"
#include "image/reference.h"
#include "image/transport.h"
#include "scan/open_and_scan.h"
#include "util/strings.h"

namespace whittle {

namespace {

// The layer cache of this run, or null (--no-cache, or no directory to put
// it in). Its warnings go to the console.
std::unique_ptr<LayerCache> OpenLayerCache(const LoadOptions& options, Console& console) {
  if (!options.use_cache) return nullptr;
  LayerCacheOptions cache;
  cache.dir = options.cache_dir.empty() ? DefaultCacheDirFromEnvironment() : options.cache_dir;
  if (cache.dir.empty()) {
    console.Note("layer cache off: no --cache-dir, XDG_CACHE_HOME or HOME");
    return nullptr;
  }
  cache.max_bytes = options.cache_max_bytes;
  cache.warn = [&console](const std::string& message) { console.Warning(message); };
  return std::make_unique<LayerCache>(std::move(cache));
}

// Writes what the scan left for the cache. (No -v note on how many layers
// came from it: -v output is the same whether the cache was warm or cold.)
void FlushLayerCache(LayerCache* cache) {
  if (cache != nullptr) cache->Flush();
}

}  // namespace

Result<LoadedImage> LoadImage(const std::string& reference, const LoadOptions& options, Console& console) {
  OpenOptions open;
  open.platform = options.platform;
  open.verify = options.verify;
  open.registry = options.registry;
  if (!options.scan) {
    // The verb reads the layers itself (compact), by random access: a
    // stream cannot be opened that way.
    ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
    if (ref.path == "-" || (ref.transport != nullptr && ref.transport->open_stream != nullptr)) {
      return Error(Errc::kUsage, reference + ": this verb reads the layers more than once and cannot read a stream; "
                                             "save the image to a file first (docker save -o image.tar NAME)");
    }
    ASSIGN_OR_RETURN(Image image, OpenImage(reference, open));
    return LoadedImage{std::move(image), ImageScan{}, false};
  }
  if (!options.scan_remote) {
    ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
    if (ref.transport != nullptr && ref.transport->remote_layers && ref.transport->open == nullptr) {
      // docker-daemon: the Engine describes the image; no export.
      ASSIGN_OR_RETURN(EngineEndpoint engine, EngineFromEnvironment());
      ASSIGN_OR_RETURN(EngineImage described, ReadEngineImage(engine, DockerDaemonName(ref)));
      described.image.reference = reference;
      LoadedImage out{std::move(described.image), ImageScan{}, false};
      out.engine_sizes = std::move(described.layer_sizes);
      return out;
    }
    if (ref.transport != nullptr && ref.transport->remote_layers) {
      ASSIGN_OR_RETURN(Image image, OpenImage(reference, open));
      return LoadedImage{std::move(image), ImageScan{}, false};
    }
  }
  std::unique_ptr<LayerCache> cache = OpenLayerCache(options, console);
  ScanOptions scan_options;
  scan_options.verify = options.verify;
  scan_options.threads = options.threads;
  scan_options.hash_contents = options.hash_contents;
  scan_options.totals_only = options.totals_only;
  scan_options.capture = options.capture;
  scan_options.defer_capture = options.defer_capture;
  std::mutex mu;
  const bool tty = console.stderr_is_tty();
  if (tty) {
    // A registry image on a terminal: bytes and rate as the layers stream in.
    ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
    if (ref.transport != nullptr && ref.transport->remote_layers && ref.transport->open != nullptr) {
      ASSIGN_OR_RETURN(Image image, OpenImage(reference, open));
      ImageScan scan;
      std::optional<WasteAnalysis> waste;
      {
        FetchProgress progress(console);
        image.blobs = progress.Wrap(std::move(image.blobs));
        scan_options.progress = [&progress](size_t done, size_t total) { progress.LayerDone(done, total); };
        if (options.waste_analysis) {
          ASSIGN_OR_RETURN(WasteScan ws, ScanImageForWaste(image, scan_options, cache.get()));
          scan = std::move(ws.scan);
          waste = std::move(ws.analysis);
        } else {
          ASSIGN_OR_RETURN(scan, ScanImageTotals(image, scan_options, cache.get()));
        }
      }
      FlushLayerCache(cache.get());
      for (const auto& layer : scan.layers) {
        for (const auto& w : layer.warnings) console.Warning(w);
      }
      LoadedImage out{std::move(image), std::move(scan)};
      out.waste = std::move(waste);
      return out;
    }
    scan_options.progress = [&mu, &console](size_t done, size_t total) {
      std::lock_guard<std::mutex> lock(mu);
      console.Progress(total ? StrFormat("whittle: scanned %zu/%zu layers", done, total)
                             : StrFormat("whittle: scanned %zu layers", done));
    };
  }
  std::optional<WasteAnalysis> waste;
  if (options.waste_analysis) waste.emplace();
  // waste and totals-only scans (history --scan, profile -d layers) go
  // through the per-image results (cache/image_result.h) as well.
  Result<ScannedImage> scanned = options.waste_analysis
                                     ? OpenAndScanForWaste(reference, open, scan_options, cache.get(), &*waste)
                                     : OpenAndScanTotals(reference, open, scan_options, cache.get());
  if (tty) console.Progress("");
  if (!scanned) return scanned.error();
  FlushLayerCache(cache.get());
  for (const auto& layer : scanned->scan.layers) {
    for (const auto& w : layer.warnings) console.Warning(w);
  }
  LoadedImage out{std::move(scanned->image), std::move(scanned->scan)};
  out.waste = std::move(waste);
  bool deferred = false;
  for (const auto& layer : out.scan.layers) deferred = deferred || layer.deferred_bodies != nullptr;
  if (deferred && cache != nullptr) {
    scan_options.progress = nullptr;  // it names this frame's locals
    out.store_deferred = [cache = std::shared_ptr<LayerCache>(std::move(cache)), scan_options](
                             const Image& image, const ImageScan& scan) {
      StoreDeferredLayers(image, scan, scan_options, cache.get());
    };
  }
  return out;
}

}  // namespace whittle
