// LabelSource: what a data source is to the profile — a function from a
// byte range of the image to a label (STYLE.md §3: "a data source is a
// function of (input, sink)"). The profile walks every range once
// (model/range_walk.h) and asks each chosen source for its label, so the
// sources compose in any order and TOTAL is always the image.
//
// The concrete sources (layers, paths, files, waste, packages, kinds) live
// in src/sources/; this interface keeps the core free of them.
#ifndef WHITTLE_MODEL_LABEL_SOURCE_H_
#define WHITTLE_MODEL_LABEL_SOURCE_H_

#include <cstddef>
#include <string_view>

#include "model/range_walk.h"

namespace whittle {

/// The closed list of synthetic labels (documented in docs/how-it-works.md).
inline constexpr const char* kLabelTarHeaders = "[tar headers]";
inline constexpr const char* kLabelPadding = "[padding]";
inline constexpr const char* kLabelEndOfArchive = "[end of archive]";

class LabelSource {
 public:
  virtual ~LabelSource() = default;
  /// The label of the data bytes of |entry| of |layer|. The view must stay
  /// valid until the source is destroyed.
  virtual std::string_view EntryLabel(size_t layer, size_t entry) = 0;
  /// The label of a layer's structural bytes (|fallback| is one of the
  /// bracketed labels above). Most sources return |fallback|; `layers`
  /// returns the layer.
  virtual std::string_view StructuralLabel(size_t layer, std::string_view fallback) {
    (void)layer;
    return fallback;
  }
  /// True when every byte of a layer gets the same label (EntryLabel and
  /// StructuralLabel depend on |layer| alone): a profile over such sources
  /// needs only each layer's totals, not its entries (BuildProfile).
  virtual bool per_layer() const { return false; }
};

}  // namespace whittle

#endif  // WHITTLE_MODEL_LABEL_SOURCE_H_
