// `paths` (the member's directory prefix, cut to --depth components) and
// `files` (the member's whole path). Labels are views into the scan's path
// interner, which outlives the profile.
#include "model/profile.h"
#include "sources/data_source.h"

namespace whittle {

namespace {

class PathsSource : public LabelSource {
 public:
  PathsSource(const ImageScan& scan, int depth) : scan_(scan), depth_(depth) {}
  std::string_view EntryLabel(size_t layer, size_t entry) override {
    return PathPrefix(scan_.paths->Get(scan_.layers[layer].entries[entry].path), depth_);
  }

 private:
  const ImageScan& scan_;
  int depth_;  // 0 = whole path (`files`)
};

}  // namespace

Result<std::unique_ptr<LabelSource>> MakePathsSource(SourceInputs& inputs) {
  return std::unique_ptr<LabelSource>(std::make_unique<PathsSource>(inputs.scan(), inputs.depth()));
}

Result<std::unique_ptr<LabelSource>> MakeFilesSource(SourceInputs& inputs) {
  return std::unique_ptr<LabelSource>(std::make_unique<PathsSource>(inputs.scan(), 0));
}

}  // namespace whittle
