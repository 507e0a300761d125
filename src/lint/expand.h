// ExpandVariables: the small subset of shell parameter expansion that
// Dockerfile instructions perform at build time ($VAR, ${VAR},
// ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt}), used where the
// linter needs a value the build would compute: FROM images from global
// ARGs, stage names, --platform.
//
// Not a shell: no command substitution, no arithmetic, no pattern operators
// (${VAR#x}, ${VAR%x}, ${VAR/x/y} leave |*complete| false and expand to "").
#ifndef WHITTLE_LINT_EXPAND_H_
#define WHITTLE_LINT_EXPAND_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/ast.h"

namespace whittle::lint {

/// Returns the value of a variable, or nullopt when it is not set.
using VarLookup = std::function<std::optional<std::string_view>(std::string_view name)>;

/// Expands variables in |word|. The escape character (backslash or backtick)
/// escapes a '$'. Quotes are kept as they are (this is for values that are
/// already single words). Unset variables expand to "" (as BuildKit does).
/// |*complete| (optional) is set to false when an unsupported construct was
/// met, so callers can treat the result as unknown.
std::string ExpandVariables(std::string_view word, const VarLookup& lookup,
                            char escape = '\\', bool* complete = nullptr);

/// Lookup over KeyValue pairs (e.g. Dockerfile::global_args); later entries
/// win; an ARG without a default counts as unset.
VarLookup LookupFromKeyValues(const std::vector<KeyValue>& pairs);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_EXPAND_H_
