// SquashPlan: which members of the layers above the base survive into the
// squashed layer. A member is dead when a later member (a later layer, or
// later in the same tar) writes its path again, when a later layer's
// whiteout deletes it or an ancestor, when a later layer's opaque marker
// hides it, or when a later member puts a non-directory at one of its
// ancestors. A directory written several times appears once, at its first
// place (parents still come before their children) with the headers of its
// last entry (the metadata that won). One exception keeps a dead member:
// the member a kept hard link points to, at the link's place in the stream
// (then the path appears twice in the squashed layer).
//
// Whiteouts and opaque markers survive only where the base still has
// something for them to remove; the squashed layer emits them first, so
// they act on the base alone, as they did.
#ifndef WHITTLE_COMPACT_SQUASH_PLAN_H_
#define WHITTLE_COMPACT_SQUASH_PLAN_H_

#include <cstdint>
#include <vector>

#include "compact/fs_tree.h"
#include "compact/layer_index.h"

namespace whittle {

struct SquashPlan {
  /// keep[l][i]: member i of upper layer l goes into the squashed layer.
  std::vector<std::vector<bool>> keep;
  /// For kept directories written again later: {layer, index} of the last
  /// entry, whose headers replace this one's; {-1, 0} otherwise.
  struct Ref {
    int layer = -1;
    size_t index = 0;
  };
  std::vector<std::vector<Ref>> headers_from;
  uint64_t members_total = 0;
  uint64_t members_kept = 0;
  uint64_t dropped_tar_bytes = 0;  // tar bytes of the members dropped
  uint64_t kept_for_links = 0;     // dead members kept as hard-link targets
  uint64_t merged_dirs = 0;        // directory entries folded into an earlier one
};

/// Plans the squash of |upper| (bottom first) over the filesystem |base|.
SquashPlan PlanSquash(const std::vector<const LayerIndex*>& upper, const FsTree& base);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_SQUASH_PLAN_H_
