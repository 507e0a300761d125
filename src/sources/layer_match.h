// Layer matching for diffs: which layer of OLD is which layer of NEW, so
// that `diff -d layers` compares a layer with itself and not "#3" with "#3".
//
// Pass 1 matches identical layers by diff_id (the digest of the tar, from
// the config; the same bytes whatever the compression). Pass 2 matches the
// rest, in order, by instruction text with build-specific parts removed
// (CleanCreatedBy: the "/bin/sh -c" wrapper, "#(nop)", BuildKit's "|N A=B"
// prefix and "# buildkit" suffix, content hashes). Each NEW layer matches
// at most one OLD layer. A matched OLD layer takes NEW's label; the others
// keep their own, and print as [DEL] rows.
#ifndef WHITTLE_SOURCES_LAYER_MATCH_H_
#define WHITTLE_SOURCES_LAYER_MATCH_H_

#include <string>
#include <vector>

#include "image/image.h"

namespace whittle {

enum class LayerMatch : unsigned char { kNone, kDiffId, kInstruction };

struct LayerMatchResult {
  /// Label for each OLD layer: NEW's "#N INSTRUCTION" when matched, else
  /// OLD's own label.
  std::vector<std::string> old_labels;
  /// For each OLD layer, the NEW layer index it matched (-1 when none).
  std::vector<int> new_index;
  std::vector<LayerMatch> how;
};

LayerMatchResult MatchLayers(const Image& old_image, const Image& new_image);

}  // namespace whittle

#endif  // WHITTLE_SOURCES_LAYER_MATCH_H_
