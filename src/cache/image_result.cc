#include "cache/image_result.h"

#include "cache/totals_codec.h"
#include "scan/open_and_scan.h"
#include "scan/layer_cache.h"

namespace whittle {
namespace {

// Offers |scan|'s totals row to |cache| (null or off: nothing).
void StoreTotals(const Image& image, const ScanOptions& options, const ImageScan& scan, LayerCache* cache) {
  if (cache == nullptr || !cache->enabled() || scan.layers.size() != image.layers.size()) return;
  std::vector<LayerCacheKey> keys;
  std::string row = ImageResultKey(kTotalsResultKind, kTotalsCodecVersion, image, options, &keys);
  if (row.empty()) return;
  cache->StoreResult(std::move(row), ImageResultLabel(kTotalsResultKind, image),
                     EncodeImageTotals(scan, LayerLocations(image)));
}

}  // namespace

std::string ImageResultKey(std::string_view kind, unsigned version, const Image& image, const ScanOptions& options,
                           std::vector<LayerCacheKey>* layer_keys) {
  layer_keys->clear();
  if (options.verify || image.layers.empty()) return "";
  layer_keys->resize(image.layers.size());
  for (size_t i = 0; i < image.layers.size(); ++i) {
    if (!TryMakeLayerCacheKey(image.layers[i], options, &(*layer_keys)[i])) {
      layer_keys->clear();
      return "";
    }
  }
  return LayerCache::ResultRowKey(kind, version, *layer_keys);
}

std::vector<std::string> LayerLocations(const Image& image) {
  std::vector<std::string> out;
  out.reserve(image.layers.size());
  for (const LayerRef& layer : image.layers) out.push_back(layer.blob.location);
  return out;
}

std::string ImageResultLabel(std::string_view kind, const Image& image) {
  return std::string(kind) + " " + (image.config.digest.empty() ? image.manifest.digest : image.config.digest);
}

bool TryLoadImageResult(LayerCache& cache, const std::string& row, const std::vector<LayerCacheKey>& keys,
                        Image& image, const ScanOptions& options,
                        const std::function<Status(std::string_view value)>& decode, std::vector<LayerScan>* layers) {
  if (row.empty() || !image.blobs) return false;
  const bool hit = cache.TryLoadResult(row, keys, [&](std::string_view value) -> Status {
    RETURN_IF_ERROR(decode(value));
    if (layers->size() != image.layers.size()) return Error(Errc::kCorrupt, "cached result: layer count");
    // The digests named the same bytes; a store that now reports another
    // size holds something else (a truncated or swapped file): scan it.
    for (size_t i = 0; i < image.layers.size(); ++i) {
      Result<uint64_t> stored = image.blobs->Size(image.layers[i].blob);
      if (!stored || *stored != (*layers)[i].blob_size) return Error(Errc::kNotFound, "blob size changed");
    }
    return Status::Ok();
  });
  if (!hit) return false;
  const size_t n = layers->size();
  for (size_t i = 0; i < n; ++i) {
    SetUnverifiedDigests(image.layers[i], i, &(*layers)[i]);
    if (options.progress) options.progress(i + 1, n);
  }
  return true;
}

Result<ImageScan> ScanImageTotals(Image& image, const ScanOptions& options, LayerCache* cache) {
  if (!options.totals_only || cache == nullptr || !cache->enabled()) return ScanImage(image, options, cache);
  std::vector<LayerCacheKey> keys;
  const std::string row = ImageResultKey(kTotalsResultKind, kTotalsCodecVersion, image, options, &keys);
  const std::vector<std::string> locations = LayerLocations(image);
  ImageScan out;
  if (TryLoadImageResult(
          *cache, row, keys, image, options,
          [&](std::string_view value) { return DecodeImageTotals(value, locations, &out.layers); }, &out.layers)) {
    return out;
  }
  ASSIGN_OR_RETURN(out, ScanImage(image, options, cache));
  StoreTotals(image, options, out, cache);
  return out;
}

Result<ScannedImage> OpenAndScanTotals(const std::string& reference, const OpenOptions& open,
                                       const ScanOptions& options, LayerCache* cache) {
  ScanSteps steps;
  steps.scan_random = [&](Image& image) { return ScanImageTotals(image, options, cache); };
  steps.after_stream = [&](ScannedImage& s) {
    if (options.totals_only) StoreTotals(s.image, options, s.scan, cache);
  };
  return OpenAndScanImage(reference, open, options, cache, steps);
}

}  // namespace whittle
