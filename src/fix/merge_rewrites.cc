// Rewrites that join two adjacent RUNs of one stage into one:
//   DL3059  consecutive RUNs with the same flags (hadolint's rule decides
//           which pairs);
//   WS002   a RUN that deletes what the RUN right before it wrote (the
//           cross-RUN rule: the cleanup only frees bytes in the same layer).
//
//   before:  RUN apt-get update
//            # comment
//            RUN apt-get install -y curl
//   after:   RUN apt-get update <escape>
//            # comment
//             && apt-get install -y curl
//
// The second RUN's keyword and flags become `&&` on a continuation line in
// the file's own style (layout.h); comment lines in between stay, blank
// lines go (BuildKit warns about empty continuation lines). `a && b` runs b
// exactly when the first RUN would have succeeded, and fails exactly when
// one of the two RUNs would have failed, provided that:
//   - both RUNs were understood by the shell splitter, neither is in exec
//     form or has a heredoc, and their flags (mounts, network, security)
//     are identical;
//   - the first RUN leaves no shell state behind (cd, export, set -u,
//     a bare VAR=value...), which the second would now inherit;
//   - the second joins its commands only with `&&` and `|` (after a `;` or
//     `||` part of it would run after the first RUN failed);
//   - no inline `# hadolint ignore=` pragma sits on the second RUN (it would
//     become a plain comment).
#include <cstring>

#include "fix/layout.h"
#include "fix/rewrite.h"
#include "fix/run_text.h"
#include "lint/lint_config.h"
#include "lint/rules/leftovers.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

