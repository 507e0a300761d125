// `packages`: the OS or language package that owns each file, read from the
// image's own databases, layer by layer (sources/package_attribution.h).
#include "sources/data_source.h"
#include "sources/package_attribution.h"

namespace whittle {

namespace {

class PackagesSource : public LabelSource {
 public:
  explicit PackagesSource(const PackageAttribution& packages) : packages_(packages) {}
  std::string_view EntryLabel(size_t layer, size_t entry) override { return packages_.OwnerLabel(layer, entry); }

 private:
  const PackageAttribution& packages_;
};

}  // namespace

Result<std::unique_ptr<LabelSource>> MakePackagesSource(SourceInputs& inputs) {
  return std::unique_ptr<LabelSource>(std::make_unique<PackagesSource>(inputs.packages()));
}

}  // namespace whittle
