#include "sources/data_source.h"

#include <set>

#include "scan/history_labels.h"
#include "sources/package_attribution.h"
#include "util/strings.h"

namespace whittle {

SourceInputs::SourceInputs(const Image& image, const ImageScan& scan, int depth)
    : image_(image), scan_(scan), depth_(depth) {}

SourceInputs::~SourceInputs() = default;

const PackageAttribution& SourceInputs::packages() {
  if (!packages_) {
    static const CaptureRules kNone;
    packages_ = std::make_unique<PackageAttribution>(scan_, capture_rules_ ? *capture_rules_ : kNone);
  }
  return *packages_;
}

std::vector<std::string> SourceInputs::TakeWarnings() {
  std::vector<std::string> out;
  if (packages_) {
    out = packages_->warnings();
  }
  return out;
}

const ImageFates& SourceInputs::fates() {
  if (!have_fates_) {
    fates_ = ClassifyEntries(scan_);
    have_fates_ = true;
  }
  return fates_;
}

const std::vector<std::string>& SourceInputs::layer_labels() {
  if (!have_layer_labels_) {
    layer_labels_ = LayerLabels(image_);
    have_layer_labels_ = true;
  }
  return layer_labels_;
}

const std::vector<DataSourceDef>& DataSourceTable() {
  static const std::vector<DataSourceDef> kSources = {
      {"layers", "the layer, labelled '#N INSTRUCTION' from the config history", nullptr, MakeLayersSource,
       /*per_layer=*/true},
      {"paths", "the file's directory, cut to --depth components (default 3)", nullptr, MakePathsSource},
      {"files", "the file's full path", nullptr, MakeFilesSource},
      {"waste",
       "what became of the bytes in the final filesystem: live, overwritten, deleted, "
       "hidden-by-opaque",
       nullptr, MakeWasteSource},
      {"packages",
       "the package that owns the file: deb:, apk:, rpm:, pip:, npm:, go: from the image's own "
       "databases, layer by layer; [unowned] otherwise",
       AddPackageCaptureRules, MakePackagesSource},
      {"kinds",
       "what the bytes are for: toolchain, package-cache, bytecode, docs, tests-examples, vcs, "
       "secret-like, logs-temp, runtime (docs/kinds.md)",
       AddPackageCaptureRules, MakeKindsSource},
  };
  return kSources;
}

Result<std::vector<const DataSourceDef*>> ParseDataSources(std::string_view spec) {
  std::vector<const DataSourceDef*> out;
  for (std::string_view name : Split(spec, ',')) {
    name = TrimWhitespace(name);
    const DataSourceDef* found = nullptr;
    for (const DataSourceDef& def : DataSourceTable()) {
      if (name == def.name) found = &def;
    }
    if (found == nullptr) {
      std::string valid;
      for (const DataSourceDef& def : DataSourceTable()) {
        valid += std::string(valid.empty() ? "" : ", ") + def.name;
      }
      return Error(Errc::kUsage, StrFormat("unknown data source '%s' (valid: %s)", std::string(name).c_str(),
                                           valid.c_str()));
    }
    out.push_back(found);
  }
  if (out.empty()) return Error(Errc::kUsage, "-d needs at least one data source");
  return out;
}

bool AllPerLayer(const std::vector<const DataSourceDef*>& sources) {
  for (const DataSourceDef* def : sources) {
    if (!def->per_layer) return false;
  }
  return true;
}

CaptureRules CaptureRulesFor(const std::vector<const DataSourceDef*>& sources) {
  CaptureRules all;
  for (const DataSourceDef* def : sources) {
    if (def->capture != nullptr) def->capture(&all);
  }
  CaptureRules out;
  std::set<std::string> seen;
  for (CaptureRule& r : all) {
    if (seen.insert(r.name).second) out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<std::unique_ptr<LabelSource>>> MakeLabelSources(
    const std::vector<const DataSourceDef*>& sources, SourceInputs& inputs) {
  std::vector<std::unique_ptr<LabelSource>> out;
  for (const DataSourceDef* def : sources) {
    ASSIGN_OR_RETURN(std::unique_ptr<LabelSource> s, def->make(inputs));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace whittle