bool IsWhitespace(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// A command that changes the shell's state for what follows it; its name,
// or "" if none.
std::string StateChange(const lint::ShellCommand& sc) {
  if (sc.argv.empty()) return sc.env.empty() ? "" : sc.env[0].substr(0, sc.env[0].find('=') + 1) + "...";
  static const char* const kBuiltins[] = {"cd",       "pushd",  "popd",    "export", "unset", "source",
                                          ".",        "umask",  "shopt",   "alias",  "unalias", "exec",
                                          "exit",     "readonly", "declare", "typeset", "local", "trap",
                                          "ulimit",   "return", "eval",    "hash",   "enable"};
  size_t k = 0;
  if ((sc.argv[0] == "command" || sc.argv[0] == "builtin") && sc.argv.size() > 1) k = 1;
  const std::string& name = sc.argv[k];
  for (const char* b : kBuiltins) {
    if (name == b) return name;
  }
  if (name == "set") {
    // -e and -x (and their + forms) change nothing the next command relies on.
    for (size_t a = k + 1; a < sc.argv.size(); ++a) {
      const std::string& w = sc.argv[a];
      if (w == "-o" || w == "+o") {
        if (a + 1 < sc.argv.size() && (sc.argv[a + 1] == "errexit" || sc.argv[a + 1] == "xtrace")) {
          ++a;
          continue;
        }
        return "set " + w;
      }
      if (w.size() < 2 || (w[0] != '-' && w[0] != '+') || w.find_first_not_of("ex", 1) != std::string::npos) {
        return "set " + w;
      }
    }
  }
  return "";
}

const char* OpName(lint::ShellOp op) {
  switch (op) {
    case lint::ShellOp::kSemicolon: return "`;`";
    case lint::ShellOp::kOr: return "`||`";
    case lint::ShellOp::kNewline: return "a newline";
    case lint::ShellOp::kBackground: return "`&`";
    default: return lint::ShellOpName(op);
  }
}

// Plans the merge of RUN |a| and the RUN right after it, |b|.
RewritePlan MergeRuns(const RewriteInput& in, size_t a, size_t b) {
  const auto& ins = in.df.instructions;
  if (b != a + 1 || b >= ins.size()) return RewritePlan::Refuse("the RUNs are not adjacent");
  const lint::Instruction& A = ins[a];
  const lint::Instruction& B = ins[b];
  if (A.kind != lint::InstructionKind::kRun || B.kind != lint::InstructionKind::kRun) {
    return RewritePlan::Refuse("only RUN instructions are merged");
  }
  if (in.df.StageOf(a) != in.df.StageOf(b)) return RewritePlan::Refuse("the RUNs are in different stages");
  if (!A.heredocs.empty() || !B.heredocs.empty()) {
    return RewritePlan::Refuse(StrFormat("the RUN at line %d has a heredoc: heredoc RUNs are never merged",
                                         in.Line(!A.heredocs.empty() ? A : B)));
  }
  const lint::RunFacts* ra = in.ctx.Run(a);
  const lint::RunFacts* rb = in.ctx.Run(b);
  if (ra == nullptr || rb == nullptr) return RewritePlan::Refuse("not a RUN");
  char esc = in.df.directives.escape;
  Result<RunText> ta = RunText::For(in.text, A, *ra, esc);
  if (!ta.has_value()) return RewritePlan::Refuse(StrFormat("line %d: %s", in.Line(A), ta.error().message().c_str()));
  Result<RunText> tb = RunText::For(in.text, B, *rb, esc);
  if (!tb.has_value()) return RewritePlan::Refuse(StrFormat("line %d: %s", in.Line(B), tb.error().message().c_str()));

  std::vector<std::string> fa, fb;
  for (const lint::Flag& f : A.flags) fa.push_back(f.raw);
  for (const lint::Flag& f : B.flags) fb.push_back(f.raw);
  if (fa != fb) return RewritePlan::Refuse("the RUNs have different flags (mounts, network, security)");
  for (const lint::Comment& c : B.comments) {
    bool global = false;
    std::vector<std::string> ids;
    if (lint::ParseIgnorePragma(c.text, &global, &ids) && !global) {
      return RewritePlan::Refuse(StrFormat("the RUN at line %d has an inline ignore pragma (line %d)",
                                           in.Line(B), c.range.start.line));
    }
  }

  // The first RUN: where it ends, and no state left for the second.
  const lint::Command* last = ta->LastTopLevel();
  if (last == nullptr) return RewritePlan::Refuse(StrFormat("the RUN at line %d has no command", in.Line(A)));
  if (last->in_group || last->op == lint::ShellOp::kBackground) {
    return RewritePlan::Refuse(StrFormat("the RUN at line %d ends with a group, a block or a background job",
                                         in.Line(A)));
  }
  if (!IsWhitespace(ta->script().substr(std::min(last->end, ta->script().size())))) {
    return RewritePlan::Refuse(StrFormat("the RUN at line %d has text after its last command", in.Line(A)));
  }
  for (const lint::ShellCommand& sc : ra->script.commands) {
    if (sc.nested != 0) continue;
    std::string what = StateChange(sc);
    if (!what.empty()) {
      return RewritePlan::Refuse(StrFormat("the RUN at line %d changes shell state (%s): the next RUN would "
                                           "inherit it",
                                           in.Line(A), what.c_str()));
    }
  }
  // The second RUN: only && and | between its top-level commands.
  const lint::ShellCommand* prev = nullptr;
  for (const lint::ShellCommand& sc : rb->script.commands) {
    if (sc.nested != 0) continue;
    if (sc.in_group) {
      return RewritePlan::Refuse(StrFormat("the RUN at line %d has a ( ) or { } group or an if/for/while/case block",
                                           in.Line(B)));
    }
    if (prev != nullptr && prev->op != lint::ShellOp::kAnd && prev->op != lint::ShellOp::kPipe) {
      return RewritePlan::Refuse(StrFormat("the RUN at line %d joins commands with %s: part of it would run "
                                           "after the first RUN failed",
                                           in.Line(B), OpName(prev->op)));
    }
    prev = &sc;
  }
  if (prev == nullptr) return RewritePlan::Refuse(StrFormat("the RUN at line %d has no command", in.Line(B)));
  if (prev->op == lint::ShellOp::kBackground) {
    return RewritePlan::Refuse(StrFormat("the RUN at line %d ends with a background job", in.Line(B)));
  }

  std::string_view text = in.text;
  size_t ea = ta->After(last->end);
  if (AfterBackslash(text, ea)) {
    return RewritePlan::Refuse(StrFormat("the RUN at line %d ends with a backslash that is not a line continuation",
                                         in.Line(A)));
  }
  if (LineEndAt(text, ea) != A.range.end_offset) {
    return RewritePlan::Refuse(StrFormat("the RUN at line %d does not end on its last line", in.Line(A)));
  }
  // Lines between the two: comments stay, blank lines go.
  std::string nl = LineEndingAt(text, ea);
  std::string kept;
  size_t b_line = LineStartAt(text, B.range.begin_offset);
  size_t at = text.find('\n', A.range.end_offset);
  if (at == std::string_view::npos) return RewritePlan::Refuse("unexpected end of file");
  ++at;
  while (at < b_line) {
    size_t e = LineEndAt(text, at);
    std::string_view line = text.substr(at, e - at);
    std::string_view t = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    if (!t.empty() && t[0] == '#') {
      kept += std::string(line) + nl;
    } else if (!IsWhitespace(line)) {
      return RewritePlan::Refuse("unexpected text between the RUNs");
    }
    size_t n = text.find('\n', e);
    if (n == std::string_view::npos) break;
    at = n + 1;
  }
  size_t b_args = tb->Before(0);
  if (b_args < B.range.begin_offset || b_args > B.range.end_offset) {
    return RewritePlan::Refuse(StrFormat("cannot find the arguments of the RUN at line %d", in.Line(B)));
  }
  ContinuationStyle st = PickStyle(text, in.df, {&A, &B});
  std::string e(1, esc);
  RewritePlan p;
  std::string join = st.lead_operator ? " " + e + nl + kept + st.indent + "&& " : " && " + e + nl + kept + st.indent;
  p.edits.push_back({ea, b_args, join});
  p.summary = StrFormat("merged the RUN at line %d into the RUN at line %d", in.Line(B), in.Line(A));
  p.region_begin = A.range.begin_offset;
  p.region_end = B.range.end_offset;
  p.merge_first = a;
  p.merge_second = b;
  return p;
}

}  // namespace

