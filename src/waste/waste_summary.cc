#include "waste/waste_summary.h"

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

namespace whittle {

WasteSummary SummarizeWaste(const ImageScan& scan, const ImageFates& fates) {
  WasteSummary s;
  s.layers.resize(scan.layers.size());
  // (kill root, layer, killer, reason) -> group index
  std::map<std::tuple<PathId, uint32_t, uint32_t, Fate>, size_t> index;
  for (size_t li = 0; li < scan.layers.size(); ++li) {
    const LayerScan& layer = scan.layers[li];
    LayerWaste& lw = s.layers[li];
    for (size_t k = 0; k < layer.entries.size(); ++k) {
      const LayerEntry& e = layer.entries[k];
      lw.stored_bytes += e.size;
      const EntryFate& f = fates[li][k];
      if (!f.dead() || e.size == 0) continue;
      lw.dead_bytes += e.size;
      ++lw.dead_files;
      switch (f.fate) {
        case Fate::kOverwritten: lw.overwritten_bytes += e.size; break;
        case Fate::kDeleted: lw.deleted_bytes += e.size; break;
        case Fate::kHiddenByOpaque: lw.hidden_bytes += e.size; break;
        default: break;
      }
      if (f.killer_layer < s.layers.size()) s.layers[f.killer_layer].killed_bytes += e.size;
      PathId root = f.kill_root != kNoPath ? f.kill_root : e.path;
      auto key = std::make_tuple(root, static_cast<uint32_t>(li), f.killer_layer, f.fate);
      auto [it, inserted] = index.try_emplace(key, s.groups.size());
      if (inserted) {
        DeadGroup g;
        g.path = std::string(scan.paths->Get(root));
        g.layer = static_cast<uint32_t>(li);
        g.killer = f.killer_layer;
        g.reason = f.fate;
        s.groups.push_back(std::move(g));
      }
      DeadGroup& g = s.groups[it->second];
      ++g.files;
      g.bytes += e.size;
    }
    s.total_bytes += lw.stored_bytes;
    s.reclaimable_bytes += lw.dead_bytes;
  }
  // Duplicates: identical data at several live paths, when hashes exist.
  // Hard links carry no data, so a linked file counts once.
  bool hashed = !scan.layers.empty();
  for (const auto& layer : scan.layers) {
    if (layer.content_hashes.size() != layer.entries.size()) hashed = false;
  }
  if (hashed) {
    std::map<std::array<uint8_t, 32>, std::pair<uint64_t, uint64_t>> seen;  // hash -> (size, copies)
    for (size_t li = 0; li < scan.layers.size(); ++li) {
      const LayerScan& layer = scan.layers[li];
      for (size_t k = 0; k < layer.entries.size(); ++k) {
        const LayerEntry& e = layer.entries[k];
        if (e.kind != EntryKind::kFile || e.size == 0 || fates[li][k].fate != Fate::kLive) continue;
        auto& v = seen[layer.content_hashes[k]];
        v.first = e.size;
        ++v.second;
      }
    }
    uint64_t dup = 0;
    for (const auto& [hash, v] : seen) dup += (v.second - 1) * v.first;
    s.duplicate_bytes = dup;
  }
  s.reclaimable_fraction =
      s.total_bytes == 0 ? 0.0 : static_cast<double>(s.reclaimable_bytes) / static_cast<double>(s.total_bytes);
  std::sort(s.groups.begin(), s.groups.end(), [](const DeadGroup& a, const DeadGroup& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    if (a.layer != b.layer) return a.layer < b.layer;
    return a.path < b.path;
  });
  return s;
}

}  // namespace whittle
