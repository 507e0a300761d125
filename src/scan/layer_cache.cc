#include "scan/layer_cache.h"

#include "scan/background_capture.h"
#include "scan/layer_scan.h"

namespace whittle {

std::string LayerCacheKey::Canonical() const {
  std::string out;
  out += "blob " + blob_digest + "\n";
  out += "diff " + diff_id + "\n";
  out += std::string("compression ") + CompressionName(compression) + "\n";
  out += std::string("hash ") + (hash_contents ? "1" : "0") + "\n";
  out += "capture";
  for (const std::string& rule : capture_rules) {
    out += ' ';
    out += rule;
  }
  out += "\n";
  return out;
}

bool TryMakeLayerCacheKey(const LayerRef& layer, const ScanOptions& options, LayerCacheKey* key) {
  if (layer.blob.digest.empty()) return false;
  key->blob_digest = layer.blob.digest;
  key->diff_id = layer.diff_id;
  key->compression = layer.compression;
  key->hash_contents = options.hash_contents;
  key->capture_rules.clear();
  if (options.capture != nullptr) {
    for (const CaptureRule& rule : *options.capture) key->capture_rules.push_back(rule.name);
  }
  return true;
}

void ReadDeferredBodies(const ImageScan& scan, std::vector<std::string>* warnings) {
  for (const LayerScan& layer : scan.layers) {
    if (layer.deferred_bodies == nullptr) continue;
    Status st = layer.deferred_bodies->ReadDeferred();
    for (const std::string& w : layer.deferred_bodies->warnings()) warnings->push_back(w);
    if (!st.ok()) warnings->push_back(st.message() + " (package bodies not read)");
  }
}

void StoreDeferredLayers(const Image& image, const ImageScan& scan, const ScanOptions& options,
                         LayerScanCache* cache) {
  if (cache == nullptr || options.verify) return;
  bool stored = false;
  LayerCacheKey key;
  for (size_t i = 0; i < scan.layers.size() && i < image.layers.size(); ++i) {
    const LayerScan& layer = scan.layers[i];
    const BackgroundCapture* d = layer.deferred_bodies.get();
    if (d == nullptr || !d->read() || !d->read_status().ok()) continue;
    if (!TryMakeLayerCacheKey(image.layers[i], options, &key)) continue;
    // As the scan orders them: the bodies' complaints, then the reader's.
    LayerScan whole = layer;
    whole.deferred_bodies = nullptr;
    whole.captured = d->bodies();
    whole.warnings = d->warnings();
    whole.warnings.insert(whole.warnings.end(), layer.warnings.begin(), layer.warnings.end());
    cache->Store(key, image.layers[i], whole, *scan.paths);
    stored = true;
  }
  if (stored) cache->Flush();
}

void SetUnverifiedDigests(const LayerRef& layer, size_t index, LayerScan* out) {
  // ScanImageLayer without verify: a compressed blob is hashed (and
  // checked) because it is read anyway; an uncompressed one is skipped
  // through, and no diff_id is computed.
  out->index = index;
  const bool compressed = layer.compression != Compression::kNone;
  out->blob_digest = compressed ? layer.blob.digest : std::string();
  out->diff_id.clear();
}

}  // namespace whittle
