// The config of a compacted image: rootfs.diff_ids of the kept base layers
// plus the squashed layer's, and a history where the entries of the
// replaced layers give way to one entry saying what it replaced (placed
// where the last of them was), with every empty_layer entry kept in place.
#ifndef WHITTLE_COMPACT_CONFIG_REWRITE_H_
#define WHITTLE_COMPACT_CONFIG_REWRITE_H_

#include <string>
#include <utility>
#include <vector>

#include "image/image.h"
#include "util/status.h"

namespace whittle {

/// Rewrites |image|'s config for base layers [0, base) followed by one new
/// layer per group: |groups[g]| is the range of input layers [first, last]
/// it replaces, |diff_ids[g]| its uncompressed digest.
Result<std::string> RewriteConfig(const Image& image, int base, const std::vector<std::pair<int, int>>& groups,
                                  const std::vector<std::string>& diff_ids);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_CONFIG_REWRITE_H_
