#include "fix/fixer.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "fix/rewrite.h"
#include "fix/unreadable.h"
#include "lint/dockerfile_parser.h"
#include "lint/lint_config.h"
#include "lint/rules/context.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

std::vector<size_t> LineStarts(std::string_view t) {
  std::vector<size_t> starts{0};
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') starts.push_back(i + 1);
  }
  return starts;
}

int LineOf(const std::vector<size_t>& starts, size_t offset) {
  return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin());
}

size_t OffsetOf(const std::vector<size_t>& starts, int line, int column) {
  if (line < 1) return 0;
  size_t l = std::min(static_cast<size_t>(line), starts.size()) - 1;
  return starts[l] + static_cast<size_t>(column > 0 ? column - 1 : 0);
}

// Back through the rounds applied so far to an offset of the input.
size_t MapToInput(const std::vector<EditSet>& rounds, size_t offset) {
  for (size_t k = rounds.size(); k-- > 0;) offset = rounds[k].MapBack(offset);
  return offset;
}

bool Selected(const FixOptions& o, std::string_view id) {
  std::string s(id);
  if (!o.only.empty() && o.only.count(s) == 0) return false;
  return o.skip.count(s) == 0;
}

// The lint configuration and pragmas let rule |id| report on |instruction|.
bool EnabledByConfig(const lint::LintConfig& cfg, const lint::InlineIgnores& inl, const std::string& id,
                     size_t instruction) {
  if (cfg.ignored.count(id) != 0 || inl.global.count(id) != 0) return false;
  const lint::Rule* r = lint::FindRule(id);
  if (r != nullptr && cfg.SeverityOf(id, r->severity) == lint::Severity::kNone) return false;
  return !inl.Ignores(id, instruction);
}

struct Planned {
  const Rewrite* rewrite = nullptr;
  const lint::Finding* finding = nullptr;
  RewritePlan plan;
};

}  // namespace

int FixResult::OriginalLine(int line, int column) const {
  size_t off = OffsetOf(output_line_starts, line, column);
  return LineOf(input_line_starts, MapToInput(round_edits, off));
}

Status CheckRewriteIds(const std::set<std::string>& ids) {
  for (const std::string& id : ids) {
    if (FindRewrite(id) != nullptr) continue;
    std::string valid;
    for (const Rewrite& r : AllRewrites()) valid += (valid.empty() ? "" : ", ") + std::string(r.id);
    const char* what = lint::FindRule(id) != nullptr ? "has no rewrite" : "is not a rule id";
    return Error(Errc::kUsage, StrFormat("fix: %s %s (rewrites: %s)", id.c_str(), what, valid.c_str()));
  }
  return Status::Ok();
}

