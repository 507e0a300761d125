// RuleContext: what every rule needs to know about one parsed Dockerfile,
// computed once before the rules run: which stages ship, the commands each
// RUN executes (via the shell splitter), its cache mounts, and the
// build-context facts (.dockerignore).
//
// Stage roles (the "stage-aware" part):
//   ships   the target stage (--target, default the last one), the stages it
//           is built FROM (`FROM <stage>` chains), and the stages copied
//           whole into a shipping stage (`COPY --from=x / /`): their layers
//           are the image.
//   built   stages the target build executes only for their files
//           (`COPY --from=x /app /app`, `RUN --mount=from=x`): their layers
//           do not ship, so rules about image size stay quiet there.
//   unused  stages BuildKit does not build for the target: no rule fires.
//
// RUN commands: a shell-form RUN is split with SplitShell(); an exec-form
// `["sh", "-c", "..."]` splits its script; another exec form is one command;
// a heredoc RUN whose line is only `[shell] <<EOF` splits the body. Anything
// else, or a script the splitter is unsure of, is "uncertain": rules must
// then report nothing about that RUN (no false findings).
#ifndef WHITTLE_LINT_RULES_CONTEXT_H_
#define WHITTLE_LINT_RULES_CONTEXT_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/ast.h"
#include "lint/rules/rule.h"
#include "lint/shell_split.h"
#include "util/status.h"

namespace whittle::lint {

enum class StageRole { kUnused, kBuilt, kShips };

/// Facts about the build context, found by the linter (not by rules) so
/// tests can give them directly.
struct ContextFacts {
  bool known = false;           // false: no context to look at (stdin, tests)
  std::string dockerignore;     // path of the .dockerignore used, "" if none
  bool excludes_git = false;    // that file excludes .git
  /// `trustedRegistries` from the configuration (DL3026); empty = any.
  std::vector<std::string> trusted_registries;
};

/// One command of a RUN, with wrappers (sudo, env, nice...) stripped and
/// argv[0] reduced to its base name ("/usr/bin/pip3" -> "pip3").
struct Command {
  std::vector<std::string_view> argv;  // views into the ShellScript's strings
  std::vector<std::string_view> env;   // NAME=value assignments before it
  size_t begin = 0;                    // ShellCommand::begin (offset in the script)
  size_t end = 0;                      // ShellCommand::end
  /// Where each argv word is written in the script (parallel to argv; the
  /// wrappers stripped from argv are stripped here too). Exact only when
  /// ranges_exact (see ShellCommand::ranges_exact).
  std::vector<WordRange> argv_ranges;
  bool ranges_exact = true;
  int nested = 0;          // ShellCommand::nested
  bool in_group = false;   // ShellCommand::in_group
  bool in_compound = false;  // ShellCommand::in_compound
  ShellOp op = ShellOp::kEnd;  // the operator after it
  bool empty() const { return argv.empty(); }
  std::string_view name() const { return argv.empty() ? std::string_view() : argv[0]; }
};

/// What a RUN instruction does, as far as we can tell.
struct RunFacts {
  bool certain = false;          // false: rules must not judge this RUN
  ShellScript script;            // owns the strings Command views point at
  std::vector<Command> commands;
  std::vector<std::string> cache_targets;  // `--mount=type=cache|tmpfs` targets
  std::vector<std::string> mount_from;     // `--mount=from=x` stage or image refs
  bool offsets_in_line = false;  // script offsets are offsets from args_offset
};

class RuleContext {
 public:
  /// Builds the context. |target| is a stage name or index, "" = last stage.
  /// Returns kUsage if |target| names no stage.
  static Result<RuleContext> Build(const Dockerfile& df, std::string_view target, ContextFacts context);

  RuleContext(RuleContext&&) = default;
  RuleContext& operator=(RuleContext&&) = delete;

  const Dockerfile& df() const { return *df_; }
  const ContextFacts& context() const { return context_; }
  size_t target_stage() const { return target_; }

  StageRole RoleOfStage(size_t stage) const { return roles_[stage]; }
  /// The role of the stage holding instruction |i| (kUnused before FROM).
  StageRole RoleOfInstruction(size_t i) const;
  /// True if rules of |scope| look at instruction |i|.
  bool InScope(size_t i, RuleScope scope) const;

  /// RUN facts for instruction |i|; null for non-RUN instructions.
  const RunFacts* Run(size_t i) const { return runs_[i].get(); }
  /// RUN facts for the trigger of `ONBUILD RUN ...` instruction |i|; null
  /// for every other instruction. The trigger runs in each image built
  /// FROM this one, so the cache and option rules judge it as hadolint does.
  const RunFacts* Trigger(size_t i) const { return triggers_[i].get(); }

  /// The RUN the rules judge at instruction |i|: its own RUN facts and
  /// itself, or for `ONBUILD RUN ...` the trigger's facts and the trigger
  /// instruction (whose offsets its facts use); {null, null} otherwise.
  struct JudgedRun {
    const RunFacts* facts = nullptr;
    const Instruction* instruction = nullptr;
  };
  JudgedRun RunOrTrigger(size_t i) const;

  /// The words of COPY/ADD |i| (sources, then destination) with their
  /// quotes removed, as BuildKit copies them; empty for other instructions.
  const std::vector<std::string>& FileArgs(size_t i) const { return file_args_[i]; }

  /// True when the target stage builds a base image, not an application
  /// (ShipsABaseImage in image_facts.h): WS004 and WS005 stay quiet.
  bool ships_base_image() const { return ships_base_image_; }

  /// The stage |s| is built FROM, when its FROM names an earlier stage;
  /// null when it starts from an image.
  const Stage* ParentStage(const Stage& s) const;
  /// The image at the root of |s|'s FROM chain (ARGs expanded), e.g.
  /// "python:3.12"; "" when unknown (variable we cannot expand).
  std::string RootImage(const Stage& s) const;

  /// Instructions that ran before |i| in the same image: earlier ones in its
  /// stage, then its parent stages' (nearest first). FROM lines excluded.
  std::vector<size_t> Earlier(size_t i) const;

  /// The value of environment variable |name| as RUN |i| sees it from ENV or
  /// ARG (with default) instructions in Earlier(i); nullopt if not set.
  std::optional<std::string> EnvAt(size_t i, std::string_view name) const;

  /// Where |cmd| of RUN |i| (or of its ONBUILD trigger) starts in the file
  /// (the RUN keyword when the script is not the instruction's own text).
  SourcePos CommandPos(size_t i, const Command& cmd) const;

  /// Appends a finding for |code| (severity from the rule table) at |pos|.
  void Report(std::vector<Finding>* out, const char* code, size_t instruction, SourcePos pos,
              std::string message) const;

 private:
  RuleContext() = default;
  const Dockerfile* df_ = nullptr;
  ContextFacts context_;
  size_t target_ = 0;
  std::vector<StageRole> roles_;
  std::vector<std::unique_ptr<RunFacts>> runs_;  // one slot per instruction
  std::vector<std::unique_ptr<RunFacts>> triggers_;  // one slot per instruction
  std::vector<std::vector<std::string>> file_args_;  // one slot per instruction
  bool ships_base_image_ = false;
};

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_RULES_CONTEXT_H_
