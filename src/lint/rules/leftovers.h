// Leftovers: what an instruction leaves in its layer that a later
// instruction may try to delete, and which commands delete what.
//
// A layer is immutable: `RUN rm -rf X` in a later layer only adds a
// whiteout, X's bytes stay in the layer that wrote it. WS002 reports such
// cleanups, and `whittle fix` uses the same facts to merge the cleanup into
// the RUN that wrote X (src/fix/). Both call FindLaterCleanups(), so a fix
// is derived from exactly what the rule saw.
//
// Known producers: apt lists, apk/yum/dnf caches, pip and npm caches, the
// language build caches (Go build and module caches, yarn, cargo's
// registry, Maven's ~/.m2, Gradle's ~/.gradle, ccache), `curl -o` /
// `wget -O` downloads, `git clone DIR`, COPY/ADD destinations. Paths are
// absolute; `~`, `$HOME` and variables set by ENV/ARG are resolved where
// the Dockerfile says what they are, and an unknown home (a non-root USER
// without ENV HOME) makes the home-relative caches unknown (no finding).
//
// What it is not: a shell interpreter. `cd` and `export` inside a RUN are
// not followed.
#ifndef WHITTLE_LINT_RULES_LEFTOVERS_H_
#define WHITTLE_LINT_RULES_LEFTOVERS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/rules/context.h"

namespace whittle::lint {

/// A path an instruction writes, and what wrote it.
struct Leftover {
  std::string path;          // absolute, no trailing '/'
  std::string what;          // "apt lists", "go build cache", "COPY"...
  /// A build cache that `RUN --mount=type=cache,target=PATH` keeps out of
  /// the layer while keeping it between builds (language caches).
  bool cache_mount_fits = false;
  /// The writing command's index in RunFacts::commands; kNoCommand for
  /// COPY/ADD. A cleanup in the same RUN counts only after it.
  size_t command = kNoCommand;

  static constexpr size_t kNoCommand = static_cast<size_t>(-1);
};

/// Paths RUN |i| (a certain RUN, see RunFacts) writes that matter for size,
/// before any cleanup in the same RUN. Empty for other instructions.
std::vector<Leftover> ProducedBy(const RuleContext& ctx, size_t i);

/// Absolute paths command |c| of RUN |i| deletes: its `rm` targets
/// (variables and `~` resolved, unresolvable ones dropped) and the caches
/// its tool verbs clean (`yum clean all`, `npm cache clean`,
/// `go clean -cache`...).
std::vector<std::string> CleanedBy(const RuleContext& ctx, size_t i, const Command& c);

/// What instruction |j| leaves behind: produced and not cleaned by a later
/// command of the same RUN (or kept out by a cache mount).
std::vector<Leftover> LeftoversOf(const RuleContext& ctx, size_t j);

/// One WS002 fact: |command| of RUN |cleaner| deletes |target|, which only
/// whites out |leftover|, written by instruction |writer|.
struct LaterCleanup {
  size_t cleaner = 0;
  const Command* command = nullptr;  // points into ctx.Run(cleaner)
  std::string target;
  Leftover leftover;
  size_t writer = 0;
};

/// The later cleanups RUN |i| performs: at most one per cleaning command
/// (its first target that removes an earlier leftover, the nearest writer
/// first). Empty unless RUN |i| is certain and in shipping scope.
std::vector<LaterCleanup> FindLaterCleanups(const RuleContext& ctx, size_t i);

/// The home directory of the user RUN |i| runs as: ENV HOME if set, "/root"
/// when no USER (or USER root / 0) precedes it; nullopt when unknown.
std::optional<std::string> HomeAt(const RuleContext& ctx, size_t i);

/// Resolves a path word of command |c| in RUN |i|: absolute words as they
/// are, `~/x`, `$HOME/x`, `${VAR}/x` with VAR set inline on |c| or by
/// ENV/ARG. nullopt when it is relative or a variable is unknown.
std::optional<std::string> ResolvePathWord(const RuleContext& ctx, size_t i, const Command& c,
                                           std::string_view word);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_RULES_LEFTOVERS_H_
