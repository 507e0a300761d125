#include "fleet/scan_loop.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "cache/layer_cache.h"
#include "fleet/image_analysis.h"
#include "image/platform.h"
#include "image/registry_store.h"
#include "util/strings.h"

namespace whittle::fleet {
namespace {

// At most |limit| images in flight per registry host.
class HostSlots {
 public:
  explicit HostSlots(unsigned limit) : limit_(std::max(1u, limit)) {}
  void Acquire(const std::string& host) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return busy_[host] < limit_; });
    ++busy_[host];
  }
  void Release(const std::string& host) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --busy_[host];
    }
    cv_.notify_all();
  }

 private:
  unsigned limit_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, unsigned> busy_;
};

// Layers being read by a thread of this process. Acquire waits, holding
// nothing, until none of |layers| is being read by another thread, then
// marks those not yet read in this process as its own: all at once, so two
// images waiting on each other's layers cannot deadlock. Release marks them
// read (when the scan succeeded, so the cache has them) or frees them.
class LayerGate {
 public:
  std::vector<std::string> Acquire(const std::vector<std::string>& layers) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] {
      return std::none_of(layers.begin(), layers.end(), [&](const std::string& l) { return reading_.count(l) > 0; });
    });
    std::vector<std::string> mine;
    for (const std::string& l : layers) {
      if (done_.count(l) == 0 && reading_.insert(l).second) mine.push_back(l);
    }
    return mine;
  }
  void Release(const std::vector<std::string>& mine, bool read) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const std::string& l : mine) {
        reading_.erase(l);
        if (read) done_.insert(l);
      }
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::string> reading_, done_;
};

std::string HostOf(const std::string& reference) { return reference.substr(0, reference.find('/')); }

std::string ShortDigest(const std::string& digest) {
  return digest.size() > 19 ? digest.substr(0, 19) : digest;  // "sha256:" + 12 hex
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

struct Shared {
  const ScanLoopOptions& options;
  std::string worker;
  HostSlots slots;
  Platform platform;  // --platform, parsed once
  LayerGate gate;
  std::mutex mu;  // guards result, progress, error
  ScanLoopResult result;
  Status error;   // the first store error: stops every thread
  bool said_waiting = false;  // the "waiting for" line is printed once

  void Progress(const std::string& line) {
    if (options.progress) options.progress(line);
  }
};

// One image: the item's outcome, recorded in the store. Returns an error
// only for the store's own failures.
Status ScanOne(Shared& shared, FleetStore& store, LayerCache* cache, const WorkItem& item) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string host = HostOf(item.reference);
  shared.slots.Acquire(host);
  struct SlotRelease {
    Shared& s;
    const std::string& h;
    ~SlotRelease() { s.slots.Release(h); }
  } release{shared, host};

  auto fail = [&](const Status& why) -> Status {
    RETURN_IF_ERROR(store.Fail(item, why.message()));
    std::lock_guard<std::mutex> lock(shared.mu);
    ++shared.result.failed;
    shared.result.failures.emplace_back(item.reference, why.message());
    shared.Progress(StrFormat("%s: failed: %s", item.reference.c_str(), why.message().c_str()));
    return Status::Ok();
  };

  // The manifest first: an image stored already (the store keys on the
  // image manifest's digest) costs no config request.
  Result<RegistryManifest> manifest = RegistryManifest::Fetch(item.reference, shared.options.registry, shared.platform);
  if (!manifest) return fail(manifest.error());
  const std::string digest = manifest->digest();
  ASSIGN_OR_RETURN(bool stored, store.HasImage(digest));
  if (stored) {
    std::vector<std::string> tags;
    if (std::string tag = TagOfReference(item.reference); !tag.empty()) tags.push_back(tag);
    RETURN_IF_ERROR(store.CompleteStored(item, digest, tags));
    std::lock_guard<std::mutex> lock(shared.mu);
    ++shared.result.skipped;
    shared.Progress(StrFormat("%s: %s skipped: stored already", item.reference.c_str(), ShortDigest(digest).c_str()));
    return Status::Ok();
  }

  Image image;
  if (Status st = manifest->Open(&image); !st.ok()) return fail(st);
  image.reference = "docker://" + item.reference;
  image.format = "docker";

  std::vector<std::string> layer_digests;
  for (const LayerRef& l : image.layers) layer_digests.push_back(l.blob.digest);
  std::vector<std::string> mine = shared.gate.Acquire(layer_digests);
  const size_t hits_before = cache != nullptr ? cache->hits() : 0;
  Result<ImageScan> scan = ScanForFleet(image, cache);
  if (cache != nullptr) cache->Flush();
  const size_t cached = cache != nullptr ? cache->hits() - hits_before : 0;
  shared.gate.Release(mine, scan.has_value());
  if (!scan) return fail(scan.error());
  Result<ImageRow> row = AnalyzeImage(item, image, *scan);
  if (!row) return fail(row.error());
  RETURN_IF_ERROR(store.Complete(item, *row));
  std::lock_guard<std::mutex> lock(shared.mu);
  ++shared.result.scanned;
  shared.result.layers += image.layers.size();
  shared.result.layers_cached += cached;
  shared.Progress(StrFormat("%s: %s scanned: %zu layers (%zu read, %zu cached), %s, %s reclaimable, %.2f s",
                            item.reference.c_str(), ShortDigest(digest).c_str(), image.layers.size(),
                            image.layers.size() - cached, cached, FormatSizeWithUnit(row->size).c_str(),
                            FormatSizeWithUnit(row->reclaimable).c_str(), SecondsSince(t0)));
  return Status::Ok();
}

