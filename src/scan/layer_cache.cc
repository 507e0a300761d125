#include "scan/layer_cache.h"

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
