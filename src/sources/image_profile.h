// ProfileImage and DiffImages: an image's rollup over a list of data
// sources (what `profile` prints), and the comparison of two such rollups
// (`diff OLD NEW`, `profile NEW -- OLD`). The verbs only parse flags and
// print; this is the work.
#ifndef WHITTLE_SOURCES_IMAGE_PROFILE_H_
#define WHITTLE_SOURCES_IMAGE_PROFILE_H_

#include <regex>
#include <string>
#include <vector>

#include "model/profile.h"
#include "model/rollup_diff.h"
#include "sources/data_source.h"

namespace whittle {

struct ProfileSpec {
  std::vector<const DataSourceDef*> sources;
  int depth = 3;  // --depth of the paths source
  /// --source-filter over the last source's labels; not owned, may be null.
  const std::regex* source_filter = nullptr;
  /// The capture rules the scans ran with (CaptureRulesFor(sources)); not
  /// owned, may be null when no source needs bodies.
  const CaptureRules* capture = nullptr;
};

/// Builds |image|'s rollup. |layer_labels|, when not null, replaces the
/// `layers` source's labels (a diff gives OLD the labels of NEW's layers).
/// Oddities met on the way (malformed package databases) are appended to
/// |warnings|.
Result<Profile> ProfileImage(const Image& image, const ImageScan& scan, const ProfileSpec& spec,
                             const std::vector<std::string>* layer_labels, std::vector<std::string>* warnings);


/// OLD against NEW over the same sources. Layers are matched first by
/// diff_id, then by instruction text (sources/layer_match.h), so the
/// `layers` source compares a layer with the layer it became.
Result<DiffOutput> DiffImages(const Image& old_image, const ImageScan& old_scan, const Image& new_image,
                              const ImageScan& new_scan, const ProfileSpec& spec, const DiffOptions& diff,
                              std::vector<std::string>* warnings);

}  // namespace whittle

#endif  // WHITTLE_SOURCES_IMAGE_PROFILE_H_
