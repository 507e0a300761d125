// The text of `whittle explore`'s screen, line by line, without a terminal:
// the layers pane rows, the tree rows, the details line. explore_ui.cc only
// places these strings and colours them, so what the screen says is
// unit-tested here (screen_text_test.cc) and the ncurses code stays thin.
//
// Every function returns exactly |width| bytes (padded or cut), ASCII
// markers only; bytes of paths that are control characters print as '?'.
#ifndef WHITTLE_EXPLORE_SCREEN_TEXT_H_
#define WHITTLE_EXPLORE_SCREEN_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "explore/tree_view.h"
#include "sources/package_attribution.h"

namespace whittle {

/// One row of the layers pane, computed once per image.
struct ExploreLayer {
  std::string label;         // "#3 RUN apt-get install ..." (scan/history_labels.h)
  uint64_t size = 0;         // content bytes the layer stores (docker history SIZE)
  uint64_t reclaimable = 0;  // of those, bytes a later change made dead (waste/)
};

/// The layers pane rows of |scan| with |fates| (ClassifyEntries) and
/// |labels| (LayerLabels).
std::vector<ExploreLayer> ExploreLayers(const ImageScan& scan, const ImageFates& fates,
                                        const std::vector<std::string>& labels);

/// Cuts or pads |s| to |width| bytes; control bytes become '?'.
std::string FitText(std::string_view s, size_t width);

/// The title: " whittle explore REF  STATUS" (STATUS: "layer 2/11  sort:size
/// ...  row 1/20"). When it is wider than |width| the reference gives way
/// first: it keeps its tail (the file or repository name) after "...", so
/// the status stays on screen; only when the status alone is too wide is the
/// end cut.
std::string TitleLine(std::string_view ref, std::string_view status, size_t width);

/// "  LAYER      SIZE   RECLAIM  INSTRUCTION".
std::string LayersHeader(size_t width);
/// "  #3       1.50Mi     20.0Ki  RUN ..." (the label's own "#N" leads).
std::string LayerLine(const ExploreLayer& layer, size_t width);

/// Width of the package column (0 when the image has no package database).
inline constexpr size_t kPackageColumn = 20;
/// "M      SIZE  PACKAGE             PATH" (no PACKAGE when |packages| is 0).
std::string TreeHeader(size_t width, size_t packages);
/// One tree row: mark (A added, M modified, D removed), the shown bytes,
/// the owning package (|owner|, when |packages| > 0), then the name indented
/// by depth, "+ "/"- " before a collapsed/expanded directory, "/" after a
/// directory and " -> target" after a link.
std::string TreeLine(const TreeView& view, const TreeRow& row, std::string_view owner, size_t packages,
                     size_t width);
/// The details of |n|: "-rw-r--r--  0:0 (root:root)  /etc/x  4.00 KiB  stored
/// in #2 (overwritten in #4)  kind docs"; |layers| name the layers.
std::string DetailsLine(const LayerTree& tree, NodeId n, const std::vector<ExploreLayer>& layers,
                        std::string_view kind, size_t width);

/// "1000:1000", or "1000:1000 (app:staff)" when the tar header names the
/// user or group (a missing name prints as its number, as ls -l does);
/// "?:?" for null (an owner the scan did not keep).
std::string OwnerString(const EntryOwner* owner);
/// "drwxr-xr-x" from a tar mode and the member kind.
std::string ModeString(uint32_t mode, EntryKind kind);
/// 'A', 'M', 'D' or ' '.
char MarkChar(Mark mark);

}  // namespace whittle

#endif  // WHITTLE_EXPLORE_SCREEN_TEXT_H_
