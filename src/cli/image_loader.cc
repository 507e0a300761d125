#include "cli/image_loader.h"

#include <mutex>

#include "cli/fetch_progress.h"
#include "image/docker_engine.h"
#include "image/reference.h"
#include "image/transport.h"
#include "scan/open_and_scan.h"
#include "util/strings.h"

namespace whittle {

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
  ScanOptions scan_options;
  scan_options.verify = options.verify;
  scan_options.threads = options.threads;
  scan_options.hash_contents = options.hash_contents;
  scan_options.capture = options.capture;
  std::mutex mu;
  const bool tty = console.stderr_is_tty();
  if (tty) {
    // A registry image on a terminal: bytes and rate as the layers stream in.
    ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
    if (ref.transport != nullptr && ref.transport->remote_layers && ref.transport->open != nullptr) {
      ASSIGN_OR_RETURN(Image image, OpenImage(reference, open));
      ImageScan scan;
      {
        FetchProgress progress(console);
        image.blobs = progress.Wrap(std::move(image.blobs));
        scan_options.progress = [&progress](size_t done, size_t total) { progress.LayerDone(done, total); };
        ASSIGN_OR_RETURN(scan, ScanImage(image, scan_options));
      }
      for (const auto& layer : scan.layers) {
        for (const auto& w : layer.warnings) console.Warning(w);
      }
      return LoadedImage{std::move(image), std::move(scan)};
    }
    scan_options.progress = [&mu, &console](size_t done, size_t total) {
      std::lock_guard<std::mutex> lock(mu);
      console.Progress(total ? StrFormat("whittle: scanned %zu/%zu layers", done, total)
                             : StrFormat("whittle: scanned %zu layers", done));
    };
  }
  auto scanned = OpenAndScanImage(reference, open, scan_options);
  if (tty) console.Progress("");
  if (!scanned) return scanned.error();
  for (const auto& layer : scanned->scan.layers) {
    for (const auto& w : layer.warnings) console.Warning(w);
  }
  LoadedImage out{std::move(scanned->image), std::move(scanned->scan)};
  return out;
}

}  // namespace whittle
