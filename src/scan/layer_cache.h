// LayerScanCache: the seam through which the scanner reuses a LayerScan
// made by an earlier run instead of reading the layer's blob again. The
// scanner only asks and offers; where scans are kept (cache/layer_cache.h:
// an SQLite file), how they are encoded and when they are evicted is not
// its business.
//
//   ScanImage ── for each layer, unless --verify ──> TryLoad(key) ── hit ──> done
//                                                        │ miss
//                                                        v
//               scan the blob as usual (in parallel) ──> Store(key, scan)
//
// The seam is ScanImage's third argument (below) and OpenAndScanImage's
// (scan/open_and_scan.h); ScanOptions does not carry it.
//
// What identifies a scan (LayerCacheKey): the layer's blob digest and
// diff_id as the manifest and config name them, its compression, and every
// ScanOptions field that changes what a scan records (content hashes, the
// capture rules). A layer without a blob digest is never cached. --verify
// neither reads nor fills the cache: it exists to read and hash every blob,
// and hashing the diff_id on the way changes the read sizes a compressed
// layer's per-member BLOB bytes follow, so its scan is not a plain one.
#ifndef WHITTLE_SCAN_LAYER_CACHE_H_
#define WHITTLE_SCAN_LAYER_CACHE_H_

#include <string>
#include <vector>

#include "image/image.h"
#include "scan/layer_scan.h"
#include "util/interner.h"
#include "util/status.h"

namespace whittle {

/// Everything a cached LayerScan must match to stand for a fresh scan.
struct LayerCacheKey {
  std::string blob_digest;  // LayerRef::blob.digest; never empty in a key
  std::string diff_id;      // LayerRef::diff_id (may be empty)
  Compression compression = Compression::kNone;
  bool hash_contents = false;
  std::vector<std::string> capture_rules;  // CaptureRule::name, in rule order

  /// One canonical line per field ("blob sha256:..\ndiff ..\n..."): what a
  /// store hashes into its row key.
  std::string Canonical() const;
};

/// The key for layer |layer| under |options|; false when the layer cannot
/// be cached (no blob digest).
bool TryMakeLayerCacheKey(const LayerRef& layer, const ScanOptions& options, LayerCacheKey* key);

/// A store of LayerScans. Implementations decide persistence and report
/// their own trouble (a cache never fails a scan: a broken cache is a miss).
/// Called from one thread at a time.
class LayerScanCache {
 public:
  virtual ~LayerScanCache() = default;
  /// Fills |out| with the cached scan of |layer| (its paths interned into
  /// |paths|) and returns true, or returns false and leaves |out| as it
  /// was. A hit's blob_size equals |stored_size|, the size the image's
  /// store reports for the blob now. index, blob_digest and diff_id are the
  /// caller's to set. With |totals_only| (ScanOptions::totals_only) a hit
  /// may fill only the totals and warnings.
  virtual bool TryLoad(const LayerCacheKey& key, const LayerRef& layer, uint64_t stored_size,
                       PathInterner& paths, bool totals_only, LayerScan* out) = 0;
  /// Offers the finished scan of |layer|; may keep it, or not. |scan|'s
  /// paths are ids in |paths|. The write may be buffered until Flush().
  virtual void Store(const LayerCacheKey& key, const LayerRef& layer, const LayerScan& scan,
                     const PathInterner& paths) = 0;
  /// Writes what Store buffered and records what TryLoad used.
  virtual void Flush() {}
};

/// ScanImage (scan/layer_scan.h) through |cache| (may be null; not owned):
/// unless options.verify (then |cache| is not used at all), the layers
/// |cache| holds are taken from it and only the others are read, in
/// parallel as always, then offered to |cache|. Errors as ScanImage.
Result<ImageScan> ScanImage(Image& image, const ScanOptions& options, LayerScanCache* cache);

/// Reads the bodies every layer of |scan| queued under
/// ScanOptions::defer_capture (BackgroundCapture::ReadDeferred), in layer
/// order, appending the rules' complaints to |warnings|. A layer whose
/// bodies cannot be read adds a warning too (its bodies then stop there):
/// the accounting does not depend on them. Call from one thread.
void ReadDeferredBodies(const ImageScan& scan, std::vector<std::string>* warnings);

/// After ReadDeferredBodies: offers |cache| (may be null) each layer whose
/// bodies were deferred and read without failure, with its bodies and the
/// rules' complaints in place, which is what ScanImage would have stored
/// had it read them at once. |options| are the scan's. Then Flush().
void StoreDeferredLayers(const Image& image, const ImageScan& scan, const ScanOptions& options,
                         LayerScanCache* cache);

/// Sets what a scan without --verify of |layer| records in blob_digest and
/// diff_id (the digest was checked when the stored bytes were read, i.e.
/// for a compressed blob) and |index|: what a cache hit must report to be
/// indistinguishable from a fresh scan.
void SetUnverifiedDigests(const LayerRef& layer, size_t index, LayerScan* out);

}  // namespace whittle

#endif  // WHITTLE_SCAN_LAYER_CACHE_H_
