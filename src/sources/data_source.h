// The data sources of `profile -d` (and of diff and explain), as a table:
// one row per source, {name, description, capture, make}. Adding a source is
// one file in src/sources/, one row in DataSourceTable() and one test
// (docs/architecture.md "Adding a data source").
//
// A source may need things the scan must collect in its one pass (member
// bodies such as package databases: |capture|) and things computed from the
// finished scan (entry fates, the package index: SourceInputs, computed on
// first use and shared by every source of one run).
#ifndef WHITTLE_SOURCES_DATA_SOURCE_H_
#define WHITTLE_SOURCES_DATA_SOURCE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "image/image.h"
#include "model/label_source.h"
#include "scan/body_capture.h"
#include "scan/layer_scan.h"
#include "util/status.h"
#include "waste/entry_fate.h"

namespace whittle {
class PackageAttribution;
}  // namespace whittle

namespace whittle {

/// What the sources of one run read, built once per image. Products are
/// computed on first use: a profile that never asks for fates never pays
/// for them. |image| and |scan| must outlive this object.
class SourceInputs {
 public:
  SourceInputs(const Image& image, const ImageScan& scan, int depth);
  ~SourceInputs();
  SourceInputs(const SourceInputs&) = delete;
  SourceInputs& operator=(const SourceInputs&) = delete;

  const Image& image() const { return image_; }
  const ImageScan& scan() const { return scan_; }
  /// --depth of the paths source.
  int depth() const { return depth_; }
  /// Fates of every member, fates()[layer][entry] (waste/entry_fate.h).
  const ImageFates& fates();
  /// The `layers` source's labels: LayerLabels(image) unless overridden
  /// (a diff gives OLD's layers the labels of the NEW layers they match).
  const std::vector<std::string>& layer_labels();
  /// Who owns each entry (sources/package_attribution.h), from the bodies
  /// captured by the rules given to set_capture_rules (none: all unowned).
  const PackageAttribution& packages();
  /// The rule list the scan ran with; must outlive this object.
  void set_capture_rules(const CaptureRules* rules) { capture_rules_ = rules; }
  /// Warnings the products met (malformed package databases...).
  std::vector<std::string> TakeWarnings();
  void set_layer_labels(std::vector<std::string> labels) {
    layer_labels_ = std::move(labels);
    have_layer_labels_ = true;
  }

 private:
  const Image& image_;
  const ImageScan& scan_;
  int depth_;
  bool have_fates_ = false;
  bool have_layer_labels_ = false;
  std::vector<std::string> layer_labels_;
  const CaptureRules* capture_rules_ = nullptr;
  std::unique_ptr<PackageAttribution> packages_;
  ImageFates fates_;
};

struct DataSourceDef {
  const char* name;
  const char* description;
  /// Adds the member bodies this source needs to |rules| (may be null when
  /// it needs none). Rules are deduplicated by name, so sources that share
  /// a need (packages, kinds) add the same rules.
  void (*capture)(CaptureRules* rules);
  /// Makes the labeller for one image. Errors are real failures (an
  /// internal invariant), never "no data": a source with nothing to say
  /// labels bytes with a bracketed fallback.
  Result<std::unique_ptr<LabelSource>> (*make)(SourceInputs& inputs);
  /// Labels every byte of a layer alike (its LabelSource is per_layer()):
  /// a profile over such sources alone needs only the layers' totals.
  bool per_layer = false;
};

/// True when every one of |sources| is per_layer: the scan may then be
/// totals-only (ScanOptions::totals_only), which the layer cache answers
/// without decoding any entry.
bool AllPerLayer(const std::vector<const DataSourceDef*>& sources);

/// Every source, in the order --list-sources prints them.
const std::vector<DataSourceDef>& DataSourceTable();

/// Parses "-d layers,paths". Unknown names are kUsage errors listing the
/// valid ones; an empty list is one too.
Result<std::vector<const DataSourceDef*>> ParseDataSources(std::string_view spec);

/// The capture rules |sources| need, deduplicated by rule name. The indexes
/// in LayerScan::captured refer to this list.
CaptureRules CaptureRulesFor(const std::vector<const DataSourceDef*>& sources);

/// The labellers for |sources|, in order.
Result<std::vector<std::unique_ptr<LabelSource>>> MakeLabelSources(
    const std::vector<const DataSourceDef*>& sources, SourceInputs& inputs);

// The built-in sources' factories, one file each.
Result<std::unique_ptr<LabelSource>> MakeLayersSource(SourceInputs& inputs);  // layers_source.cc
Result<std::unique_ptr<LabelSource>> MakePathsSource(SourceInputs& inputs);   // paths_source.cc
Result<std::unique_ptr<LabelSource>> MakeFilesSource(SourceInputs& inputs);   // paths_source.cc
Result<std::unique_ptr<LabelSource>> MakeWasteSource(SourceInputs& inputs);   // waste_source.cc
Result<std::unique_ptr<LabelSource>> MakePackagesSource(SourceInputs& inputs);  // packages_source.cc
Result<std::unique_ptr<LabelSource>> MakeKindsSource(SourceInputs& inputs);     // kinds_source.cc

}  // namespace whittle

#endif  // WHITTLE_SOURCES_DATA_SOURCE_H_
