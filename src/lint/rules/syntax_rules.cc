// Rules about what BuildKit refuses to build at all: an instruction it does
// not know (WS009), such as a typo (`RUNN`) or a template placeholder that
// was never rendered (`{{ .Packages }}`). BuildKit parses every stage before
// it builds any, so the whole file fails, whatever the target.
#include "lint/rules/checks.h"

namespace whittle::lint::checks {

void WS009(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& x = ins[i];
    if (x.kind != InstructionKind::kUnknown) continue;
    std::string word(x.keyword_spelling);
    ctx.Report(out, "WS009", i, x.keyword_range.start,
               "unknown instruction `" + word + "`: BuildKit refuses to build this file (a typo, or a template "
               "placeholder that was never rendered?)");
  }
}

}  // namespace whittle::lint::checks
