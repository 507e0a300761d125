// whittle explore: the layers and the filesystem as of each layer, in the
// terminal (issue 13). The model is in src/explore/, the ncurses UI in
// explore/explore_ui.cc.
#include <unistd.h>

#include "cli/commands.h"
#include "explore/explore_ui.h"
#include "scan/layer_cache.h"
#include "sources/package_attribution.h"

namespace whittle {

const char kExploreUsage[] =
    "usage: whittle explore [OPTION]... IMAGE\n"
    "\n"
    "Browse an image in the terminal: its layers (instruction, size, reclaimable\n"
    "bytes) and the filesystem as of the selected layer, with added (A), modified\n"
    "(M) and removed (D) marks, subtree sizes, owning packages and kinds.\n"
    "Needs a terminal; for a report use `whittle profile` or `whittle waste`.\n"
    "\n"
    "Keys: Tab switches panes; arrows or j/k move; Enter, Space, l/h open and\n"
    "close directories; / filters by path regex; s sorts by size or name;\n"
    "w shows only waste (bytes a later layer deletes or overwrites); c shows\n"
    "only the layer's own changes; q or Ctrl-C quits.\n"
    "\n"
    "  -c, --changes       start with only the selected layer's changes\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of blobs that are skipped, not read\n"
    "  -j N                layers scanned in parallel (default: all cores)\n";

namespace {

class ExploreVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags.Bool("--changes", "-c", &options_.changes_only);
    AddPackageCaptureRules(&rules_);  // the owner column reads the package databases
    load.capture = &rules_;
    load.defer_capture = true;  // ... after the first frame (RunExplore)
  }

  Status Prepare(VerbContext& ctx) override {
    // Refuse before the scan: a pipe gets one line, not a terminal UI.
    const char* which = !isatty(STDOUT_FILENO) ? "stdout" : !isatty(STDIN_FILENO) ? "stdin" : nullptr;
    if (which != nullptr) {
      return Error(Errc::kUsage, std::string("explore: ") + which +
                                     " is not a terminal; for a report use `whittle profile " + ctx.image_ref +
                                     "` (or waste, history)");
    }
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    options_.image_ref = ctx.image_ref;
    const LoadedImage& loaded = *ctx.image;
    // The bodies the scan queued, read on the owners' thread, then given to
    // the layer cache; the rules' complaints wait until the terminal is back.
    std::vector<std::string> late_warnings;
    auto read_bodies = [&loaded, &late_warnings] {
      ReadDeferredBodies(loaded.scan, &late_warnings);
      if (loaded.store_deferred) loaded.store_deferred(loaded.image, loaded.scan);
    };
    Result<ExitCode> code = RunExplore(options_, loaded.image, loaded.scan, rules_, read_bodies);
    for (const std::string& w : late_warnings) ctx.console.Warning(w);
    return code;
  }

 private:
  ExploreOptions options_;
  CaptureRules rules_;
};

}  // namespace

std::unique_ptr<Verb> NewExploreVerb() { return MakeVerb<ExploreVerb>(); }

}  // namespace whittle
