#include "lint/rules/context.h"

#include <algorithm>

#include "lint/dockerfile_parser_text.h"
#include "lint/rules/image_facts.h"
#include "util/strings.h"

namespace whittle::lint {
namespace {

bool IsShellName(std::string_view s) {
  size_t slash = s.rfind('/');
  if (slash != std::string_view::npos) s = s.substr(slash + 1);
  return s == "sh" || s == "bash" || s == "ash" || s == "dash" || s == "zsh";
}

// Wrappers that run their arguments as the real command.
bool IsWrapper(std::string_view s) {
  return s == "sudo" || s == "env" || s == "nice" || s == "nohup" || s == "time" || s == "command" ||
         s == "exec" || s == "doas";
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Builds Command views over the splitter's output, stripping wrappers.
void MakeCommands(RunFacts* run) {
  for (const ShellCommand& sc : run->script.commands) {
    Command c;
    c.begin = sc.begin;
    c.end = sc.end;
    c.ranges_exact = sc.ranges_exact;
    c.nested = sc.nested;
    c.in_group = sc.in_group;
    c.in_compound = sc.in_compound;
    c.op = sc.op;
    for (const std::string& e : sc.env) c.env.push_back(e);
    size_t i = 0;
    while (i < sc.argv.size()) {
      std::string_view w = BaseName(sc.argv[i]);
      if (!IsWrapper(w)) break;
      ++i;
      // Skip the wrapper's own options and env's NAME=value words.
      while (i < sc.argv.size() &&
             ((!sc.argv[i].empty() && sc.argv[i][0] == '-') ||
              (w == "env" && sc.argv[i].find('=') != std::string::npos))) {
        if (w == "env" && sc.argv[i].find('=') != std::string::npos) c.env.push_back(sc.argv[i]);
        ++i;
      }
    }
    for (size_t j = i; j < sc.argv.size(); ++j) {
      c.argv.push_back(j == i ? BaseName(sc.argv[j]) : std::string_view(sc.argv[j]));
      if (j < sc.argv_ranges.size()) c.argv_ranges.push_back(sc.argv_ranges[j]);
    }
    run->commands.push_back(std::move(c));
  }
}

// Parses one --mount value ("type=cache,target=/root/.cache,sharing=locked").
void ReadMount(std::string_view value, RunFacts* run) {
  std::string_view type = "bind";  // BuildKit's default mount type
  std::string_view target, from;
  for (std::string_view field : Split(value, ',')) {
    size_t eq = field.find('=');
    std::string_view k = eq == std::string_view::npos ? field : field.substr(0, eq);
    std::string_view v = eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1);
    if (k == "type") type = v;
    else if (k == "target" || k == "dst" || k == "destination") target = v;
    else if (k == "from") from = v;
  }
  // A tmpfs keeps what the RUN writes under its target out of the layer,
  // as a cache mount does (without keeping it between builds).
  if ((type == "cache" || type == "tmpfs") && !target.empty()) run->cache_targets.emplace_back(target);
  // A bind's `from` mounts a stage or image; a cache mount's `from` seeds
  // the cache from one. Either way BuildKit builds (or pulls) it.
  if (!from.empty()) run->mount_from.emplace_back(from);
}

// True if the heredoc RUN's line is only "[shell] <<EOF" (one heredoc): the
// body is then the script.
bool HeredocIsScript(const Instruction& ins) {
  if (ins.heredocs.size() != 1) return false;
  std::vector<std::string_view> words;
  std::string_view t = ins.args_text();
  size_t i = 0;
  while (i < t.size()) {
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
    size_t j = i;
    while (j < t.size() && t[j] != ' ' && t[j] != '\t') ++j;
    if (j > i) words.push_back(t.substr(i, j - i));
    i = j;
  }
  bool marker = false;
  for (std::string_view w : words) {
    if (w.find("<<") != std::string_view::npos) {
      if (marker) return false;
      marker = true;
    } else if (!IsShellName(w)) {
      return false;
    }
  }
  return marker;
}

std::unique_ptr<RunFacts> AnalyzeRun(const Instruction& ins) {
  auto run = std::make_unique<RunFacts>();
  for (const Flag* f : ins.FindFlags("mount")) ReadMount(f->value, run.get());
  if (ins.is_exec_form()) {
    const auto& a = ins.args;
    if (a.size() >= 3 && IsShellName(a[0]) && StartsWith(a[1], "-") && EndsWith(a[1], "c")) {
      run->script = SplitShell(a[2]);
    } else {
      ShellCommand sc;
      sc.argv = a;
      run->script.commands.push_back(std::move(sc));
    }
  } else if (!ins.heredocs.empty()) {
    if (!HeredocIsScript(ins)) return run;  // certain stays false
    std::string body = ins.heredocs[0].EffectiveBody();
    run->script = SplitShell(body);
  } else {
    run->script = SplitShell(ins.args_text());
    run->offsets_in_line = true;
  }
  if (run->script.uncertain) return run;
  run->certain = true;
  MakeCommands(run.get());
  return run;
}

}  // namespace

Result<RuleContext> RuleContext::Build(const Dockerfile& df, std::string_view target, ContextFacts context) {
  RuleContext ctx;
  ctx.df_ = &df;
  ctx.context_ = std::move(context);
  ctx.roles_.assign(df.stages.size(), StageRole::kUnused);
  ctx.runs_.resize(df.instructions.size());
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    if (df.instructions[i].kind == InstructionKind::kRun) ctx.runs_[i] = AnalyzeRun(df.instructions[i]);
  }
  ctx.triggers_.resize(df.instructions.size());
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    const Instruction& ins = df.instructions[i];
    if (ins.kind == InstructionKind::kOnbuild && !ins.onbuild.empty() &&
        ins.onbuild[0].kind == InstructionKind::kRun) {
      ctx.triggers_[i] = AnalyzeRun(ins.onbuild[0]);
    }
  }
  ctx.file_args_.resize(df.instructions.size());
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    const Instruction& ins = df.instructions[i];
    if (ins.kind != InstructionKind::kCopy && ins.kind != InstructionKind::kAdd) continue;
    // BuildKit's instruction layer removes the quotes of COPY/ADD words
    // (`COPY --from=build "/" "/"` copies /); the exec form has none left.
    for (const std::string& a : ins.args) {
      ctx.file_args_[i].push_back(ins.form == ArgForm::kExec ? a
                                                             : internal::UnquoteWord(a, df.directives.escape));
    }
  }
  if (df.stages.empty()) return ctx;
  if (target.empty()) {
    ctx.target_ = df.stages.size() - 1;
  } else {
    const Stage* t = df.FindStage(target);
    if (t == nullptr) {
      return Error(Errc::kUsage, StrFormat("%s: target stage '%s' not found", df.filename.c_str(),
                                           std::string(target).c_str()));
    }
    ctx.target_ = t->index;
  }
  // Propagate roles backwards. A stage only refers to earlier stages, so one
  // pass from the target down to stage 0 settles every role.
  ctx.roles_[ctx.target_] = StageRole::kShips;
  auto raise = [&](const Stage* s, StageRole r, size_t from) {
    if (s == nullptr || s->index >= from) return;  // only earlier stages
    if (static_cast<int>(r) > static_cast<int>(ctx.roles_[s->index])) ctx.roles_[s->index] = r;
  };
  for (size_t si = ctx.target_ + 1; si-- > 0;) {
    StageRole role = ctx.roles_[si];
    if (role == StageRole::kUnused) continue;
    const Stage& st = df.stages[si];
    raise(ctx.ParentStage(st), role, si);
    for (size_t i = st.from_instruction + 1; i < st.end_instruction && i < df.instructions.size(); ++i) {
      const Instruction& ins = df.instructions[i];
      if (ins.kind == InstructionKind::kCopy || ins.kind == InstructionKind::kAdd) {
        const Flag* from = ins.FindFlag("from");
        if (from == nullptr) continue;
        // `COPY --from=x / /` ships all of x's layers' content.
        bool whole = false;
        const std::vector<std::string>& args = ctx.file_args_[i];
        if (args.size() >= 2) {
          std::string_view src = args[0];
          whole = args.size() == 2 && (src == "/" || src == "/.") && role == StageRole::kShips;
        }
        raise(df.FindStage(from->value), whole ? StageRole::kShips : StageRole::kBuilt, si);
      } else if (ins.kind == InstructionKind::kRun && ctx.runs_[i]) {
        for (const std::string& m : ctx.runs_[i]->mount_from) raise(df.FindStage(m), StageRole::kBuilt, si);
      }
    }
  }
  ctx.ships_base_image_ = ShipsABaseImage(ctx);
  return ctx;
}

