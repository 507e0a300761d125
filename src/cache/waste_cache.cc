#include "cache/waste_cache.h"

#include "cache/image_result.h"
#include "cache/waste_codec.h"
#include "image/stream_archive.h"

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
  ASSIGN_OR_RETURN(std::optional<ImageStream> stream, OpenImageStream(reference));
  if (stream) {
    ASSIGN_OR_RETURN(ScannedImage out, ScanImageStream(*stream, open, options, cache));
    out.image.reference = reference;
    *analysis = AnalyzeAndStoreWaste(out.image, options, out.scan, cache);
    return out;
  }
  ScannedImage out;
  ASSIGN_OR_RETURN(out.image, OpenImage(reference, open));
  ASSIGN_OR_RETURN(WasteScan ws, ScanImageForWaste(out.image, options, cache));
  out.scan = std::move(ws.scan);
  *analysis = std::move(ws.analysis);
  return out;
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