void Worker(Shared& shared) {
  auto fail_all = [&shared](const Status& st) {
    std::lock_guard<std::mutex> lock(shared.mu);
    if (shared.error.ok()) shared.error = st;
  };
  Result<std::unique_ptr<FleetStore>> store = OpenFleetStore(shared.options.db);
  if (!store) return fail_all(store.error());
  std::unique_ptr<LayerCache> cache;
  if (!shared.options.cache_dir.empty()) {
    LayerCacheOptions c;
    c.dir = shared.options.cache_dir;
    if (shared.options.cache_max_bytes > 0) c.max_bytes = shared.options.cache_max_bytes;
    c.warn = [&shared](const std::string& message) {
      std::lock_guard<std::mutex> lock(shared.mu);
      shared.Progress("warning: " + message);
    };
    cache = std::make_unique<LayerCache>(std::move(c));
  }
  ClaimOptions claim;
  claim.worker = shared.worker;
  claim.lease_seconds = shared.options.lease_seconds;
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(shared.mu);
      if (!shared.error.ok()) return;
    }
    Result<std::optional<WorkItem>> item = (*store)->Claim(claim);
    if (!item) return fail_all(item.error());
    if (!*item) {
      // Nothing pending. Other workers' claims (SQLite) are taken over when
      // their leases end, in this run: wait, looking again every second
      // (their workers, when alive, may finish them first).
      Result<OtherClaims> others = (*store)->ClaimsOfOthers(claim);
      if (!others) return fail_all(others.error());
      if (others->count == 0) return;  // nothing pending or leased: done
      {
        std::lock_guard<std::mutex> lock(shared.mu);
        if (!shared.said_waiting) {
          shared.said_waiting = true;
          shared.Progress(StrFormat("nothing pending: waiting for the %zu image%s other workers hold (taken over "
                                    "if a lease ends: the first in %lld s)",
                                    others->count, others->count == 1 ? "" : "s",
                                    static_cast<long long>(others->seconds_left)));
        }
      }
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::clamp<int64_t>(others->seconds_left * 1000, 100, 1000)));
      continue;
    }
    if (Status st = ScanOne(shared, **store, cache.get(), **item); !st.ok()) return fail_all(st);
  }
}

}  // namespace

Result<ScanLoopResult> RunScanLoop(const ScanLoopOptions& options) {
  Platform platform = HostPlatform();
  if (!options.platform.empty()) {
    ASSIGN_OR_RETURN(platform, ParsePlatform(options.platform));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<FleetStore> store, OpenFleetStore(options.db));
  RETURN_IF_ERROR(store->Migrate());
  RETURN_IF_ERROR(store->Enqueue(options.items));
  RETURN_IF_ERROR(store->Requeue(options.items));

  Shared shared{options, options.worker, HostSlots(options.jobs), platform};
  if (shared.worker.empty()) {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    shared.worker = StrFormat("%s:%d", host, static_cast<int>(getpid()));
  }
  // --jobs per registry: enough threads for every host of our list to have
  // its |jobs| images in flight (items claimed from other workers' lists
  // share them).
  std::set<std::string> hosts;
  for (const WorkItem& item : options.items) hosts.insert(HostOf(item.reference));
  const size_t threads = std::clamp<size_t>(std::max<size_t>(1, hosts.size()) * std::max(1u, options.jobs), 1, 64);
  std::vector<std::thread> pool;
  for (size_t i = 0; i < threads; ++i) pool.emplace_back([&shared] { Worker(shared); });
  for (std::thread& t : pool) t.join();
  RETURN_IF_ERROR(shared.error);
  std::sort(shared.result.failures.begin(), shared.result.failures.end());
  return shared.result;
}

}  // namespace whittle::fleet