StageRole RuleContext::RoleOfInstruction(size_t i) const {
  const Stage* s = df_->StageOf(i);
  return s == nullptr ? StageRole::kUnused : roles_[s->index];
}

bool RuleContext::InScope(size_t i, RuleScope scope) const {
  if (scope == RuleScope::kFile) return true;
  StageRole r = RoleOfInstruction(i);
  return scope == RuleScope::kShipping ? r == StageRole::kShips : r != StageRole::kUnused;
}

const Stage* RuleContext::ParentStage(const Stage& s) const {
  if (s.image_expanded.empty()) return nullptr;
  const Stage* p = df_->FindStage(s.image_expanded);
  if (p == nullptr || p->index >= s.index) return nullptr;
  // A bare number in FROM is an image name, not a stage index.
  if (p->name_lower.empty() || p->name_lower != LowerAscii(s.image_expanded)) return nullptr;
  return p;
}

std::string RuleContext::RootImage(const Stage& s) const {
  const Stage* cur = &s;
  for (int guard = 0; guard < 1000; ++guard) {
    const Stage* p = ParentStage(*cur);
    if (p == nullptr) break;
    cur = p;
  }
  if (cur->image_expanded.find('$') != std::string::npos) return "";
  return cur->image_expanded;
}

std::vector<size_t> RuleContext::Earlier(size_t i) const {
  std::vector<size_t> out;
  const Stage* s = df_->StageOf(i);
  if (s == nullptr) return out;
  for (size_t j = i; j-- > s->from_instruction + 1;) out.push_back(j);
  for (const Stage* p = ParentStage(*s); p != nullptr; p = ParentStage(*p)) {
    for (size_t j = p->end_instruction; j-- > p->from_instruction + 1;) out.push_back(j);
  }
  return out;
}

