#include "cli/image_loader.h"

#include <mutex>

#include "scan/open_and_scan.h"
#include "util/strings.h"

namespace whittle {

Result<LoadedImage> LoadImage(const std::string& reference, const LoadOptions& options, Console& console) {
  OpenOptions open;
  open.platform = options.platform;
  open.verify = options.verify;
  open.registry = options.registry;
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
