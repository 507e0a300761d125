// Rewrites that append a cleanup command to the RUN that filled a cache,
// so the cache never reaches the layer:
//   DL3009  `&& rm -rf /var/lib/apt/lists/*`
//   DL3032  `&& yum clean all`        DL3040  `&& dnf clean all` (microdnf)
//   DL3036  `&& zypper clean --all`   DL3060  `&& yarn cache clean`
//   WS001   `&& npm cache clean --force`
//
// The command goes after the RUN's last top-level command with `&&`, so it
// runs exactly when the RUN would have succeeded, and the RUN's exit status
// is unchanged. On a continued RUN whose last line holds nothing after the
// command, it becomes a new continuation line in the RUN's own style (see
// layout.h); otherwise it joins the last line.
//
// DL3009 alone can break a build: the lists are what a later `apt-get
// install` reads. It is refused when this RUN only updates (merge it with
// the install RUN first: DL3059), and when a later RUN of the same image
// installs without running `apt-get update` itself.
#include <algorithm>
#include <optional>

#include "fix/layout.h"
#include "fix/rewrite.h"
#include "fix/run_text.h"
#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

struct Located {
  const lint::Instruction* ins = nullptr;
  const lint::RunFacts* run = nullptr;
  std::optional<RunText> rt;
  std::string refusal;
};

Located Locate(const RewriteInput& in) {
  Located l;
  size_t i = in.finding.instruction;
  if (i >= in.df.instructions.size()) {
    l.refusal = "finding without an instruction";
    return l;
  }
  l.ins = &in.df.instructions[i];
  l.run = in.ctx.Run(i);
  if (l.run == nullptr) {
    l.refusal = "not a RUN";
    return l;
  }
  Result<RunText> rt = RunText::For(in.text, *l.ins, *l.run, in.df.directives.escape);
  if (!rt.has_value()) {
    l.refusal = rt.error().message();
    return l;
  }
  l.rt.emplace(std::move(*rt));
  return l;
}

// True when a wrapper (sudo, env...) was stripped from |c|: an appended
// command would run without it.
bool Wrapped(const lint::RunFacts& run, const lint::Command& c) {
  size_t k = static_cast<size_t>(&c - run.commands.data());
  if (k >= run.script.commands.size()) return true;
  return run.script.commands[k].argv.size() != c.argv.size();
}

// The edit appending `&& |command|` to the RUN |rt|; refusal in |why|.
std::optional<Edit> AppendCommandEdit(const RunText& rt, const lint::Dockerfile& df, std::string_view command,
                                      std::string* why) {
  const lint::Command* last = rt.LastTopLevel();
  if (last == nullptr) {
    *why = "the RUN has no command";
    return std::nullopt;
  }
  if (last->in_group) {
    *why = last->in_compound ? "the RUN ends inside an if/for/while/case block"
                             : "the RUN ends inside a ( ) or { } group";
    return std::nullopt;
  }
  if (last->op == lint::ShellOp::kBackground) {
    *why = "the RUN ends with a background job (&)";
    return std::nullopt;
  }
  std::string_view text = rt.text();
  size_t at = rt.After(last->end);
  if (AfterBackslash(text, at)) {
    *why = "the RUN ends with a backslash that is not a line continuation";
    return std::nullopt;
  }
  std::string cmd(command);
  if (rt.is_heredoc() || rt.instruction().segments.size() < 2) return Edit{at, at, " && " + cmd};
  size_t line_end = LineEndAt(text, at);
  std::string_view rest = text.substr(at, line_end - at);
  if (rest.find_first_not_of(" \t") != std::string_view::npos) return Edit{at, at, " && " + cmd};
  ContinuationStyle st = PickStyle(text, df, {&rt.instruction()});
  std::string nl = LineEndingAt(text, at);
  std::string esc(1, rt.escape());
  if (st.lead_operator) return Edit{at, line_end, " " + esc + nl + st.indent + "&& " + cmd};
  return Edit{at, line_end, " && " + esc + nl + st.indent + cmd};
}

RewritePlan Append(const RewriteInput& in, const Located& l, std::string_view command) {
  if (!l.rt) return RewritePlan::Refuse(l.refusal);
  std::string why;
  std::optional<Edit> e = AppendCommandEdit(*l.rt, in.df, command, &why);
  if (!e) return RewritePlan::Refuse(why);
  RewritePlan p;
  p.edits.push_back(std::move(*e));
  p.summary = "appended `" + std::string(command) + "`";
  p.region_begin = l.ins->range.begin_offset;
  p.region_end = l.ins->range.end_offset;
  return p;
}

