// Rewrites that add one option to a package command, right after its
// subcommand word: `apt-get install --no-install-recommends -y curl`
// (DL3015), `apk add --no-cache curl` (DL3019), `pip install
// --no-cache-dir flask` (DL3042). Always safe: each option only stops a
// cache or extra packages from being written. Every command of the RUN
// that the rule's predicate matches is changed, so the finding goes away
// whole.
#include "fix/rewrite.h"
#include "fix/run_text.h"
#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

RewritePlan InsertOption(const RewriteInput& in, bool (*matches)(const lint::Command&), const char* option,
                         const char* tool) {
  size_t i = in.finding.instruction;
  if (i >= in.df.instructions.size()) return RewritePlan::Refuse("finding without an instruction");
  const lint::Instruction& ins = in.df.instructions[i];
  const lint::RunFacts* run = in.ctx.Run(i);
  if (run == nullptr) return RewritePlan::Refuse("not a RUN");
  Result<RunText> rt = RunText::For(in.text, ins, *run, in.df.directives.escape);
  if (!rt.has_value()) return RewritePlan::Refuse(rt.error().message());
  RewritePlan p;
  p.region_begin = ins.range.begin_offset;
  p.region_end = ins.range.end_offset;
  for (const lint::Command& c : run->commands) {
    if (!matches(c)) continue;
    if (c.nested > 0 || !c.ranges_exact) {
      return RewritePlan::Refuse(StrFormat("%s runs inside `sh -c '...'`: not rewritten", tool));
    }
    std::string_view sub = lint::ToolSubcommand(c);
    size_t k = 0;
    while (k < c.argv.size() && c.argv[k].data() != sub.data()) ++k;
    if (sub.empty() || k >= c.argv.size() || k >= c.argv_ranges.size()) {
      return RewritePlan::Refuse(StrFormat("cannot find the %s subcommand word", tool));
    }
    size_t at = rt->After(c.argv_ranges[k].end);
    if (AfterBackslash(in.text, at)) return RewritePlan::Refuse(StrFormat("the %s word ends with a backslash", tool));
    p.edits.push_back({at, at, std::string(" ") + option});
  }
  if (p.edits.empty()) return RewritePlan::Refuse(StrFormat("no %s command to change", tool));
  p.summary = StrFormat("added %s to %s", option, tool);
  return p;
}

}  // namespace

RewritePlan PlanDL3015(const RewriteInput& in) {
  // Named after the tool the RUN uses: `apt install` or `apt-get install`.
  const char* tool = "apt-get install";
  if (const lint::RunFacts* run = in.ctx.Run(in.finding.instruction)) {
    for (const lint::Command& c : run->commands) {
      if (lint::AptInstallWithRecommends(c)) {
        if (lint::IsCommand(c, {"apt"})) tool = "apt install";
        break;
      }
    }
  }
  return InsertOption(in, lint::AptInstallWithRecommends, "--no-install-recommends", tool);
}

RewritePlan PlanDL3019(const RewriteInput& in) {
  return InsertOption(in, lint::ApkAddWithCache, "--no-cache", "apk add");
}

RewritePlan PlanDL3042(const RewriteInput& in) {
  return InsertOption(in, lint::PipInstallWithCache, "--no-cache-dir", "pip install");
}

}  // namespace whittle::fix
