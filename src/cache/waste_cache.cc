#include "cache/waste_cache.h"

#include "cache/waste_codec.h"
#include "image/stream_archive.h"
#include "scan/layer_cache.h"

namespace whittle {
namespace {

std::vector<std::string> BlobLocations(const Image& image) {
  std::vector<std::string> out;
  out.reserve(image.layers.size());
  for (const LayerRef& layer : image.layers) out.push_back(layer.blob.location);
  return out;
}

// A short label for the row's digest column: what the row is of.
std::string ResultLabel(const Image& image) {
  return std::string(kWasteResultKind) + " " + (image.config.digest.empty() ? image.manifest.digest : image.config.digest);
}

}  // namespace

std::string WasteResultKey(const Image& image, const ScanOptions& options, std::vector<LayerCacheKey>* layer_keys) {
  layer_keys->clear();
  if (options.verify || image.layers.empty()) return "";
  layer_keys->resize(image.layers.size());
  for (size_t i = 0; i < image.layers.size(); ++i) {
    if (!TryMakeLayerCacheKey(image.layers[i], options, &(*layer_keys)[i])) {
      layer_keys->clear();
      return "";
    }
  }
  return LayerCache::ResultRowKey(kWasteResultKind, kWasteCodecVersion, *layer_keys);
}

Result<WasteScan> ScanImageForWaste(Image& image, const ScanOptions& options, LayerCache* cache) {
  std::vector<LayerCacheKey> keys;
  const std::string row = cache != nullptr && cache->enabled() ? WasteResultKey(image, options, &keys) : "";
  if (!row.empty() && image.blobs) {
    const std::vector<std::string> locations = BlobLocations(image);
    CachedWaste cached;
    const bool hit = cache->TryLoadResult(row, keys, [&](std::string_view value) -> Status {
      RETURN_IF_ERROR(DecodeWasteResult(value, locations, &cached));
      // The digests named the same bytes; a store that now reports another
      // size holds something else (a truncated or swapped file): scan it.
      for (size_t i = 0; i < image.layers.size(); ++i) {
        Result<uint64_t> stored = image.blobs->Size(image.layers[i].blob);
        if (!stored || *stored != cached.layers[i].blob_size) return Error(Errc::kNotFound, "blob size changed");
      }
      return Status::Ok();
    });
    if (hit) {
      WasteScan out;
      out.from_cache = true;
      out.scan.layers = std::move(cached.layers);
      const size_t n = out.scan.layers.size();
      for (size_t i = 0; i < n; ++i) {
        SetUnverifiedDigests(image.layers[i], i, &out.scan.layers[i]);
        if (options.progress) options.progress(i + 1, n);
      }
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
  cache->StoreResult(std::move(row), ResultLabel(image), EncodeWasteResult(scan, analysis, BlobLocations(image)));
  return analysis;
}

}  // namespace whittle
