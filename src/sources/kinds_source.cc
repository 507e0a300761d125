// `kinds`: what the bytes are for (toolchain, package-cache, bytecode, docs,
// tests-examples, vcs, secret-like, logs-temp, runtime), by the rows of
// docs/kinds.md (pkg/kinds.h), sharpened by the owning package: a file of a
// -dev package is toolchain wherever it sits. Paths only: no content is read.
#include "pkg/kinds.h"
#include "sources/data_source.h"
#include "sources/package_attribution.h"

namespace whittle {

namespace {

class KindsSource : public LabelSource {
 public:
  KindsSource(const ImageScan& scan, const PackageAttribution& packages)
      : scan_(scan), packages_(packages), table_(pkg::KindTable::BuiltIn()) {}
  std::string_view EntryLabel(size_t layer, size_t entry) override {
    std::string_view path = scan_.paths->Get(scan_.layers[layer].entries[entry].path);
    return table_.Classify(path, packages_.OwnerLabel(layer, entry));
  }

 private:
  const ImageScan& scan_;
  const PackageAttribution& packages_;
  const pkg::KindTable& table_;
};

}  // namespace

Result<std::unique_ptr<LabelSource>> MakeKindsSource(SourceInputs& inputs) {
  return std::unique_ptr<LabelSource>(std::make_unique<KindsSource>(inputs.scan(), inputs.packages()));
}

}  // namespace whittle
