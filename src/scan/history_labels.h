// Joining config history to layers, and the stable labels whittle prints
// for layers: "#N INSTRUCTION". Labels are diff keys (STYLE.md §3), so they
// drop what changes on every rebuild: the "/bin/sh -c" and "#(nop)" wrapper,
// BuildKit's "|N K=V" build-arg prefix and " # buildkit" suffix, and content
// hashes ("dir:<64 hex>" -> "dir:…").
#ifndef WHITTLE_SCAN_HISTORY_LABELS_H_
#define WHITTLE_SCAN_HISTORY_LABELS_H_

#include <string>
#include <string_view>
#include <vector>

#include "image/image.h"

namespace whittle {

/// "/bin/sh -c #(nop)  CMD [\"sh\"]" -> "CMD [\"sh\"]";
/// "/bin/sh -c apt-get update" -> "RUN apt-get update";
/// "RUN |2 A=1 B=2 /bin/sh -c make # buildkit" -> "RUN make".
/// Whitespace runs (newlines, tabs) collapse to one space.
std::string CleanCreatedBy(std::string_view created_by);

/// For each layer, the index into image.history of the entry that made it,
/// or -1 for all layers when the non-empty history entries do not match the
/// layers one to one (missing or inconsistent history).
std::vector<int> MatchHistoryToLayers(const Image& image);

/// "#N INSTRUCTION" for each layer (N from 1), or "[layer N]" when the
/// history does not match.
std::vector<std::string> LayerLabels(const Image& image);

}  // namespace whittle

#endif  // WHITTLE_SCAN_HISTORY_LABELS_H_
