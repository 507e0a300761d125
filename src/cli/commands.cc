#include "cli/commands.h"

namespace whittle {

namespace {

using F = OutputFormat;

// One row per verb: {name, summary, usage, needs, formats, make[, usage_more]}.
// clang-format off
const VerbSpec kCommands[] = {
    {"profile", "hierarchical size report: layers, paths, packages, kinds... (default verb)", kProfileUsage,
     Needs::kImageOrPair, {F::kTty, F::kJson, F::kCsv, F::kTsv}, NewProfileVerb},
    {"diff", "what changed between two images, per layer, package, kind or path", kDiffUsage,
     Needs::kImagePair, {F::kTty, F::kJson, F::kCsv, F::kTsv}, NewDiffVerb},
    {"explain", "measured advice: each finding's Dockerfile line, bytes, lever, edit and projected size",
     kExplainUsage, Needs::kImage, {F::kTty, F::kJson, F::kSarif, F::kMarkdown, F::kCodeQuality}, NewExplainVerb},
    {"history", "per-layer sizes against the instruction that made each layer", kHistoryUsage, Needs::kImage,
     {F::kTty, F::kJson, F::kCsv, F::kTsv, F::kMarkdown}, NewHistoryVerb},
    {"waste", "bytes stored but not visible: dive's metrics and the true reclaimable bytes", kWasteUsage,
     Needs::kImage, {F::kTty, F::kJson, F::kCsv, F::kTsv, F::kMarkdown}, NewWasteVerb},
    {"explore", "browse the layers and the filesystem as of each layer in the terminal", kExploreUsage,
     Needs::kImage, {F::kTty}, NewExploreVerb},
    {"report", "one self-contained HTML page: layers, treemap, dead bytes, findings, diff", kReportUsage,
     Needs::kImage, {F::kTty, F::kJson}, NewReportVerb},
    {"ci", "fail a build when the image breaks its size rules (.dive-ci, .whittle.yaml)", kCiUsage, Needs::kImage,
     {F::kTty, F::kJson, F::kJunit}, NewCiVerb},
    {"compact", "write the same final filesystem without the dead bytes (base layers kept, verified)",
     kCompactUsage, Needs::kOpenedImage, {F::kTty, F::kJson}, NewCompactVerb},
    {"scan", "scan a registry's images into one table: sizes, reclaimable bytes, findings, shared layers",
     kScanUsage, Needs::kTargets, {F::kTty, F::kJson, F::kCsv}, NewScanVerb},
    {"lint", "lint Dockerfiles for size and layer anti-patterns", kLintUsage, Needs::kDockerfiles,
     {F::kTty, F::kJson, F::kSarif, F::kJunit, F::kCheckstyle, F::kCodeQuality}, NewLintVerb},
    {"fix", "apply the safe Dockerfile rewrites for lint findings, print the diff", kFixUsage,
     Needs::kDockerfiles, {F::kTty, F::kJson}, NewFixVerb, FixUsageMore},
};
// clang-format on

}  // namespace

std::span<const VerbSpec> Commands() { return kCommands; }

const VerbSpec* FindCommand(std::string_view name) {
  for (const VerbSpec& v : kCommands) {
    if (name == v.name) return &v;
  }
  return nullptr;
}

}  // namespace whittle
