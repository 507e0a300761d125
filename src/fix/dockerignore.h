// SuggestDockerignore: what the build context holds that the Dockerfile
// never names, as a suggested .dockerignore.
//
// `COPY . /app` sends and copies everything in the context: the repository
// history, tests, notes, data, logs, editor droppings, and files that look
// like secrets. The suggestion walks the context directory (bounded by
// WalkLimits; symlinks are not followed) and lists each such entry that no
// COPY/ADD source and no `RUN --mount=type=bind,source=...` names
// explicitly: a source naming the entry, something inside it, or something
// it is inside keeps it off the list (`COPY tests/fixtures /x` keeps
// `tests`). Sources that are the whole context (`.`, `*`) name nothing, but
// after `COPY . /app` the paths the image's own RUN, CMD, ENTRYPOINT and
// HEALTHCHECK words use under /app (`cp /app/data/x`, or `data/x` run from
// WORKDIR /app) count as named: the build or the program reads them.
//
// What it is not: a .dockerignore matcher (linter.h reads the existing one)
// or a writer: the fix verb decides where the text goes and never over an
// existing .dockerignore.
#ifndef WHITTLE_FIX_DOCKERIGNORE_H_
#define WHITTLE_FIX_DOCKERIGNORE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lint/ast.h"
#include "util/status.h"

namespace whittle::fix {

struct WalkLimits {
  size_t max_entries = 200000;  // files and directories visited
  int max_depth = 16;
};

struct DockerignoreEntry {
  std::string pattern;   // a .dockerignore line: "tests", "notes/dev.log", "**/*.pyc"
  std::string category;  // "version control", "tests", ...
  uint64_t bytes = 0;    // size of the regular files it covers (as walked)
  uint64_t files = 0;
};

struct DockerignoreSuggestion {
  std::string context_dir;
  std::vector<DockerignoreEntry> entries;  // grouped by category, in a fixed category order
  bool truncated = false;                  // the walk hit WalkLimits: sizes are lower bounds
  bool whole_context = false;              // some COPY/ADD (or bind mount) takes the whole context
  uint64_t bytes() const;
  /// The file's text: a header naming |dockerfile| and the context, then
  /// one commented section per category.
  std::string Text(std::string_view dockerfile) const;
};

/// Walks |context_dir| and suggests what to ignore for |df|. Errors: the
/// context is not a readable directory (kNotFound / kIo).
Result<DockerignoreSuggestion> SuggestDockerignore(const lint::Dockerfile& df, const std::string& context_dir,
                                                   const WalkLimits& limits = WalkLimits());

/// True when a COPY/ADD in any stage (not --from, not a URL) or a bind
/// mount from the context takes the whole context ("." and the like).
bool CopiesWholeContext(const lint::Dockerfile& df);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_DOCKERIGNORE_H_
