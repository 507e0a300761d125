// LayerCache: LayerScans of earlier runs, kept in an SQLite file
// (cache_db.h) and encoded by layer_codec.h; what the scanner's
// LayerScanCache seam (scan/layer_cache.h) is answered with.
//
//   TryLoad: row key = SHA-256(whittle version + commit, encoding version,
//            LayerCacheKey) -> value -> DecodeLayerScan (checksum, bounds,
//            invariants) -> hit only if the blob size still matches
//   Store:   EncodeLayerScan, buffered
//   TryLoadResult / StoreResult: the same for one value per image
//            (cache/waste_cache.h), keyed by its layers' keys in order
//   Flush:   one transaction: hits become most recently used, buffered
//            rows are written, least recently used rows evicted to the limit
//
// Policy on trouble (a cache never fails a run):
// - damage (SQLite says corrupt / not a database, or a value fails its
//   checksum or checks): one warning, the file is deleted and re-created
//   empty, and the run goes on as a miss. A damaged file is never trusted.
// - anything else (cannot create the directory, read-only, disk full, a
//   lock held past the busy timeout): one warning, and the cache is off for
//   the rest of the run.
// A new whittle build (version or commit) has other row keys, so it never
// reads what an older one encoded; those rows age out through the LRU.
#ifndef WHITTLE_CACHE_LAYER_CACHE_H_
#define WHITTLE_CACHE_LAYER_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cache/cache_db.h"
#include "scan/layer_cache.h"
#include "scan/layer_scan.h"

namespace whittle {

/// --cache-max-size's default: 2 GiB of stored scans.
inline constexpr uint64_t kDefaultCacheMaxBytes = 2ull << 30;

struct LayerCacheOptions {
  std::string dir;                          // holds layers.sqlite; created when missing
  uint64_t max_bytes = kDefaultCacheMaxBytes;  // values kept, at most (LRU eviction)
  int busy_timeout_ms = 10000;
  /// Receives the one-line warnings ("layer cache ...: ..."); may be null.
  std::function<void(const std::string&)> warn;
};

class LayerCache : public LayerScanCache {
 public:
  /// Opens the cache. Never fails: a cache that cannot be opened has
  /// warned and is off (TryLoad misses, Store keeps nothing).
  explicit LayerCache(LayerCacheOptions options);
  ~LayerCache() override;
  LayerCache(const LayerCache&) = delete;
  LayerCache& operator=(const LayerCache&) = delete;

  bool TryLoad(const LayerCacheKey& key, const LayerRef& layer, uint64_t stored_size, PathInterner& paths,
               bool totals_only, LayerScan* out) override;
  void Store(const LayerCacheKey& key, const LayerRef& layer, const LayerScan& scan,
             const PathInterner& paths) override;
  void Flush() override;

  // Per-image results (cache/waste_cache.h): a value computed from an
  // ordered list of layers' scans, kept in the same file, under the same
  // size bound and LRU order as the scans. Self-contained: a result outlives
  // the eviction of the scans it was made from.

  /// The row key (hex SHA-256) of result |kind|, encoded at |version|, over
  /// |layers| in image order. Like RowKey, it names the whittle build.
  static std::string ResultRowKey(std::string_view kind, unsigned version, const std::vector<LayerCacheKey>& layers);
  /// Calls |decode| with the value stored under |row| (a view valid during
  /// the call). True when there was one and |decode| returned Ok: the row
  /// and |layers|' rows then become the most recently used at Flush().
  /// |decode| returning kCorrupt is damage, answered as a layer value's is;
  /// any other error is a miss (a sound value that no longer applies).
  bool TryLoadResult(const std::string& row, const std::vector<LayerCacheKey>& layers,
                     const std::function<Status(std::string_view value)>& decode);
  /// Offers |value| under |row| (written at Flush()); |label| goes in the
  /// row's digest column, for people reading the file.
  void StoreResult(std::string row, std::string label, std::string value);

  /// False once the cache is off for this run.
  bool enabled() const { return db_ != nullptr; }
  /// Layers answered from the cache, and layers written, so far.
  size_t hits() const { return hits_; }
  size_t written() const { return written_; }
  /// Results answered from the cache so far.
  size_t result_hits() const { return result_hits_; }

  /// The row key of |key| (hex SHA-256): exposed for tests.
  static std::string RowKey(const LayerCacheKey& key);

 private:
  // Damage: warn, re-create the file. Other errors: warn, turn off.
  void OnError(const Status& status);
  void Warn(const std::string& message);

  LayerCacheOptions options_;
  std::unique_ptr<CacheDb> db_;
  std::vector<std::string> used_;
  std::vector<CacheDb::Row> pending_;
  size_t hits_ = 0;
  size_t written_ = 0;
  size_t result_hits_ = 0;
  bool warned_damage_ = false;
};

}  // namespace whittle

#endif  // WHITTLE_CACHE_LAYER_CACHE_H_