RewritePlan PlanDL3059(const RewriteInput& in) {
  size_t i = in.finding.instruction;
  if (i == 0 || i >= in.df.instructions.size()) return RewritePlan::Refuse("no RUN before this one");
  return MergeRuns(in, i - 1, i);
}

RewritePlan PlanWS002(const RewriteInput& in) {
  size_t i = in.finding.instruction;
  std::vector<lint::LaterCleanup> cleanups = lint::FindLaterCleanups(in.ctx, i);
  if (cleanups.empty()) return RewritePlan::Refuse("no earlier writer found");
  // The cleanup this finding is about: the rule reports each at its command.
  const lint::LaterCleanup* pick = &cleanups.front();
  for (const lint::LaterCleanup& c : cleanups) {
    lint::SourcePos pos = in.ctx.CommandPos(i, *c.command);
    if (pos.line == in.finding.line && (pos.column > 0 ? pos.column : 1) == in.finding.column) pick = &c;
  }
  const lint::LaterCleanup& lc = *pick;
  const auto& ins = in.df.instructions;
  const lint::Instruction& writer = ins[lc.writer];
  std::vector<std::string> suggestions;
  if (lc.leftover.cache_mount_fits && writer.kind == lint::InstructionKind::kRun) {
    suggestions.push_back(StrFormat("add `--mount=type=cache,target=%s` to the RUN at line %d and drop this "
                                    "cleanup: the %s stays out of the image and is reused by the next build",
                                    lc.leftover.path.c_str(), in.Line(writer), lc.leftover.what.c_str()));
  }
  RewritePlan p;
  if (writer.kind != lint::InstructionKind::kRun) {
    p = RewritePlan::Refuse(StrFormat("%s was written by %s at line %d: only a RUN can take the cleanup",
                                      lc.leftover.path.c_str(), writer.keyword.c_str(), in.Line(writer)));
  } else if (lc.writer + 1 != i) {
    p = RewritePlan::Refuse(StrFormat("%s was written by the RUN at line %d, %zu instruction(s) earlier: only "
                                      "adjacent RUNs are merged",
                                      lc.leftover.path.c_str(), in.Line(writer), i - lc.writer - 1));
  } else {
    p = MergeRuns(in, lc.writer, i);
  }
  p.suggestions = std::move(suggestions);
  return p;
}

}  // namespace whittle::fix
