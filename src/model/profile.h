// Profile: turns an ImageScan into a Rollup over the chosen data sources.
//
// A data source labels every byte of the image in one domain-independent
// way (STYLE.md §3). Per tar member the bytes split into its headers, its
// data and its padding; the layer's end-of-archive region is a fourth kind.
//
//   source   data bytes of /usr/bin/gcc     headers      padding    end region
//   layers   "#4 RUN apt-get…"              (same)       (same)     (same)
//   paths    "/usr/bin" (to --depth)        [tar headers] [padding] [end of archive]
//   files    "/usr/bin/gcc"                 [tar headers] [padding] [end of archive]
//
// BLOB bytes of a member (see LayerEntry::blob_bytes) are split across its
// headers, data and padding in proportion to their TAR bytes, so each split
// is approximate but the sum is exact.
#ifndef WHITTLE_MODEL_PROFILE_H_
#define WHITTLE_MODEL_PROFILE_H_

#include <regex>
#include <string>
#include <vector>

#include "image/image.h"
#include "model/rollup.h"
#include "scan/layer_scan.h"
#include "util/status.h"

namespace whittle {

enum class DataSource { kLayers, kPaths, kFiles, kWaste };

struct DataSourceInfo {
  DataSource source;
  const char* name;
  const char* description;
};
/// The built-in data sources, for --list-sources.
const std::vector<DataSourceInfo>& DataSources();

/// Parses "-d layers,paths". Unknown names are kUsage errors listing the valid ones.
Result<std::vector<DataSource>> ParseDataSources(std::string_view spec);

/// The closed list of synthetic labels (documented in docs/how-it-works.md).
inline constexpr const char* kLabelTarHeaders = "[tar headers]";
inline constexpr const char* kLabelPadding = "[padding]";
inline constexpr const char* kLabelEndOfArchive = "[end of archive]";

/// "/usr/lib/gcc/x86_64/12/cc1" at depth 3 -> "/usr/lib/gcc"; shallower
/// paths are returned whole. depth 0 = unlimited.
std::string_view PathPrefix(std::string_view path, int depth);

/// The fate of every entry, for the `waste` data source: fates[layer][entry]
/// is one of "live", "overwritten", "deleted", "hidden-by-opaque", "marker"
/// (waste/entry_fate.h FateName). The views must outlive the rollup build.
using EntryFateLabels = std::vector<std::vector<std::string_view>>;

/// A member's BLOB bytes split over its headers, data and padding in
/// proportion to their TAR sizes; the integer remainder goes to the data
/// (to the headers when there is no data), so the three add up exactly.
/// The profile and the raw map both use it, so they show the same bytes.
struct BlobSplit {
  uint64_t header = 0, data = 0, padding = 0;
};
BlobSplit SplitBlob(uint64_t blob, uint64_t header, uint64_t data, uint64_t padding);

struct ProfileOptions {
  std::vector<DataSource> sources{DataSource::kLayers};
  int depth = 3;
  const EntryFateLabels* fates = nullptr;  // required for kWaste
  /// --source-filter: keep only bytes whose label in the last data source
  /// matches (std::regex_search, ECMAScript); the rest are counted as omitted.
  const std::regex* source_filter = nullptr;
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
/// and fails with kInternal if they break.
Result<Profile> BuildProfile(const Image& image, const ImageScan& scan, const ProfileOptions& options);

}  // namespace whittle

#endif  // WHITTLE_MODEL_PROFILE_H_