Result<FixResult> FixText(std::string_view text, const std::string& path, const FixOptions& options) {
  FixResult res;
  res.input_line_starts = LineStarts(text);
  lint::ContextFacts facts;
  if (options.lint.use_context && path != "-") facts = lint::ReadContextFacts(path, options.lint.context_dir);
  std::string cur(text);
  std::set<std::tuple<std::string, int, std::string>> seen_suggestions;

  for (int round = 0;; ++round) {
    Result<lint::Dockerfile> df = lint::ParseDockerfile(cur, path);
    if (!df.has_value()) {
      if (round == 0) return df.error();
      return Error(Errc::kInternal, "the fixed Dockerfile does not parse (a whittle bug): " + df.error().message());
    }
    ASSIGN_OR_RETURN(std::vector<lint::Finding> findings, lint::LintParsed(*df, options.lint, facts));
    ASSIGN_OR_RETURN(lint::RuleContext ctx, lint::RuleContext::Build(*df, options.lint.target, facts));
    std::vector<size_t> starts = LineStarts(cur);
    auto input_line_of_offset = [&](size_t off) { return LineOf(res.input_line_starts, MapToInput(res.round_edits, off)); };
    auto input_line = [&](int line, int column) { return input_line_of_offset(OffsetOf(starts, line, column)); };

    auto plan_all = [&](RewriteKind kind) {
      std::vector<Planned> out;
      for (const lint::Finding& f : findings) {
        const Rewrite* rw = FindRewrite(f.code);
        if (rw == nullptr || rw->kind != kind || !Selected(options, f.code)) continue;
        if (f.instruction == lint::Finding::kNoInstruction) continue;
        if (df->instructions[f.instruction].kind == lint::InstructionKind::kOnbuild) {
          // Its trigger runs in other people's builds: leave it to its author.
          out.push_back({rw, &f, RewritePlan::Refuse("an ONBUILD trigger: not rewritten")});
          continue;
        }
        out.push_back({rw, &f, rw->plan(RewriteInput{cur, *df, ctx, f, input_line_of_offset})});
      }
      return out;
    };
    EditSet edits;
    std::vector<const Planned*> accepted;
    auto accept = [&](const std::vector<Planned>& plans) {
      std::set<std::pair<size_t, size_t>> merged;
      for (size_t k = 0; k < plans.size(); ++k) {
        const Planned& p = plans[k];
        if (p.plan.edits.empty()) continue;
        std::pair<size_t, size_t> pair{p.plan.merge_first, p.plan.merge_second};
        if (p.rewrite->kind == RewriteKind::kMerge && merged.count(pair) != 0) {
          accepted.push_back(&p);  // DL3059 and WS002 on the same pair: one edit fixes both
          continue;
        }
        std::vector<Edit> owned = p.plan.edits;
        for (Edit& e : owned) e.owner = static_cast<int>(k) + 1;
        if (!edits.AddAll(owned)) continue;  // overlaps another rewrite: retried next round
        accepted.push_back(&p);
        if (p.rewrite->kind == RewriteKind::kMerge) merged.insert(pair);
      }
    };
    std::vector<Planned> merges = plan_all(RewriteKind::kMerge);
    accept(merges);
    std::vector<Planned> inrun;
    if (accepted.empty()) {
      inrun = plan_all(RewriteKind::kInRun);
      accept(inrun);
    }
    // Suggestions of the plans applied now, or of every plan at the end (a
    // refused plan is planned again next round, on the new text).
    const bool final_round = accepted.empty() || round + 1 >= kMaxRounds;
    auto suggest = [&](const Planned& p) {
      int line = input_line(p.finding->line, p.finding->column);
      for (const std::string& s : p.plan.suggestions) {
        if (seen_suggestions.insert({p.finding->code, line, s}).second) {
          res.suggestions.push_back({p.finding->code, line, s});
        }
      }
    };
    if (final_round) {
      for (const std::vector<Planned>* plans : {&merges, &inrun}) {
        for (const Planned& p : *plans) suggest(p);
      }
    } else {
      for (const Planned* p : accepted) suggest(*p);
    }

    if (final_round) {
      // A fixed point: what is still found was refused.
      std::set<std::tuple<std::string, int, std::string>> seen;
      auto refuse = [&](const std::string& id, int line, const std::string& why) {
        if (seen.insert({id, line, why}).second) res.refusals.push_back({id, line, why});
      };
      for (const std::vector<Planned>* plans : {&merges, &inrun}) {
        for (const Planned& p : *plans) {
          std::string why = p.plan.edits.empty() ? p.plan.refusal
                                                 : StrFormat("no fixed point after %d rounds (a whittle bug)", kMaxRounds);
          refuse(p.finding->code, input_line(p.finding->line, p.finding->column), why);
        }
      }
      lint::InlineIgnores inl = lint::ReadInlineIgnores(*df);
      for (const UnreadableRun& u : FindUnreadableRuns(ctx)) {
        bool enabled = false;
        for (const Rewrite& rw : AllRewrites()) {
          if ((u.id == "*" || u.id == rw.id) && rw.kind == RewriteKind::kInRun && Selected(options, rw.id) &&
              EnabledByConfig(options.lint.config, inl, rw.id, u.instruction)) {
            enabled = true;
          }
        }
        if (!enabled) continue;
        const lint::Instruction& x = df->instructions[u.instruction];
        refuse(u.id, input_line(x.start_line(), x.range.start.column), u.why);
      }
      break;
    }

    std::string next = edits.Apply(cur);
    for (const Planned* p : accepted) {
      AppliedRewrite a;
      a.id = p->finding->code;
      a.summary = p->plan.summary;
      size_t rb = p->plan.region_begin, re = std::min(p->plan.region_end, cur.size());
      a.line = input_line(p->finding->line, p->finding->column);
      a.before = cur.substr(rb, re - rb);
      EditSet local;
      for (const Edit& e : p->plan.edits) {
        if (e.begin >= rb && e.end <= re) local.Add(e.begin - rb, e.end - rb, e.text);
      }
      a.after = local.Apply(a.before);
      res.applied.push_back(std::move(a));
    }
    res.round_edits.push_back(std::move(edits));
    res.changed = true;
    cur = std::move(next);
    res.rounds = round + 1;
  }
  auto by_line = [](const auto& a, const auto& b) { return std::tie(a.line, a.id) < std::tie(b.line, b.id); };
  std::stable_sort(res.refusals.begin(), res.refusals.end(), by_line);
  std::stable_sort(res.suggestions.begin(), res.suggestions.end(), by_line);
  res.output_line_starts = LineStarts(cur);
  res.text = std::move(cur);
  return res;
}

}  // namespace whittle::fix
