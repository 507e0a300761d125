// whittle diff OLD NEW: what changed between two images, per data source
// (issue 7). The same as `whittle profile NEW -- OLD`.
#include "cli/commands.h"
#include "cli/profile_flags.h"

namespace whittle {

const char kDiffUsage[] =
    "usage: whittle diff [OPTION]... OLD NEW\n"
    "       whittle diff [OPTION]... NEW -- OLD\n"
    "\n"
    "What changed from OLD to NEW: the profile tree of both images with OLD, NEW\n"
    "and signed DELTA sizes and the change per label ([NEW], [DEL], +12.3%), in\n"
    "BLOB and TAR bytes. Rows are sorted by the size of their change; rows that did\n"
    "not change are left out. Layers are matched by diff_id, then by instruction.\n"
    "OLD and NEW may be in different formats.\n"
    "\n"
    "  -d SOURCES          data sources, comma-separated (default: layers);\n"
    "                      see --list-sources\n"
    "  -n NUM              rows per level before folding into [N Others]\n"
    "                      (default 20, 0 = unlimited)\n"
    "  -s blob|tar|both    sort by this change (both: the larger; default both)\n"
    "  --domain D          show blob, tar or both columns (default both)\n"
    "  --depth N           components kept by the paths source (default 3)\n"
    "  --source-filter RE  keep only bytes whose last-source label matches\n"
    "  --all               keep rows that did not change\n"
    "  -w                  wide: never cut labels (default: cut at 80 columns)\n"
    "  --format F          tty, json, csv, tsv (--json, --csv, --tsv)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of skipped blobs and diff_ids\n"
    "  -j N                layers scanned in parallel (default: all cores)\n"
    "  --list-sources      list the data sources and exit\n";

Result<ExitCode> RunImageDiff(VerbContext& ctx, ProfileFlags& flags, const LoadedImage& old_image,
                              const LoadedImage& new_image);  // cli/profile_command.cc

namespace {

class DiffVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags_.AddTo(flags);
    flags.Bool("--all", nullptr, &flags_.diff.keep_unchanged);
    load_ = &load;
  }
  Status Prepare(VerbContext&) override {
    flags_.PrepareLoad(load_);
    return Status::Ok();
  }
  Result<ExitCode> Run(VerbContext& ctx) override { return RunImageDiff(ctx, flags_, *ctx.base, *ctx.image); }

 private:
  ProfileFlags flags_;
  LoadOptions* load_ = nullptr;
};

}  // namespace

std::unique_ptr<Verb> NewDiffVerb() { return MakeVerb<DiffVerb>(); }

}  // namespace whittle
