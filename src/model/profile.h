// Profile: turns an ImageScan into a Rollup over the chosen data sources.
//
// A data source labels every byte of the image (STYLE.md §3). Per tar
// member the bytes split into its headers, its data and its padding; the
// layer's end-of-archive region is a fourth kind (model/range_walk.h).
// Data bytes get the source's label for the member; the other three get
// its structural label, which is the bracketed fallback for every source
// but `layers`:
//
//   source   data bytes of /usr/bin/gcc     headers      padding    end region
//   layers   "#4 RUN apt-get…"              (same)       (same)     (same)
//   paths    "/usr/bin" (to --depth)        [tar headers] [padding] [end of archive]
//   files    "/usr/bin/gcc"                 [tar headers] [padding] [end of archive]
//
// BLOB bytes of a member are split across its headers, data and padding in
// proportion to their TAR bytes (SplitBlob), so each split is approximate
// but the sum is exact.
#ifndef WHITTLE_MODEL_PROFILE_H_
#define WHITTLE_MODEL_PROFILE_H_

#include <regex>
#include <string>
#include <vector>

#include "model/label_source.h"
#include "model/rollup.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle {

/// "/usr/lib/gcc/x86_64/12/cc1" at depth 3 -> "/usr/lib/gcc"; shallower
/// paths are returned whole. depth 0 = unlimited.
std::string_view PathPrefix(std::string_view path, int depth);

struct ProfileOptions {
  /// One per level of the tree, outermost first; not owned, not null.
  std::vector<LabelSource*> sources;
  /// --source-filter: keep only bytes whose label in the last data source
  /// matches (std::regex_search, ECMAScript); the rest are counted as omitted.
  const std::regex* source_filter = nullptr;
  /// For the invariant's error message.
  std::string image_name;
};

struct Profile {
  Rollup rollup;
  /// Bytes left out by ProfileOptions::source_filter. rollup + omitted is
  /// always exactly the sum of the layers.
  uint64_t omitted_blob = 0;
  uint64_t omitted_tar = 0;
};

/// Builds the rollup. Checks the accounting invariants (TOTAL plus what a
/// filter omitted equals the sum of the layer blobs and of the layer tars)
/// and fails with kInternal if they break. When every source is per_layer()
/// only the layers' totals are read (a totals-only scan is enough).
Result<Profile> BuildProfile(const ImageScan& scan, const ProfileOptions& options);

}  // namespace whittle

#endif  // WHITTLE_MODEL_PROFILE_H_
