// Rules about how instructions turn into layers: bytes written by one
// layer cannot be removed by a later one (WS002, WS008), layers that could
// merge (DL3059), whole-filesystem copies (DL3067), and the sparse lastlog
// that a high UID creates (DL3046).
#include <algorithm>
#include <functional>
#include <optional>

#include "lint/rules/checks.h"
#include "lint/rules/command_match.h"
#include "lint/rules/leftovers.h"
#include "util/strings.h"

namespace whittle::lint::checks {
namespace {

bool TarExtracts(const Command& c) {
  if (IsCommand(c, {"unzip", "bsdtar", "gunzip", "7z", "xz", "bunzip2", "zstd"})) return true;
  if (!IsCommand(c, {"tar"})) return false;
  if (HasFlag(c, "extract", 'x') || HasFlag(c, "get")) return true;
  // Old-style first word without a dash: `tar xzf file`.
  return c.argv.size() > 1 && !c.argv[1].empty() && c.argv[1][0] != '-' &&
         c.argv[1].find('x') != std::string_view::npos;
}

bool IsArchiveName(std::string_view n) {
  static const char* const kExt[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz",
                                     ".txz", ".tar.zst", ".tzst", ".zip", ".gz", ".xz", ".bz2", ".zst", ".7z"};
  for (const char* e : kExt) {
    if (EndsWith(n, e)) return true;
  }
  return false;
}

}  // namespace

void DL3046(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.RunOrTrigger(i).facts;
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    for (const Command& c : run->commands) {
      if (!IsCommand(c, {"useradd"}) || HasFlag(c, "no-log-init", 'l')) continue;
      auto uid = FlagValue(c, "uid", 'u');
      if (!uid || uid->size() <= 5) continue;
      ctx.Report(out, "DL3046", i, ctx.CommandPos(i, c),
                 "`useradd` without flag `-l` and high UID will result in excessively large Image.");
      break;
    }
  }
}

void DL3059(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  auto flags_of = [](const Instruction& x) {
    std::vector<std::string> f;
    for (const Flag& fl : x.flags) f.push_back(fl.raw);
    return f;
  };
  for (size_t i = 1; i < ins.size(); ++i) {
    if (ins[i].kind != InstructionKind::kRun || ins[i - 1].kind != InstructionKind::kRun) continue;
    if (!ctx.InScope(i, RuleScope::kShipping)) continue;
    if (ctx.df().StageOf(i) != ctx.df().StageOf(i - 1)) continue;
    const RunFacts* a = ctx.Run(i - 1);
    const RunFacts* b = ctx.Run(i);
    // hadolint's effective rule: both RUNs one simple command (no &&, ;,
    // or pipeline) with the same flags. A RUN that already chains commands
    // was written deliberately as its own layer.
    if (!a || !b || !a->certain || !b->certain) continue;
    if (a->commands.size() != 1 || b->commands.size() != 1) continue;
    if (flags_of(ins[i - 1]) != flags_of(ins[i])) continue;
    ctx.Report(out, "DL3059", i, ins[i].range.start, "Multiple consecutive `RUN` instructions. Consider consolidation.");
  }
}

void DL3067(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& x = ins[i];
    const std::vector<std::string>& args = ctx.FileArgs(i);
    if (x.kind != InstructionKind::kCopy || x.FindFlag("from") == nullptr || args.size() < 2) continue;
    if (!ctx.InScope(i, RuleScope::kShipping)) continue;
    bool root_src = false;
    for (size_t k = 0; k + 1 < args.size(); ++k) root_src |= (args[k] == "/");
    if (root_src && args.back() == "/") {
      ctx.Report(out, "DL3067", i, x.range.start, "Do not copy an entire filesystem from another stage");
    }
  }
}

void WS002(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    for (const LaterCleanup& lc : FindLaterCleanups(ctx, i)) {
      const Leftover& l = lc.leftover;
      std::string msg = StrFormat(
          "cleanup in a later RUN frees nothing: %s (%s) was written by line %d and stays in that layer; "
          "remove it in the RUN that creates it",
          l.path.c_str(), l.what.c_str(), ins[lc.writer].start_line());
      if (l.cache_mount_fits) msg += " or keep it out with RUN --mount=type=cache,target=" + l.path;
      ctx.Report(out, "WS002", i, ctx.CommandPos(i, *lc.command), std::move(msg));
    }
  }
}

void WS008(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& add = ins[i];
    const std::vector<std::string>& args = ctx.FileArgs(i);
    if (add.kind != InstructionKind::kAdd || args.size() != 2 || !ctx.InScope(i, RuleScope::kShipping)) continue;
    std::string_view url = args[0];
    if (!StartsWith(url, "http://") && !StartsWith(url, "https://")) continue;
    std::string_view clean_url = url.substr(0, url.find_first_of("?#"));
    std::string_view name = BaseName(clean_url);
    if (!IsArchiveName(name)) continue;
    std::string dest = args[1];
    std::string path = EndsWith(dest, "/") ? dest + std::string(name) : dest;
    std::string_view base = BaseName(path);
    // Find a later RUN of the same image that extracts it.
    for (size_t j = i + 1; j < ins.size(); ++j) {
      const RunFacts* run = ctx.Run(j);
      if (run == nullptr || !run->certain || !ctx.InScope(j, RuleScope::kShipping)) continue;
      std::vector<size_t> e = ctx.Earlier(j);
      if (std::find(e.begin(), e.end(), i) == e.end()) continue;
      bool extracts = false;
      for (const Command& c : run->commands) {
        if (!TarExtracts(c)) continue;
        for (size_t k = 1; k < c.argv.size() && !extracts; ++k) {
          std::string_view a = c.argv[k];
          extracts = a == path || (!base.empty() && (a == base || EndsWith(a, "/" + std::string(base))));
        }
      }
      if (!extracts) continue;
      ctx.Report(out, "WS008", i, add.range.start,
                 StrFormat("remote ADD of archive %.*s is extracted by the RUN at line %d: the archive stays "
                           "in this layer; download, extract and delete it in one RUN (curl | tar -x)",
                           static_cast<int>(name.size()), name.data(), ins[j].start_line()));
      break;
    }
  }
}

}  // namespace whittle::lint::checks
