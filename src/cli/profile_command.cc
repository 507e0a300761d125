// whittle profile: the bloaty-style hierarchical size report (issue 2), and
// its diff mode `profile NEW -- OLD` (issue 7). The data sources are in
// src/sources/, the printers in src/report/.
#include "cli/commands.h"
#include "cli/profile_flags.h"
#include "report/raw_map.h"
#include "util/strings.h"

namespace whittle {

const char kProfileUsage[] =
    "usage: whittle profile [OPTION]... IMAGE [-- BASE]\n"
    "\n"
    "Where the bytes of IMAGE are: a size tree over data sources, in compressed\n"
    "(BLOB, as stored and pulled) and uncompressed (TAR) bytes. TOTAL is exactly the\n"
    "sum of the layer blobs and of the layer tars. With '-- BASE', what changed\n"
    "from BASE to IMAGE (the same as 'whittle diff BASE IMAGE').\n"
    "\n"
    "  -d SOURCES          data sources, comma-separated (default: layers);\n"
    "                      see --list-sources\n"
    "  -n NUM              rows per level before folding into [N Others]\n"
    "                      (default 20, 0 = unlimited)\n"
    "  -s blob|tar|both    sort by this size (both: the larger; default both)\n"
    "  --domain D          show blob, tar or both columns (default both)\n"
    "  --depth N           components kept by the paths source (default 3)\n"
    "  --source-filter RE  keep only bytes whose last-source label matches the\n"
    "                      regex (ECMAScript); what it leaves out is printed\n"
    "  -w                  wide: never cut labels (default: cut at 80 columns)\n"
    "  --all               diff mode: keep rows that did not change\n"
    "  --format F          tty, json, csv, tsv (--json, --csv, --tsv)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of blobs that are skipped, not read,\n"
    "                      and the diff_ids of decompressed layers\n"
    "  -j N                layers scanned in parallel (default: all cores)\n"
    "  --list-sources      list the data sources and exit\n"
    "  --raw-map           print every byte range of every layer with its label\n"
    "                      (TAR and BLOB), instead of the table\n";

Result<ExitCode> RunImageDiff(VerbContext& ctx, ProfileFlags& flags, const LoadedImage& old_image,
                              const LoadedImage& new_image) {
  std::vector<std::string> warnings;
  ASSIGN_OR_RETURN(DiffOutput out, DiffImages(old_image.image, old_image.scan, new_image.image, new_image.scan,
                                              flags.spec, flags.diff, &warnings));
  for (const std::string& w : warnings) ctx.console.Warning(w);
  if (ctx.format == OutputFormat::kTty && flags.table.label_width != 0) {
    flags.table.line_width = ctx.console.terminal_width();
  }
  switch (ctx.format) {
    case OutputFormat::kJson: ctx.Write(FormatDiffJson(out)); break;
    case OutputFormat::kCsv: ctx.Write(FormatDiffDelimited(out, ',')); break;
    case OutputFormat::kTsv: ctx.Write(FormatDiffDelimited(out, '\t')); break;
    default: ctx.Write(FormatDiffTable(out, flags.table)); break;
  }
  return ExitCode::kOk;
}

namespace {

class ProfileVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags_.AddTo(flags);
    flags.Bool("--raw-map", nullptr, &raw_map_);
    flags.Bool("--all", nullptr, &flags_.diff.keep_unchanged);
    load_ = &load;
  }

  Status Prepare(VerbContext& ctx) override {
    if (raw_map_ && !ctx.base_ref.empty()) return Error(Errc::kUsage, "--raw-map shows one image, not a diff");
    flags_.PrepareLoad(load_);
    if (raw_map_) load_->totals_only = false;  // every member's ranges
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    if (ctx.base != nullptr) return RunImageDiff(ctx, flags_, *ctx.base, *ctx.image);
    if (raw_map_) {
      ctx.Write(FormatRawMap(ctx.image->image, ctx.image->scan));
      return ExitCode::kOk;
    }
    std::vector<std::string> warnings;
    ASSIGN_OR_RETURN(Profile profile,
                     ProfileImage(ctx.image->image, ctx.image->scan, flags_.spec, nullptr, &warnings));
    for (const std::string& w : warnings) ctx.console.Warning(w);
    RollupOutput out = profile.rollup.Finish(flags_.SourceNames(), flags_.diff.max_rows, flags_.diff.sort);
    if (flags_.source_filter) {
      out.filtered = true;
      out.omitted_blob = profile.omitted_blob;
      out.omitted_tar = profile.omitted_tar;
      if (ctx.format == OutputFormat::kCsv || ctx.format == OutputFormat::kTsv) {
        ctx.console.Warning(StrFormat("--source-filter left out %llu BLOB and %llu TAR bytes",
                                      static_cast<unsigned long long>(out.omitted_blob),
                                      static_cast<unsigned long long>(out.omitted_tar)));
      }
    }
    if (ctx.format == OutputFormat::kTty && flags_.table.label_width != 0) {
      flags_.table.line_width = ctx.console.terminal_width();  // 0 when not a terminal
    }
    switch (ctx.format) {
      case OutputFormat::kJson: ctx.Write(FormatJson(out)); break;
      case OutputFormat::kCsv: ctx.Write(FormatDelimited(out, ',')); break;
      case OutputFormat::kTsv: ctx.Write(FormatDelimited(out, '\t')); break;
      default: ctx.Write(FormatTable(out, flags_.table)); break;
    }
    return ExitCode::kOk;
  }

 private:
  ProfileFlags flags_;
  LoadOptions* load_ = nullptr;
  bool raw_map_ = false;
};

}  // namespace

std::unique_ptr<Verb> NewProfileVerb() { return MakeVerb<ProfileVerb>(); }

}  // namespace whittle
