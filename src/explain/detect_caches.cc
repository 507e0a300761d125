// Package lists and caches (kind `package-cache`): apt's lists and
// downloaded .debs, apk, yum/dnf, pip, npm, yarn, Go, cargo, Maven and
// Gradle caches, stored by a layer of the build and deleted by a later one
// (the bytes stay in the earlier layer) or never deleted. One finding per
// storing layer, with the bytes measured in it. Lever: clean up in the same
// RUN, or keep the cache out of the layer with RUN --mount=type=cache.
// Caches inside base layers are the base image's (see the base finding).
#include <cstring>
#include <map>

#include "explain/detect_util.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

struct CacheKind {
  const char* prefix;
  const char* name;
  const char* edit;
};

const CacheKind kCaches[] = {
    {"/var/lib/apt/lists", "apt package lists", "rm -rf /var/lib/apt/lists/* at the end of the RUN that ran apt-get update"},
    {"/var/cache/apt", "apt's downloaded packages", "apt-get clean (or rm -rf /var/cache/apt/archives/*.deb) in the same RUN"},
    {"/var/cache/apk", "apk's cache", "apk add --no-cache"},
    {"/etc/apk/cache", "apk's cache", "apk add --no-cache"},
    {"/var/cache/yum", "yum's cache", "yum clean all in the same RUN"},
    {"/var/cache/dnf", "dnf's cache", "dnf clean all in the same RUN"},
    {"/root/.cache/pip", "pip's cache", "pip install --no-cache-dir (or RUN --mount=type=cache,target=/root/.cache/pip)"},
    {"/root/.npm", "npm's cache", "npm cache clean --force in the same RUN (or RUN --mount=type=cache,target=/root/.npm)"},
    {"/root/.cache/go-build", "Go's build cache", "RUN --mount=type=cache,target=/root/.cache/go-build"},
    {"/go/pkg/mod", "Go's module cache", "RUN --mount=type=cache,target=/go/pkg/mod"},
    {"/root/.m2", "Maven's repository", "RUN --mount=type=cache,target=/root/.m2"},
    {"/root/.gradle", "Gradle's caches", "RUN --mount=type=cache,target=/root/.gradle"},
    {"/usr/local/cargo/registry", "cargo's registry", "RUN --mount=type=cache,target=/usr/local/cargo/registry"},
};

const CacheKind& KindOf(std::string_view path) {
  static const CacheKind kOther = {"", "package caches", "clean the cache in the RUN that fills it, or RUN --mount=type=cache"};
  for (const CacheKind& k : kCaches) {
    if (StartsWith(path, k.prefix) && (path.size() == std::strlen(k.prefix) || path[std::strlen(k.prefix)] == '/')) {
      return k;
    }
  }
  return kOther;
}

}  // namespace

void DetectCaches(const ExplainContext& ctx, std::vector<Finding>* out) {
  const ImageFacts& facts = ctx.facts();
  struct PerLayer {
    explicit PerLayer(const ImageFacts& f) : removal(f) {}
    Tally tally;
    Removal removal;
    std::map<const CacheKind*, uint64_t> by_kind;
    std::map<uint32_t, uint64_t> killed_by;  // layer that deleted them -> bytes
    uint64_t live = 0;
  };
  std::map<uint32_t, PerLayer> layers;
  facts.ForEachDataEntry([&](EntryRef r) {
    if (ctx.is_base_layer(r.layer) || facts.kind(r) != "package-cache") return;
    auto it = layers.find(r.layer);
    if (it == layers.end()) it = layers.try_emplace(r.layer, facts).first;
    PerLayer& p = it->second;
    p.tally.Add(facts, r);
    p.removal.AddEntry(r);
    uint64_t b = facts.data(r).tar;
    p.by_kind[&KindOf(facts.path(r))] += b;
    const EntryFate& fate = facts.fate(r);
    if (fate.dead() && fate.killer_layer != kNoLayer) {
      p.killed_by[fate.killer_layer] += b;
    } else {
      p.live += b;
    }
  });
  for (auto& [layer, p] : layers) {
    if (p.tally.bytes.tar == 0) continue;
    Finding f = MeasuredFinding(ctx, "caches", Lever::kSameRunCleanup, p.tally, std::move(p.removal),
                                static_cast<int>(layer));
    const CacheKind* top = nullptr;
    std::string kinds;
    for (const auto& [k, b] : p.by_kind) {
      if (top == nullptr || b > p.by_kind[top]) top = k;
    }
    for (const auto& [k, b] : p.by_kind) kinds += StrFormat("%s%s %s", kinds.empty() ? "" : ", ", k->name, Size(b).c_str());
    f.message = StrFormat("%s of package lists and caches stored by %s (%s)", Size(p.tally.bytes.tar).c_str(),
                          ctx.Describe(layer).c_str(), kinds.c_str());
    if (!p.killed_by.empty()) {
      uint32_t killer = p.killed_by.begin()->first;
      f.message += StrFormat("; %s of it deleted by %s, but the bytes stay in this layer",
                             Size(p.killed_by.begin()->second).c_str(), ctx.Describe(killer).c_str());
    }
    if (p.live > 0) f.message += StrFormat("; %s never deleted", Size(p.live).c_str());
    f.edit = top->edit;
    f.confidence = Confidence::kHigh;
    out->push_back(std::move(f));
  }
}

}  // namespace whittle::explain
