// Rules about the build context: `COPY .` / `ADD .` send and copy whatever
// the context holds unless a .dockerignore keeps it out (WS007).
#include "lint/rules/checks.h"
#include "util/strings.h"

namespace whittle::lint::checks {

void WS007(const RuleContext& ctx, std::vector<Finding>* out) {
  const ContextFacts& cf = ctx.context();
  if (!cf.known) return;
  if (!cf.dockerignore.empty() && cf.excludes_git) return;
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& x = ins[i];
    const std::vector<std::string>& args = ctx.FileArgs(i);
    if ((x.kind != InstructionKind::kCopy && x.kind != InstructionKind::kAdd) || args.size() < 2) continue;
    if (x.FindFlag("from") != nullptr || !x.heredocs.empty() || !ctx.InScope(i, RuleScope::kShipping)) continue;
    bool whole = false;
    for (size_t k = 0; k + 1 < args.size(); ++k) {
      const std::string& s = args[k];
      whole |= s == "." || s == "./" || s == "/" || s == "*" || s == "./*";
    }
    if (!whole) continue;
    std::string what = x.keyword + " " + args[0];
    if (cf.dockerignore.empty()) {
      ctx.Report(out, "WS007", i, x.range.start,
                 "`" + what + "` with no .dockerignore: the whole build context (.git, caches, local files) "
                 "is copied into the image; add a .dockerignore that excludes at least .git");
    } else {
      ctx.Report(out, "WS007", i, x.range.start,
                 "`" + what + "` and " + cf.dockerignore + " does not exclude .git: the repository history "
                 "is copied into the image");
    }
  }
}

}  // namespace whittle::lint::checks
