// whittle history: `docker history` from files, with the tar and blob sizes
// docker does not show (issue 2). The view is report/history_view.h.
#include "cli/commands.h"
#include "report/history_view.h"

namespace whittle {

const char kHistoryUsage[] =
    "usage: whittle history [OPTION]... IMAGE\n"
    "\n"
    "One row per config history entry, oldest first: the layer it made (#N, or - for\n"
    "entries that made no layer), when, by what instruction, and the layer's sizes:\n"
    "SIZE (file contents, what `docker history` shows), TAR (the layer tar with\n"
    "headers and padding), BLOB (bytes as stored or pulled) and FILES (regular files,\n"
    "symlinks and hard links).\n"
    "\n"
    "  --reverse           newest first, as docker prints it\n"
    "  --no-trunc          never cut CREATED BY (it is cut only on a terminal)\n"
    "  --format F          tty, json, csv, tsv or markdown (--json, --csv, --tsv)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of skipped blobs and diff_ids\n"
    "  --scan              read every layer of a docker:// or docker-daemon: image; by\n"
    "                      default docker:// fetches only the manifest and config\n"
    "                      (SIZE, TAR and FILES show -) and docker-daemon: shows the\n"
    "                      Engine's own history and SIZE (TAR, BLOB and FILES show -)\n";

namespace {

class HistoryVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    load.scan_remote = false;
    load.totals_only = true;  // the rows need only each layer's totals
    flags.Bool("--scan", nullptr, &load.scan_remote);
    flags.Bool("--reverse", nullptr, &reverse_);
    flags.Bool("--no-trunc", nullptr, &no_trunc_);
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    const LoadedImage& in = *ctx.image;
    HistoryView view = BuildHistoryView(in.image, reverse_);
    if (view.history_mismatch) {
      ctx.console.Warning(ctx.image_ref + ": the config history does not match the layers; showing layers only");
    }
    std::vector<LayerNumbers> numbers = in.scanned        ? NumbersFromScan(in.scan)
                                        : in.engine_sizes ? NumbersFromEngine(*in.engine_sizes)
                                                          : NumbersFromManifest(in.image);
    if (ctx.format == OutputFormat::kJson) {
      ctx.Write(FormatHistoryJson(view, in.image, numbers));
    } else if (ctx.format == OutputFormat::kCsv || ctx.format == OutputFormat::kTsv) {
      ctx.Write(FormatHistoryDelimited(view, in.image, numbers, ctx.format == OutputFormat::kCsv ? ',' : '\t'));
    } else if (ctx.format == OutputFormat::kMarkdown) {
      ctx.Write(FormatHistoryMarkdown(view, numbers));
    } else {
      ctx.Write(FormatHistoryTable(view, numbers, {ctx.console.terminal_width(), no_trunc_}));
    }
    return ExitCode::kOk;
  }

 private:
  bool reverse_ = false;
  bool no_trunc_ = false;
};

}  // namespace

std::unique_ptr<Verb> NewHistoryVerb() { return MakeVerb<HistoryVerb>(); }

}  // namespace whittle
