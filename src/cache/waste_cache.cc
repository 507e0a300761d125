#include "cache/waste_cache.h"

#include <utility>

#include "cache/image_result.h"
#include "cache/waste_codec.h"
#include "scan/open_and_scan.h"

namespace whittle {

std::string WasteResultKey(const Image& image, const ScanOptions& options, std::vector<LayerCacheKey>* layer_keys) {
  return ImageResultKey(kWasteResultKind, kWasteCodecVersion, image, options, layer_keys);
}

Result<WasteScan> ScanImageForWaste(Image& image, const ScanOptions& options, LayerCache* cache) {
  if (cache != nullptr && cache->enabled()) {
    std::vector<LayerCacheKey> keys;
    const std::string row = WasteResultKey(image, options, &keys);
    const std::vector<std::string> locations = LayerLocations(image);
    CachedWaste cached;
    if (TryLoadImageResult(
            *cache, row, keys, image, options,
            [&](std::string_view value) { return DecodeWasteResult(value, locations, &cached); }, &cached.layers)) {
      WasteScan out;
      out.from_cache = true;
      out.scan.layers = std::move(cached.layers);
      out.analysis = std::move(cached.analysis);
      return out;
    }
  }
  WasteScan out;
  ASSIGN_OR_RETURN(out.scan, ScanImage(image, options, cache));
  out.analysis = AnalyzeAndStoreWaste(image, options, out.scan, cache);
  return out;
}

Result<ScannedImage> OpenAndScanForWaste(const std::string& reference, const OpenOptions& open,
                                         const ScanOptions& options, LayerCache* cache, WasteAnalysis* analysis) {
  ScanSteps steps;
  steps.scan_random = [&](Image& image) -> Result<ImageScan> {
    ASSIGN_OR_RETURN(WasteScan ws, ScanImageForWaste(image, options, cache));
    *analysis = std::move(ws.analysis);
    return std::move(ws.scan);
  };
  steps.after_stream = [&](ScannedImage& s) { *analysis = AnalyzeAndStoreWaste(s.image, options, s.scan, cache); };
  return OpenAndScanImage(reference, open, options, cache, steps);
}

WasteAnalysis AnalyzeAndStoreWaste(const Image& image, const ScanOptions& options, const ImageScan& scan,
                                   LayerCache* cache) {
  WasteAnalysis analysis = AnalyzeScanWaste(scan);
  if (cache == nullptr || !cache->enabled() || scan.layers.size() != image.layers.size()) return analysis;
  std::vector<LayerCacheKey> keys;
  std::string row = WasteResultKey(image, options, &keys);
  if (row.empty()) return analysis;
  cache->StoreResult(std::move(row), ImageResultLabel(kWasteResultKind, image),
                     EncodeWasteResult(scan, analysis, LayerLocations(image)));
  return analysis;
}

}  // namespace whittle