// The cleanup for a tool named by the first command |fills| matches.
RewritePlan AppendToolClean(const RewriteInput& in, bool (*fills)(const lint::Command&), const char* verb) {
  Located l = Locate(in);
  if (!l.rt) return RewritePlan::Refuse(l.refusal);
  for (const lint::Command& c : l.run->commands) {
    if (!fills(c)) continue;
    if (Wrapped(*l.run, c)) {
      return RewritePlan::Refuse("`" + std::string(c.name()) + "` runs through a wrapper (sudo, env...): "
                                 "the cleanup would not");
    }
    return Append(in, l, std::string(c.name()) + " " + verb);
  }
  return RewritePlan::Refuse("no command to clean up after");
}

bool FillsYum(const lint::Command& c) { return lint::IsYumLike(c, {"yum"}); }
bool FillsDnf(const lint::Command& c) { return lint::IsYumLike(c, {"dnf", "dnf5", "microdnf"}); }
bool FillsZypper(const lint::Command& c) {
  if (!lint::IsCommand(c, {"zypper"})) return false;
  std::string_view s = lint::ToolSubcommand(c);
  return s == "install" || s == "in" || s == "update" || s == "up" || s == "dist-upgrade" || s == "dup" ||
         s == "patch" || s == "source-install" || s == "si" || s == "install-new-recommends" || s == "inr";
}

// A RUN after |i| in the same image that reads the apt lists without
// updating them first; its line, or 0.
int LaterListReader(const RewriteInput& in, size_t i, std::string* why) {
  const auto& ins = in.df.instructions;
  for (size_t k = i + 1; k < ins.size(); ++k) {
    if (ins[k].kind != lint::InstructionKind::kRun) continue;
    std::vector<size_t> e = in.ctx.Earlier(k);
    if (std::find(e.begin(), e.end(), i) == e.end()) continue;
    const lint::RunFacts* run = in.ctx.Run(k);
    if (run == nullptr) continue;
    if (!run->certain) {
      // Cannot read it: only a problem if it may run apt.
      for (const lint::ShellCommand& sc : run->script.commands) {
        for (const std::string& w : sc.argv) {
          if (w == "apt-get" || w == "apt" || EndsWith(w, "/apt-get") || EndsWith(w, "/apt")) {
            *why = StrFormat("the RUN at line %d may run apt (its shell is not understood) and need these lists",
                             in.Line(ins[k]));
            return in.Line(ins[k]);
          }
        }
      }
      continue;
    }
    for (const lint::Command& c : run->commands) {
      if (lint::IsAptUpdate(c)) break;  // it fetches its own lists first
      if (lint::UsesAptLists(c)) {
        *why = StrFormat("the RUN at line %d runs `apt-get %.*s` without `apt-get update`: it needs these lists",
                         in.Line(ins[k]), static_cast<int>(lint::ToolSubcommand(c).size()),
                         lint::ToolSubcommand(c).data());
        return in.Line(ins[k]);
      }
    }
  }
  return 0;
}

}  // namespace

RewritePlan PlanDL3009(const RewriteInput& in) {
  Located l = Locate(in);
  if (!l.rt) return RewritePlan::Refuse(l.refusal);
  // The lists must be used in this RUN, after the update.
  bool updated = false, used = false;
  for (const lint::Command& c : l.run->commands) {
    if (lint::IsAptUpdate(c)) updated = true;
    else if (updated && lint::UsesAptLists(c)) used = true;
  }
  if (!used) {
    return RewritePlan::Refuse(
        "this RUN runs `apt-get update` but installs nothing after it: removing the lists here would leave a "
        "later install without them (merge the RUNs first, DL3059)");
  }
  std::string why;
  if (LaterListReader(in, in.finding.instruction, &why) != 0) return RewritePlan::Refuse(why);
  return Append(in, l, "rm -rf /var/lib/apt/lists/*");
}

RewritePlan PlanDL3032(const RewriteInput& in) { return AppendToolClean(in, FillsYum, "clean all"); }
RewritePlan PlanDL3040(const RewriteInput& in) { return AppendToolClean(in, FillsDnf, "clean all"); }
RewritePlan PlanDL3036(const RewriteInput& in) { return AppendToolClean(in, FillsZypper, "clean --all"); }
RewritePlan PlanDL3060(const RewriteInput& in) { return AppendToolClean(in, lint::IsYarnInstall, "cache clean"); }
RewritePlan PlanWS001(const RewriteInput& in) { return AppendToolClean(in, lint::IsNpmInstall, "cache clean --force"); }

}  // namespace whittle::fix
