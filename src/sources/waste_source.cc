// `waste`: what became of each member's bytes in the final filesystem —
// live, overwritten, deleted, hidden-by-opaque (waste/entry_fate.h). The
// `waste` report reads the same fates, so the two agree byte for byte.
#include "sources/data_source.h"

namespace whittle {

namespace {

class WasteSource : public LabelSource {
 public:
  explicit WasteSource(const ImageFates& fates) : fates_(fates) {}
  std::string_view EntryLabel(size_t layer, size_t entry) override {
    return FateName(fates_[layer][entry].fate);
  }

 private:
  const ImageFates& fates_;
};

}  // namespace

Result<std::unique_ptr<LabelSource>> MakeWasteSource(SourceInputs& inputs) {
  return std::unique_ptr<LabelSource>(std::make_unique<WasteSource>(inputs.fates()));
}

}  // namespace whittle
