#include "cli/image_loader.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "cli/common.h"

namespace whittle {

bool TryParseLoadOption(ArgParser& p, LoadOptions* load, Status* error) {
  std::string value;
  if (p.TryOption("--platform", nullptr, &value)) {
    load->platform = value;
    return true;
  }
  if (p.TryFlag("--verify")) {
    load->verify = true;
    return true;
  }
  if (p.TryOption("--jobs", "-j", &value)) {
    char* end = nullptr;
    long v = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end || v < 1 || v > 256) {
      *error = Error(Errc::kUsage, "-j needs a number from 1 to 256, got '" + value + "'");
    } else {
      load->threads = static_cast<unsigned>(v);
    }
    return true;
  }
  return false;
}

Result<LoadedImage> LoadImage(const std::string& reference, const LoadOptions& options) {
  OpenOptions open;
  open.platform = options.platform;
  open.verify = options.verify;
  ASSIGN_OR_RETURN(Image image, OpenImage(reference, open));
  ScanOptions scan_options;
  scan_options.verify = options.verify;
  scan_options.threads = options.threads;
  scan_options.hash_contents = options.hash_contents;
  scan_options.capture = options.capture;
  std::mutex mu;
  const bool tty = StderrIsTty();
  if (tty) {
    scan_options.progress = [&mu](size_t done, size_t total) {
      std::lock_guard<std::mutex> lock(mu);
      std::fprintf(stderr, "\rwhittle: scanned %zu/%zu layers", done, total);
      std::fflush(stderr);
    };
  }
  auto scan = ScanImage(image, scan_options);
  if (tty) std::fputs("\r\033[K", stderr);
  if (!scan) return scan.error();
  for (const auto& layer : scan->layers) {
    for (const auto& w : layer.warnings) PrintWarning(w);
  }
  LoadedImage out{std::move(image), std::move(*scan)};
  return out;
}

}  // namespace whittle
