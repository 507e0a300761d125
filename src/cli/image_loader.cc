#include "cli/image_loader.h"

#include <mutex>

#include "util/strings.h"

namespace whittle {

Result<LoadedImage> LoadImage(const std::string& reference, const LoadOptions& options, Console& console) {
  OpenOptions open;
  open.platform = options.platform;
  open.verify = options.verify;
  ASSIGN_OR_RETURN(Image image, OpenImage(reference, open));
  if (!options.scan) return LoadedImage{std::move(image), ImageScan{}};
  ScanOptions scan_options;
  scan_options.verify = options.verify;
  scan_options.threads = options.threads;
  scan_options.hash_contents = options.hash_contents;
  scan_options.capture = options.capture;
  std::mutex mu;
  const bool tty = console.stderr_is_tty();
  if (tty) {
    scan_options.progress = [&mu, &console](size_t done, size_t total) {
      std::lock_guard<std::mutex> lock(mu);
      console.Progress(StrFormat("whittle: scanned %zu/%zu layers", done, total));
    };
  }
  auto scan = ScanImage(image, scan_options);
  if (tty) console.Progress("");
  if (!scan) return scan.error();
  for (const auto& layer : scan->layers) {
    for (const auto& w : layer.warnings) console.Warning(w);
  }
  LoadedImage out{std::move(image), std::move(*scan)};
  return out;
}

}  // namespace whittle
