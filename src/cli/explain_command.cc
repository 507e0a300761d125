// whittle explain IMAGE [--dockerfile F]: the image joined to its
// Dockerfile, every finding with its line, its measured bytes, its lever,
// the edit and the image it leaves (issue 8). The analysis is in
// src/explain/.
#include <memory>

#include "cli/commands.h"
#include "explain/explain.h"
#include "explain/explain_dockerfile.h"
#include "explain/output.h"
#include "lint/rules/rule.h"
#include "sources/package_attribution.h"
#include "util/version.h"

namespace whittle {

const char kExplainUsage[] =
    "usage: whittle explain [OPTION]... IMAGE\n"
    "\n"
    "Measured advice: each finding joins bytes measured in IMAGE to the Dockerfile\n"
    "line that put them there, with the lever that removes them (right base,\n"
    "same-RUN cleanup, multi-stage, fewer tighter layers, build context), the edit,\n"
    "and the image size if that edit alone is applied. Ranked by bytes; lint\n"
    "findings without bytes follow. Without --dockerfile the lines come from the\n"
    "image history, with lower confidence.\n"
    "\n"
    "  --dockerfile FILE     the Dockerfile IMAGE was built from\n"
    "  --target STAGE        the stage IMAGE was built from (default: the last)\n"
    "  --try-base REF        measure a candidate base image (repeatable)\n"
    "  --fail-level LVL      exit 1 when a finding reaches error|warning|info|style\n"
    "                        (default info; none never fails)\n"
    "  --format F            tty, json, sarif, markdown or codequality (--json)\n"
    "  --platform P          os/arch[/variant] in a multi-platform index\n"
    "  --verify              also check digests of skipped blobs and diff_ids\n"
    "  -j N                  layers scanned in parallel (default: all cores)\n"
    "Exit status: 0 no finding at the level, 1 one is, 2 error.\n";

namespace {

class ExplainVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags.String("--dockerfile", nullptr, &dockerfile_path_);
    flags.String("--target", nullptr, &target_);
    flags.Append("--try-base", nullptr, &try_base_);
    flags.Value("--fail-level", nullptr, [this](const std::string& v) -> Status {
      auto sev = lint::ParseSeverity(v);
      if (!sev) return Error(Errc::kUsage, "--fail-level: expected error, warning, info, style or none, got '" + v + "'");
      fail_level_ = *sev;
      return Status::Ok();
    });
    AddPackageCaptureRules(&capture_);
    load.capture = &capture_;
    load_ = &load;
  }

  Status Prepare(VerbContext&) override {
    // The Dockerfile first: a missing or unparsable file fails before any
    // image is opened.
    if (dockerfile_path_.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(dockerfile_, explain::ExplainDockerfile::Read(dockerfile_path_, target_));
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    SourceInputs inputs(ctx.image->image, ctx.image->scan, 3);
    inputs.set_capture_rules(&capture_);
    explain::ImageFacts facts(ctx.image->image, ctx.image->scan, inputs);
    for (const std::string& w : inputs.TakeWarnings()) ctx.console.Warning(w);
    // Candidate bases, each scanned with the same captures.
    std::vector<std::unique_ptr<Candidate>> candidates;
    explain::ExplainInput in;
    for (const std::string& ref : try_base_) {
      auto c = std::make_unique<Candidate>();
      ASSIGN_OR_RETURN(c->loaded, LoadImage(ref, *load_, ctx.console));
      c->inputs = std::make_unique<SourceInputs>(c->loaded.image, c->loaded.scan, 3);
      c->inputs->set_capture_rules(&capture_);
      c->facts = std::make_unique<explain::ImageFacts>(c->loaded.image, c->loaded.scan, *c->inputs);
      in.candidates.push_back({ref, c->facts.get()});
      candidates.push_back(std::move(c));
    }
    in.facts = &facts;
    in.image_name = ctx.image_ref;
    if (dockerfile_) dockerfile_->AddTo(&in);
    ASSIGN_OR_RETURN(explain::ExplainReport report, explain::Explain(in));
    switch (ctx.format) {
      case OutputFormat::kJson: ctx.Write(explain::FormatExplainJson(report)); break;
      case OutputFormat::kSarif: ctx.Write(explain::FormatExplainSarif(report, WhittleVersion())); break;
      case OutputFormat::kMarkdown: ctx.Write(explain::FormatExplainMarkdown(report)); break;
      case OutputFormat::kCodeQuality: ctx.Write(explain::FormatExplainCodeQuality(report)); break;
      default: ctx.Write(explain::FormatExplainTable(report)); break;
    }
    return explain::AnyFindingReaches(report, fail_level_) ? ExitCode::kCheckFailed : ExitCode::kOk;
  }

 private:
  struct Candidate {
    LoadedImage loaded;
    std::unique_ptr<SourceInputs> inputs;
    std::unique_ptr<explain::ImageFacts> facts;
  };

  std::string dockerfile_path_, target_;
  std::vector<std::string> try_base_;
  lint::Severity fail_level_ = lint::Severity::kInfo;
  CaptureRules capture_;
  LoadOptions* load_ = nullptr;
  std::unique_ptr<explain::ExplainDockerfile> dockerfile_;
};

}  // namespace

std::unique_ptr<Verb> NewExplainVerb() { return MakeVerb<ExplainVerb>(); }

}  // namespace whittle
