// whittle waste: dive's efficiency numbers, exactly, and whittle's own
// reclaimable bytes (issue 3). The analysis is in src/waste/.
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/image_loader.h"
#include "waste/waste_report.h"

namespace whittle {

namespace {

const char kWasteUsage[] =
    "usage: whittle waste [OPTION]... IMAGE\n"
    "\n"
    "Bytes an image stores but never shows: files overwritten by a later layer\n"
    "(identical re-adds too), deleted by a whiteout (file or directory), or hidden\n"
    "by an opaque directory, each with the layer that stored it and the layer that\n"
    "made it dead. Also dive's metrics (efficiency, wastedBytes, userWastedPercent,\n"
    "inefficient files), computed exactly as dive v0.13 does.\n"
    "\n"
    "  -n NUM              rows per table (default 20, 0 = all)\n"
    "  --format F          tty, json or csv (--json, --csv)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of blobs that are skipped, not read\n"
    "  --hash              hash file contents to find duplicate bytes (identical\n"
    "                      content at several visible paths); reads every file\n"
    "  -j N                layers scanned in parallel (default: all cores)\n";

}  // namespace

int RunWaste(const Args& args) {
  ArgParser p(args);
  std::string image_ref, value;
  size_t max_rows = 20;
  OutputFormat format = OutputFormat::kTty;
  LoadOptions load;
  Status load_error;
  auto usage_error = [](const std::string& msg) {
    PrintError(msg + " (see 'whittle waste --help')");
    return 2;
  };
  while (!p.Done()) {
    if (p.TryFlag("--help", "-h")) {
      std::fputs(kWasteUsage, stdout);
      return 0;
    } else if (p.TryOption("--max-rows", "-n", &value)) {
      char* end = nullptr;
      long v = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end || v < 0) return usage_error("-n needs a number >= 0, got '" + value + "'");
      max_rows = static_cast<size_t>(v);
    } else if (p.TryOption("--format", nullptr, &value)) {
      auto f = ParseOutputFormat(value);
      if (!f || (*f != OutputFormat::kTty && *f != OutputFormat::kJson && *f != OutputFormat::kCsv)) {
        return usage_error("waste --format takes tty, json or csv");
      }
      format = *f;
    } else if (p.TryFlag("--json")) {
      format = OutputFormat::kJson;
    } else if (p.TryFlag("--csv")) {
      format = OutputFormat::kCsv;
    } else if (TryParseLoadOption(p, &load, &load_error)) {
      if (!load_error.ok()) return usage_error(load_error.message());
    } else if (p.TryFlag("--hash")) {
      load.hash_contents = true;
    } else if (p.TryPositional(&value)) {
      if (!image_ref.empty()) return usage_error("waste takes one IMAGE (got '" + image_ref + "' and '" + value + "')");
      image_ref = value;
    } else {
      return usage_error(p.UnexpectedMessage());
    }
    if (!p.error().ok()) return usage_error(p.error().message());
  }
  if (image_ref.empty()) return usage_error("waste needs an IMAGE");

  auto loaded = LoadImage(image_ref, load);
  if (!loaded) {
    PrintError(loaded.error());
    return 2;
  }
  WasteReport report = AnalyzeWaste(image_ref, loaded->image, loaded->scan);
  std::string text;
  switch (format) {
    case OutputFormat::kJson: text = FormatWasteJson(report); break;
    case OutputFormat::kCsv: text = FormatWasteCsv(report); break;
    default: text = FormatWasteText(report, max_rows); break;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace whittle