std::optional<std::string> RuleContext::EnvAt(size_t i, std::string_view name) const {
  for (size_t j : Earlier(i)) {
    const Instruction& ins = df_->instructions[j];
    if (ins.kind != InstructionKind::kEnv && ins.kind != InstructionKind::kArg) continue;
    for (size_t k = ins.key_values.size(); k-- > 0;) {
      const KeyValue& kv = ins.key_values[k];
      if (kv.key != name) continue;
      if (!kv.has_value) {
        if (ins.kind == InstructionKind::kArg) continue;  // ARG without default: set at build time, unknown
      }
      return kv.value;
    }
  }
  return std::nullopt;
}

RuleContext::JudgedRun RuleContext::RunOrTrigger(size_t i) const {
  const Instruction& outer = df_->instructions[i];
  if (const RunFacts* run = Run(i)) return {run, &outer};
  if (const RunFacts* trigger = Trigger(i)) return {trigger, &outer.onbuild[0]};
  return {};
}

SourcePos RuleContext::CommandPos(size_t i, const Command& cmd) const {
  JudgedRun run = RunOrTrigger(i);
  if (run.facts == nullptr) return df_->instructions[i].range.start;
  // An ONBUILD trigger's offsets are its own instruction's (file ranges too).
  const Instruction& ins = *run.instruction;
  if (!run.facts->offsets_in_line) return ins.range.start;
  return ins.PosAt(ins.args_offset + cmd.begin);
}

void RuleContext::Report(std::vector<Finding>* out, const char* code, size_t instruction, SourcePos pos,
                         std::string message) const {
  const Rule* r = FindRule(code);
  Finding f;
  f.code = code;
  f.severity = r ? r->severity : Severity::kWarning;
  f.line = pos.line;
  f.column = pos.column > 0 ? pos.column : 1;
  f.message = std::move(message);
  f.instruction = instruction;
  out->push_back(std::move(f));
}

}  // namespace whittle::lint
