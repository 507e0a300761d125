// whittle ci: a CI gate over dive's .dive-ci rules and whittle's own
// (.whittle.yaml ci:). Exit 0 pass, 1 a rule failed, 2 configuration or
// input error. Digests are always verified (issue 3).
#include "cli/commands.h"
#include "waste/ci_metrics.h"
#include "waste/ci_report.h"
#include "waste/ci_rules.h"
#include "waste/waste_report.h"

namespace whittle {

const char kCiUsage[] =
    "usage: whittle ci [OPTION]... IMAGE\n"
    "\n"
    "Checks IMAGE against CI rules and exits 0 (pass), 1 (a rule failed) or 2\n"
    "(configuration or input error). Rules come from dive's .dive-ci (current\n"
    "directory, or --ci-config) and the ci: section of .whittle.yaml (current\n"
    "directory, or -c), which wins. A rule missing from the files is disabled;\n"
    "with no rules file at all, dive's defaults apply (0.9 / disabled / 0.1).\n"
    "Keys: lowestEfficiency, highestWastedBytes, highestUserWastedPercent (dive's),\n"
    "maxImageSize, maxBlobSize, maxReclaimableBytes, maxReclaimablePercent, maxLayers.\n"
    "\n"
    "  --ci-config FILE    dive rules file (default ./.dive-ci)\n"
    "  -c FILE             whittle config file (default ./.whittle.yaml)\n"
    "  --dive-defaults     start from dive's defaults instead of all rules disabled\n"
    "  --junit FILE        also write a JUnit XML report to FILE\n"
    "  --format F          tty or json (--json)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  -j N                layers scanned in parallel (default: all cores)\n";

namespace {

class CiVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    load.verify = true;  // ci always checks every digest
    flags.String("--ci-config", nullptr, &request_.dive_ci_path);
    flags.String("--config", "-c", &request_.whittle_path);
    flags.Bool("--dive-defaults", nullptr, &request_.dive_defaults);
    flags.String("--junit", nullptr, &junit_path_);
  }

  // Configuration first: a bad rules file fails before any image work.
  Status Prepare(VerbContext& ctx) override {
    ASSIGN_OR_RETURN(config_, LoadCiConfig(request_));
    for (const std::string& w : config_.warnings) ctx.console.Warning(w);
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    CiOutcome outcome;
    outcome.image = ctx.image_ref;
    outcome.sources = config_.sources;
    outcome.no_rules_file = config_.no_rules_file;
    outcome.used_dive_defaults = config_.used_dive_defaults;
    WasteReport report = AnalyzeWaste(ctx.image_ref, ctx.image->image, ctx.image->scan);
    outcome.metrics = MeasureForCi(report, ctx.image->image, ctx.image->scan);
    outcome.results = EvaluateCiRules(config_.rules, outcome.metrics);
    if (!junit_path_.empty()) RETURN_IF_ERROR(WriteFileAtomically(junit_path_, FormatCiJunit(outcome)));
    switch (ctx.format) {
      case OutputFormat::kJson:
        ctx.Write(FormatCiJson(outcome));
        break;
      case OutputFormat::kJunit:
        ctx.Write(FormatCiJunit(outcome));
        break;
      default:
        ctx.Write(FormatCiText(outcome));
        break;
    }
    return outcome.pass() ? ExitCode::kOk : ExitCode::kCheckFailed;
  }

 private:
  CiConfigRequest request_;
  std::string junit_path_;
  CiConfig config_;
};

}  // namespace

std::unique_ptr<Verb> NewCiVerb() { return MakeVerb<CiVerb>(); }

}  // namespace whittle
