// whittle waste: dive's efficiency numbers, exactly, and whittle's own
// reclaimable bytes (issue 3). The analysis is in src/waste/.
#include "cli/commands.h"
#include "waste/waste_report.h"

namespace whittle {

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
    "  --format F          tty, json, csv, tsv or markdown (--json, --csv, --tsv)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of blobs that are skipped, not read\n"
    "  --hash              hash file contents to find duplicate bytes (identical\n"
    "                      content at several visible paths); reads every file\n"
    "  -j N                layers scanned in parallel (default: all cores)\n";

namespace {

class WasteVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags.Value("--max-rows", "-n", [this](const std::string& v) { return ParseMaxRows(v, &max_rows_); });
    flags.Bool("--hash", nullptr, &load.hash_contents);
    load.waste_analysis = true;  // a warm run takes it from the cache
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    const LoadedImage& in = *ctx.image;
    WasteReport report = in.waste ? MakeWasteReport(ctx.image_ref, in.image, in.scan, *in.waste)
                                  : AnalyzeWaste(ctx.image_ref, in.image, in.scan);
    switch (ctx.format) {
      case OutputFormat::kJson:
        ctx.Write(FormatWasteJson(report));
        break;
      case OutputFormat::kCsv:
        ctx.Write(FormatWasteCsv(report));
        break;
      case OutputFormat::kTsv:
        ctx.Write(FormatWasteTsv(report));
        break;
      case OutputFormat::kMarkdown:
        ctx.Write(FormatWasteMarkdown(report, max_rows_));
        break;
      default:
        ctx.Write(FormatWasteText(report, max_rows_));
        break;
    }
    return ExitCode::kOk;
  }

 private:
  size_t max_rows_ = 20;
};

}  // namespace

std::unique_ptr<Verb> NewWasteVerb() { return MakeVerb<WasteVerb>(); }

}  // namespace whittle
