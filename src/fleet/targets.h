// Targets: the references a fleet scan works through, as WorkItems.
//
//   docker://REGISTRY          every repository of /v2/_catalog, every tag
//   docker://REGISTRY/REPO     every tag of REPO (/v2/REPO/tags/list)
//   docker://REGISTRY/REPO:TAG or @DIGEST   that one image
//   --from FILE                one reference per line ("docker://" optional),
//                              '#' comments and blank lines skipped
//
// Both lists are paginated (`?n=` and the Link header's rel="next", as the
// distribution spec says; $WHITTLE_SCAN_PAGE_SIZE, 1..10000, replaces the
// page size, for tests), over the registry client of the registry source
// (image/registry_client.h: auth, retries, 429/Retry-After). Output is
// sorted by reference and free of duplicates, so every worker that lists
// the same registry queues the same items.
//
// Shards: --shard i/N keeps the references whose repository hashes to i
// modulo N. The hash is 64-bit FNV-1a of the repository's bytes
// ("HOST/REPO"), fixed here so that every build, platform and worker
// agrees (std::hash promises none of that). All tags of a repository land in
// one shard, so a repository's shared layers are read by one worker.
#ifndef WHITTLE_FLEET_TARGETS_H_
#define WHITTLE_FLEET_TARGETS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fleet/fleet_store.h"
#include "image/reference.h"
#include "util/status.h"

namespace whittle::fleet {

/// Most references a listing may produce (a cap on untrusted answers).
inline constexpr size_t kMaxTargets = 1000000;
/// Page size asked of /v2/_catalog and tags/list.
inline constexpr int kListPageSize = 1000;

/// Lists what |target| (docker://...) names, as described above. Errors:
/// kUsage for a malformed name, the registry's errors (kIo, kNotFound...)
/// naming the URL, kCorrupt for an answer that is not the documented JSON.
Result<std::vector<WorkItem>> ListTargets(const std::string& target, const RegistryOptions& options);

/// Reads the --from file |path|. A bad line is kUsage "PATH:LINE: what".
Result<std::vector<WorkItem>> ReadTargetFile(const std::string& path);

/// One reference ("[docker://]HOST/REPO:TAG", "...@DIGEST") as a WorkItem,
/// normalised as docker:// names are (Docker Hub host, "library/", ":latest").
Result<WorkItem> TargetFromReference(const std::string& text);

struct Shard {
  uint32_t index = 0;
  uint32_t count = 1;  // 1: everything
};

/// Parses "i/N" (0 <= i < N <= 65536). kUsage otherwise.
Result<Shard> ParseShard(const std::string& text);

/// 64-bit FNV-1a of |repository|.
uint64_t RepositoryHash(std::string_view repository);

/// The items of |items| in |shard| (order kept).
std::vector<WorkItem> InShard(const std::vector<WorkItem>& items, const Shard& shard);

/// The target of a rel="next" Link header value ("</v2/_catalog?last=x&n=2>;
/// rel=\"next\""), as a path with its query; "" when there is none. An
/// absolute URL keeps only its path and query (the registry's host is used).
std::string NextLink(const std::string& link_header);

}  // namespace whittle::fleet

#endif  // WHITTLE_FLEET_TARGETS_H_
