// `layers`: every byte of a layer, structural ones included, gets the
// layer's stable label "#N INSTRUCTION" (scan/history_labels.h).
#include "sources/data_source.h"

namespace whittle {

namespace {

class LayersSource : public LabelSource {
 public:
  explicit LayersSource(std::vector<std::string> labels) : labels_(std::move(labels)) {}
  std::string_view EntryLabel(size_t layer, size_t) override { return Get(layer); }
  std::string_view StructuralLabel(size_t layer, std::string_view) override { return Get(layer); }
  bool per_layer() const override { return true; }

 private:
  std::string_view Get(size_t layer) const {
    return layer < labels_.size() ? std::string_view(labels_[layer]) : std::string_view();
  }
  std::vector<std::string> labels_;
};

}  // namespace

Result<std::unique_ptr<LabelSource>> MakeLayersSource(SourceInputs& inputs) {
  return std::unique_ptr<LabelSource>(std::make_unique<LayersSource>(inputs.layer_labels()));
}

}  // namespace whittle
