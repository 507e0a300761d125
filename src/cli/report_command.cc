// whittle report IMAGE -o report.html: one self-contained HTML page to
// open in a browser and share (issue 12); --json prints the data it embeds.
// The data model and the page are in src/htmlreport/.
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "explain/explain.h"
#include "explain/explain_dockerfile.h"
#include "htmlreport/page.h"
#include "htmlreport/report_data.h"
#include "sources/package_attribution.h"

namespace whittle {

const char kReportUsage[] =
    "usage: whittle report [OPTION]... IMAGE -o FILE.html\n"
    "       whittle report --json [OPTION]... IMAGE\n"
    "\n"
    "One self-contained HTML page to open in a browser and attach to a ticket:\n"
    "the image's size and reclaimable bytes, a bar per layer (live against\n"
    "reclaimable, compressed or not), the final filesystem as a treemap coloured\n"
    "by kind or by layer, the dead bytes with the layers that stored and killed\n"
    "them, and explain's findings and the diff against a base when asked for.\n"
    "The page needs no network. --json prints the data the page embeds.\n"
    "\n"
    "  -o FILE             write the page (or the JSON) to FILE, atomically\n"
    "  --dockerfile FILE   add explain's findings, on FILE's lines\n"
    "  --target STAGE      with --dockerfile: the stage IMAGE was built from\n"
    "  --base OLD          add the diff from the image OLD (what grew, what shrank)\n"
    "  --format F          tty (the page) or json (--json)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of skipped blobs and diff_ids\n"
    "  -j N                layers scanned in parallel (default: all cores)\n";

namespace {

class ReportVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions& load) override {
    flags.String("--output", "-o", &output_);
    flags.String("--dockerfile", nullptr, &dockerfile_path_);
    flags.String("--target", nullptr, &target_);
    flags.String("--base", nullptr, &base_ref_);
    AddPackageCaptureRules(&capture_);
    load.capture = &capture_;
    load_ = &load;
  }

  Status Prepare(VerbContext& ctx) override {
    if (ctx.format != OutputFormat::kJson && output_.empty()) {
      return Error(Errc::kUsage, "report: the page needs -o FILE.html (or --json for the data)");
    }
    if (!target_.empty() && dockerfile_path_.empty()) return Error(Errc::kUsage, "--target needs --dockerfile");
    // The Dockerfile first: a missing or unparsable file fails before any
    // image is opened.
    if (dockerfile_path_.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(dockerfile_, explain::ExplainDockerfile::Read(dockerfile_path_, target_));
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    const LoadedImage& image = *ctx.image;
    SourceInputs inputs(image.image, image.scan, 3);
    inputs.set_capture_rules(&capture_);
    htmlreport::ReportInput in;
    in.reference = ctx.image_ref;
    in.image = &image.image;
    in.scan = &image.scan;
    in.inputs = &inputs;
    in.capture = &capture_;
    std::optional<explain::ExplainReport> explained;
    std::unique_ptr<explain::ImageFacts> facts;
    if (dockerfile_) {
      facts = std::make_unique<explain::ImageFacts>(image.image, image.scan, inputs);
      explain::ExplainInput ein;
      ein.facts = facts.get();
      ein.image_name = ctx.image_ref;
      dockerfile_->AddTo(&ein);
      ASSIGN_OR_RETURN(explained, explain::Explain(ein));
      in.explain = &*explained;
    }
    std::optional<LoadedImage> base;
    if (!base_ref_.empty()) {
      ASSIGN_OR_RETURN(base, LoadImage(base_ref_, *load_, ctx.console));
      in.base_reference = base_ref_;
      in.base_image = &base->image;
      in.base_scan = &base->scan;
    }
    std::vector<std::string> warnings;
    ASSIGN_OR_RETURN(nlohmann::json data, htmlreport::BuildReportData(in, &warnings));
    for (const std::string& w : warnings) ctx.console.Warning(w);
    std::string bytes = ctx.format == OutputFormat::kJson ? htmlreport::FormatReportJson(data)
                                                           : htmlreport::RenderReportPage(data);
    if (output_.empty()) {
      ctx.Write(bytes);
    } else {
      RETURN_IF_ERROR(WriteFileAtomically(output_, bytes));
    }
    return ExitCode::kOk;
  }

 private:
  std::string output_, dockerfile_path_, target_, base_ref_;
  CaptureRules capture_;
  LoadOptions* load_ = nullptr;
  std::unique_ptr<explain::ExplainDockerfile> dockerfile_;
};

}  // namespace

std::unique_ptr<Verb> NewReportVerb() { return MakeVerb<ReportVerb>(); }

}  // namespace whittle
