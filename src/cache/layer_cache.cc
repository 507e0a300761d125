#include "cache/layer_cache.h"

#include "cache/layer_codec.h"

#include <cstdio>
#include "util/sha256.h"
#include "util/strings.h"
#include "util/version.h"

namespace whittle {

LayerCache::LayerCache(LayerCacheOptions options) : options_(std::move(options)) {
  Result<std::unique_ptr<CacheDb>> db = CacheDb::Open(options_.dir, options_.busy_timeout_ms);
  if (db) {
    db_ = std::move(*db);
    return;
  }
  if (db.error().code() == Errc::kCorrupt) {
    // Open failed on the file's content: delete it and start empty.
    Warn(StrFormat("layer cache %s/%s is damaged (%s); rebuilding it", options_.dir.c_str(), kCacheFileName,
                   db.error().message().c_str()));
    warned_damage_ = true;
    // A failed Open left no CacheDb to Recreate(): delete the files here.
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::string p = options_.dir + "/" + kCacheFileName + suffix;
      std::remove(p.c_str());
    }
    db = CacheDb::Open(options_.dir, options_.busy_timeout_ms);
    if (db) {
      db_ = std::move(*db);
      return;
    }
  }
  Warn(StrFormat("layer cache unavailable (%s); going on without it", db.error().message().c_str()));
}

LayerCache::~LayerCache() { Flush(); }

void LayerCache::Warn(const std::string& message) {
  if (options_.warn) options_.warn(message);
}

void LayerCache::OnError(const Status& status) {
  if (db_ == nullptr) return;
  used_.clear();
  pending_.clear();
  if (status.code() == Errc::kCorrupt) {
    if (!warned_damage_) {
      Warn(StrFormat("layer cache %s is damaged (%s); rebuilding it", db_->path().c_str(), status.message().c_str()));
      warned_damage_ = true;
    }
    Status st = db_->Recreate();
    if (st.ok()) return;
    Warn(StrFormat("layer cache unavailable (%s); going on without it", st.message().c_str()));
  } else {
    Warn(StrFormat("layer cache unavailable (%s); going on without it", status.message().c_str()));
  }
  db_.reset();
}

std::string LayerCache::RowKey(const LayerCacheKey& key) {
  std::string text = StrFormat("whittle %s %s\nencoding %u\n", WhittleVersion(), WhittleGitCommit(),
                               static_cast<unsigned>(kLayerCodecVersion));
  text += key.Canonical();
  std::string digest = Sha256::DigestOf(text);  // "sha256:<hex>"
  return digest.substr(digest.find(':') + 1);
}

bool LayerCache::TryLoad(const LayerCacheKey& key, const LayerRef& layer, uint64_t stored_size, PathInterner& paths,
                         bool totals_only, LayerScan* out) {
  if (db_ == nullptr) return false;
  const std::string row = RowKey(key);
  LayerScan scan;
  Status st;
  // Decoded straight from SQLite's buffer: no copy of the value.
  Result<bool> found = db_->Read(row, [&](std::string_view value) {
    st = totals_only ? DecodeLayerTotals(value, layer.blob.location, &scan)
                     : DecodeLayerScan(value, layer.blob.location, key.capture_rules.size(), paths, &scan);
  });
  if (!found) {
    OnError(found.error());
    return false;
  }
  if (!*found) return false;
  if (!st.ok()) {
    OnError(Error(Errc::kCorrupt, st.message()));
    return false;
  }
  // The digest named the same bytes; a store that now reports another size
  // holds something else (a truncated or swapped file): scan it.
  if (scan.blob_size != stored_size) return false;
  *out = std::move(scan);
  used_.push_back(row);
  ++hits_;
  return true;
}

void LayerCache::Store(const LayerCacheKey& key, const LayerRef& layer, const LayerScan& scan,
                       const PathInterner& paths) {
  if (db_ == nullptr) return;
  CacheDb::Row row{RowKey(key), key.blob_digest, EncodeLayerScan(scan, paths, layer.blob.location)};
  if (row.value.size() > options_.max_bytes) return;  // would be evicted at once
  for (const CacheDb::Row& p : pending_) {
    if (p.key == row.key) return;  // a layer listed twice
  }
  pending_.push_back(std::move(row));
}

std::string LayerCache::ResultRowKey(std::string_view kind, unsigned version,
                                     const std::vector<LayerCacheKey>& layers) {
  std::string text = StrFormat("whittle %s %s\nresult %.*s %u\nlayers %zu\n", WhittleVersion(), WhittleGitCommit(),
                               static_cast<int>(kind.size()), kind.data(), version, layers.size());
  for (const LayerCacheKey& key : layers) text += key.Canonical();
  std::string digest = Sha256::DigestOf(text);  // "sha256:<hex>"
  return digest.substr(digest.find(':') + 1);
}

bool LayerCache::TryLoadResult(const std::string& row, const std::vector<LayerCacheKey>& layers,
                               const std::function<Status(std::string_view value)>& decode) {
  if (db_ == nullptr) return false;
  Status st;
  Result<bool> found = db_->Read(row, [&](std::string_view value) { st = decode(value); });
  if (!found) {
    OnError(found.error());
    return false;
  }
  if (!*found) return false;
  if (st.code() == Errc::kCorrupt) {
    OnError(st);
    return false;
  }
  if (!st.ok()) return false;  // sound, but stands for other bytes now
  // The scans it was made from age with it: a warm `waste` keeps them for
  // `profile`, and they leave the cache together when none is used.
  for (const LayerCacheKey& key : layers) used_.push_back(RowKey(key));
  used_.push_back(row);
  ++result_hits_;
  return true;
}

void LayerCache::StoreResult(std::string row, std::string label, std::string value) {
  if (db_ == nullptr || value.size() > options_.max_bytes) return;  // would be evicted at once
  for (const CacheDb::Row& p : pending_) {
    if (p.key == row) return;
  }
  pending_.push_back(CacheDb::Row{std::move(row), std::move(label), std::move(value)});
}

void LayerCache::Flush() {
  if (db_ == nullptr || (used_.empty() && pending_.empty())) return;
  Status st = db_->Commit(used_, pending_, {}, options_.max_bytes);
  if (!st.ok()) {
    OnError(st);
    return;
  }
  written_ += pending_.size();
  used_.clear();
  pending_.clear();
}

}  // namespace whittle
