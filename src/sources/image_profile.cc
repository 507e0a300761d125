#include "sources/image_profile.h"

#include "sources/layer_match.h"

namespace whittle {

Result<Profile> ProfileImage(const Image& image, const ImageScan& scan, const ProfileSpec& spec,
                             const std::vector<std::string>* layer_labels, std::vector<std::string>* warnings) {
  SourceInputs inputs(image, scan, spec.depth);
  inputs.set_capture_rules(spec.capture);
  if (layer_labels != nullptr) inputs.set_layer_labels(*layer_labels);
  ASSIGN_OR_RETURN(std::vector<std::unique_ptr<LabelSource>> labelers, MakeLabelSources(spec.sources, inputs));
  ProfileOptions options;
  for (auto& l : labelers) options.sources.push_back(l.get());
  options.source_filter = spec.source_filter;
  options.image_name = image.reference;
  Result<Profile> profile = BuildProfile(scan, options);
  if (warnings != nullptr) {
    for (std::string& w : inputs.TakeWarnings()) warnings->push_back(std::move(w));
  }
  return profile;
}

Result<DiffOutput> DiffImages(const Image& old_image, const ImageScan& old_scan, const Image& new_image,
                              const ImageScan& new_scan, const ProfileSpec& spec, const DiffOptions& diff,
                              std::vector<std::string>* warnings) {
  LayerMatchResult match = MatchLayers(old_image, new_image);
  ASSIGN_OR_RETURN(Profile old_profile, ProfileImage(old_image, old_scan, spec, &match.old_labels, warnings));
  ASSIGN_OR_RETURN(Profile new_profile, ProfileImage(new_image, new_scan, spec, nullptr, warnings));
  std::vector<std::string> names;
  for (const DataSourceDef* d : spec.sources) names.push_back(d->name);
  return DiffRollups(old_profile.rollup, new_profile.rollup, std::move(names), diff);
}

}  // namespace whittle
