// The rewrite table: one rewrite per lint id, and what a rewrite is.
//
// A rewrite never decides on its own that something needs fixing: the
// fixer runs the linter and hands each rewrite one Finding of its id. The
// rewrite then reads the same RuleContext facts the rule read (the shell
// splitter's commands, words and offsets; leftovers.h for WS002) and either
// plans edits or refuses with a reason. Two kinds:
//   kMerge   joins two RUNs into one (DL3059, WS002). Merges run first, in
//            their own rounds, because they change which RUN a later fix
//            belongs to (an `apt-get update` RUN merged with its install
//            RUN can then get DL3009's cleanup).
//   kInRun   edits inside one RUN: adds a flag to a command (DL3015, DL3019,
//            DL3042) or appends a cleanup command (DL3009, DL3032, DL3036,
//            DL3040, DL3060, WS001).
#ifndef WHITTLE_FIX_REWRITE_H_
#define WHITTLE_FIX_REWRITE_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "fix/edit.h"
#include "lint/ast.h"
#include "lint/rules/context.h"
#include "lint/rules/rule.h"

namespace whittle::fix {

/// What one rewrite sees: the round's text, its parse, the rule facts and
/// the finding to fix.
struct RewriteInput {
  std::string_view text;
  const lint::Dockerfile& df;
  const lint::RuleContext& ctx;
  const lint::Finding& finding;
  /// Maps an offset of |text| to a line of the fixer's input (rounds before
  /// this one may have moved lines); null = the identity.
  std::function<int(size_t offset)> input_line_at;

  /// The input line of instruction |x|, for messages.
  int Line(const lint::Instruction& x) const {
    return input_line_at ? input_line_at(x.range.begin_offset) : x.start_line();
  }
};

/// What a rewrite wants to do. No edits means refused, with |refusal| saying
/// why ("a later RUN at line 12 runs apt-get install without apt-get
/// update"); |suggestions| are advice either way (never applied).
struct RewritePlan {
  std::vector<Edit> edits;
  std::string summary;   // what the edits do: "added --no-install-recommends"
  std::string refusal;   // why not, when edits is empty
  std::vector<std::string> suggestions;
  /// The instruction(s) the edits touch, as a byte range of the round's
  /// text (for the before/after report): first keyword to last line's end.
  size_t region_begin = 0;
  size_t region_end = 0;
  /// Merges only: the two instructions joined (dedup key).
  size_t merge_first = 0;
  size_t merge_second = 0;

  static RewritePlan Refuse(std::string why) {
    RewritePlan p;
    p.refusal = std::move(why);
    return p;
  }
};

enum class RewriteKind { kMerge, kInRun };

struct Rewrite {
  const char* id;       // the lint id it fixes
  RewriteKind kind;
  const char* summary;  // one line for --help and docs/fix.md
  RewritePlan (*plan)(const RewriteInput& in);
};

/// Every rewrite, in id order.
const std::vector<Rewrite>& AllRewrites();
/// The rewrite for lint id |id|, or null.
const Rewrite* FindRewrite(std::string_view id);

// The plan functions (one file per family).
// flag_rewrites.cc
RewritePlan PlanDL3015(const RewriteInput& in);
RewritePlan PlanDL3019(const RewriteInput& in);
RewritePlan PlanDL3042(const RewriteInput& in);
// cleanup_rewrites.cc
RewritePlan PlanDL3009(const RewriteInput& in);
RewritePlan PlanDL3032(const RewriteInput& in);
RewritePlan PlanDL3036(const RewriteInput& in);
RewritePlan PlanDL3040(const RewriteInput& in);
RewritePlan PlanDL3060(const RewriteInput& in);
RewritePlan PlanWS001(const RewriteInput& in);
// merge_rewrites.cc
RewritePlan PlanDL3059(const RewriteInput& in);
RewritePlan PlanWS002(const RewriteInput& in);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_REWRITE_H_
