// EntryFate: what became of each tar member's bytes in the final, stacked
// filesystem. A member is either visible (live) or dead, and a dead member
// was killed by exactly one later change: a later entry at the same path (or
// a non-directory replacing one of its parent directories), a whiteout of it
// or of a parent directory, or an opaque marker on a parent directory.
//
// This is whittle's own "reclaimable bytes" model (docs/waste.md), not dive's:
// dive's numbers are in dive_metrics.h. The `waste` report and the
// `profile -d layers,waste` data source both read this, so they agree on
// content bytes exactly.
//
// Not a judgement on metadata: directories, links and markers carry no
// content bytes, but get a fate too so every member has one.
#ifndef WHITTLE_WASTE_ENTRY_FATE_H_
#define WHITTLE_WASTE_ENTRY_FATE_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "scan/layer_scan.h"
#include "util/big_array.h"

namespace whittle {

enum class Fate : uint8_t {
  kLive,            // visible in the final filesystem (or its data is, via a live hard link)
  kOverwritten,     // a later entry at the same path replaced it (identical content too),
                    // or a later non-directory replaced a parent directory
  kDeleted,         // removed by a whiteout ".wh.NAME" of it or of a parent directory
  kHiddenByOpaque,  // a parent directory was marked opaque (".wh..wh..opq") in a later layer
  kMarker,          // the member is itself a whiteout or opaque marker (never a file)
};

/// Stable lower-case names for reports: "live", "overwritten", "deleted",
/// "hidden-by-opaque", "marker".
std::string_view FateName(Fate fate);

inline constexpr uint32_t kNoLayer = 0xffffffffu;

struct EntryFate {
  Fate fate = Fate::kLive;
  /// True for a regular file whose own path is dead but whose data stays
  /// visible through a live hard link of the same layer: fate is then kLive
  /// (the bytes are not reclaimable). Hard links carry no bytes themselves;
  /// the data is charged once, to the entry that holds it.
  bool kept_by_link = false;
  /// The layer index (0-based, manifest order) whose change made the member
  /// dead: the lowest such layer when several did. kNoLayer unless dead. May
  /// equal the member's own layer (the same path written twice in one tar).
  uint32_t killer_layer = kNoLayer;
  /// Where the killing change happened: the overwritten path, the whiteout's
  /// deleted path, the opaque directory, or the replaced parent directory.
  /// kNoPath unless dead. Reports group dead bytes by it.
  PathId kill_root = kNoPath;

  bool dead() const {
    return fate == Fate::kOverwritten || fate == Fate::kDeleted || fate == Fate::kHiddenByOpaque;
  }
};

/// The fates of an image's members, [layer][entry]; on huge pages
/// (util/big_array.h), as they are filled in fresh memory.
using LayerFates = BigVector<EntryFate>;
using ImageFates = std::vector<LayerFates>;

/// Classifies every member of every layer: result[layer][entry] parallels
/// scan.layers[layer].entries. Cost O(entries x path depth); no re-stacking.
/// Follows OCI layer semantics (image-spec layer.md): whiteouts and opaque
/// markers apply to lower layers only; within one tar a later member at the
/// same path wins over an earlier one.
ImageFates ClassifyEntries(const ImageScan& scan);

class PathNodes;
/// The same, on the directory tree of |scan|'s paths |nodes| was made for
/// (waste/path_nodes.h): a caller that also computes dive's metrics finds
/// each path's parent once for both.
ImageFates ClassifyEntries(const ImageScan& scan, PathNodes& nodes);

/// FateName of every member, shaped like ClassifyEntries: the labels of
/// profile's `waste` data source (model/profile.h EntryFateLabels). The
/// views point at static strings.
std::vector<std::vector<std::string_view>> ClassifyEntryLabels(const ImageScan& scan);

}  // namespace whittle

#endif  // WHITTLE_WASTE_ENTRY_FATE_H_
