// ImageFacts: the measured per-file facts explain reasons over, computed
// once per image from the scan and the data sources: each member's bytes
// (its data as `profile` counts it, and the whole member a removal would
// take out), its kind, its owning package, its fate, and the live entry of
// each path in the final filesystem.
//
// Every number a finding reports comes from here, so it can be reproduced
// from `profile` (data bytes per kind, package, layer) and `profile
// --raw-map` (whole members); see docs/explain.md.
#ifndef WHITTLE_EXPLAIN_IMAGE_FACTS_H_
#define WHITTLE_EXPLAIN_IMAGE_FACTS_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "image/image.h"
#include "scan/layer_scan.h"
#include "sources/data_source.h"
#include "sources/package_attribution.h"
#include "waste/entry_fate.h"

namespace whittle::explain {

/// Bytes in both domains.
struct Bytes {
  uint64_t tar = 0;
  uint64_t blob = 0;
  Bytes& operator+=(const Bytes& o) {
    tar += o.tar;
    blob += o.blob;
    return *this;
  }
};

/// One tar member, identified by its layer and index in that layer.
struct EntryRef {
  uint32_t layer = 0;
  uint32_t entry = 0;
};

class ImageFacts {
 public:
  /// |inputs| must have been built over |image| and |scan| with the package
  /// capture rules the scan ran with. All three must outlive this object.
  ImageFacts(const Image& image, const ImageScan& scan, SourceInputs& inputs);
  ImageFacts(const ImageFacts&) = delete;
  ImageFacts& operator=(const ImageFacts&) = delete;

  const Image& image() const { return image_; }
  const ImageScan& scan() const { return scan_; }
  size_t layer_count() const { return scan_.layers.size(); }
  const LayerEntry& entry(EntryRef r) const { return scan_.layers[r.layer].entries[r.entry]; }
  std::string_view path(EntryRef r) const { return scan_.paths->Get(entry(r).path); }

  /// The image: the sum of the layer tars and of the layer blobs.
  Bytes total() const { return total_; }
  /// One whole layer (headers, padding and end region included).
  Bytes layer_bytes(size_t layer) const;
  /// The member's data bytes, as `profile` counts them under its label
  /// (TAR: stored size; BLOB: the data's share of the member's blob bytes).
  Bytes data(EntryRef r) const;
  /// The whole member: headers, data and padding (what removing it saves).
  Bytes member(EntryRef r) const;

  std::string_view kind(EntryRef r) const { return kinds_[r.layer][r.entry]; }
  /// "deb:gcc-12", "[unowned]", ...
  std::string_view owner(EntryRef r) const { return packages_.OwnerLabel(r.layer, r.entry); }
  const EntryFate& fate(EntryRef r) const { return fates_[r.layer][r.entry]; }
  bool live(EntryRef r) const { return !fate(r).dead() && fate(r).fate != Fate::kMarker; }
  const PackageAttribution& packages() const { return packages_; }

  /// The live regular file, symlink or hard link at |path| in the final
  /// filesystem, if any.
  std::optional<EntryRef> LiveAt(std::string_view path) const;

  /// Calls fn(EntryRef) for every member with data bytes, in layer order.
  template <typename Fn>
  void ForEachDataEntry(Fn&& fn) const {
    for (uint32_t l = 0; l < scan_.layers.size(); ++l) {
      const auto& entries = scan_.layers[l].entries;
      for (uint32_t e = 0; e < entries.size(); ++e) {
        if (entries[e].stored_size > 0) fn(EntryRef{l, e});
      }
    }
  }

 private:
  const Image& image_;
  const ImageScan& scan_;
  const PackageAttribution& packages_;
  const ImageFates& fates_;
  std::vector<std::vector<std::string_view>> kinds_;
  Bytes total_;
  std::unordered_map<PathId, EntryRef> live_;
};

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_IMAGE_FACTS_H_
