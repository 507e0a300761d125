// Files a later instruction deletes or overwrites (waste/entry_fate.h): the
// bytes stay in the layer that stored them. One finding per storing layer
// of the build (package caches are the caches finding's; dead bytes of the
// base are the base image's), naming the lines that killed them. Lever:
// remove in the same RUN (or never create), write the final version once.
#include <algorithm>
#include <map>

#include "explain/detect_util.h"
#include "util/strings.h"

namespace whittle::explain {

void DetectDeadBytes(const ExplainContext& ctx, std::vector<Finding>* out) {
  const ImageFacts& facts = ctx.facts();
  struct PerLayer {
    explicit PerLayer(const ImageFacts& f) : removal(f) {}
    Tally tally;
    Removal removal;
    std::map<uint32_t, uint64_t> deleted_by, overwritten_by;
    std::map<std::string, uint64_t> roots;  // where the killing change happened
  };
  std::map<uint32_t, PerLayer> layers;
  facts.ForEachDataEntry([&](EntryRef r) {
    const EntryFate& fate = facts.fate(r);
    if (!fate.dead() || ctx.is_base_layer(r.layer) || facts.kind(r) == "package-cache") return;
    auto it = layers.find(r.layer);
    if (it == layers.end()) it = layers.try_emplace(r.layer, facts).first;
    PerLayer& p = it->second;
    p.tally.Add(facts, r);
    p.removal.AddEntry(r);
    uint64_t b = facts.data(r).tar;
    if (fate.fate == Fate::kOverwritten) {
      p.overwritten_by[fate.killer_layer] += b;
    } else {
      p.deleted_by[fate.killer_layer] += b;
    }
    if (fate.kill_root != kNoPath) p.roots[std::string(facts.scan().paths->Get(fate.kill_root))] += b;
  });
  for (auto& [layer, p] : layers) {
    if (p.tally.bytes.tar == 0) continue;
    uint64_t deleted = 0, overwritten = 0;
    for (const auto& [k, b] : p.deleted_by) deleted += b;
    for (const auto& [k, b] : p.overwritten_by) overwritten += b;
    Finding f = MeasuredFinding(ctx, "dead-bytes", deleted >= overwritten ? Lever::kSameRunCleanup : Lever::kFewerLayers,
                                p.tally, std::move(p.removal), static_cast<int>(layer));
    std::vector<std::pair<std::string, uint64_t>> roots(p.roots.begin(), p.roots.end());
    std::sort(roots.begin(), roots.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    std::string what;
    for (size_t i = 0; i < roots.size() && i < 3; ++i) {
      what += StrFormat("%s%s %s", what.empty() ? "" : ", ", roots[i].first.c_str(), Size(roots[i].second).c_str());
    }
    if (roots.size() > 3) what += StrFormat(" and %zu more", roots.size() - 3);
    f.message = StrFormat("%s written by %s and made dead later (%s)", Size(p.tally.bytes.tar).c_str(),
                          ctx.Describe(layer).c_str(), what.c_str());
    for (const auto& [killer, b] : p.deleted_by) {
      f.message += StrFormat("; %s deleted by %s", Size(b).c_str(), ctx.Describe(killer, 40).c_str());
    }
    for (const auto& [killer, b] : p.overwritten_by) {
      f.message += StrFormat("; %s overwritten by %s", Size(b).c_str(), ctx.Describe(killer, 40).c_str());
    }
    f.message += "; the bytes stay in the layer that stored them";
    const lint::Dockerfile* df = ctx.dockerfile();
    int ins = ctx.InstructionOfLayer(layer);
    bool is_copy = df != nullptr && ins >= 0 &&
                   (df->instructions[static_cast<size_t>(ins)].kind == lint::InstructionKind::kCopy ||
                    df->instructions[static_cast<size_t>(ins)].kind == lint::InstructionKind::kAdd);
    if (is_copy) {
      f.edit = "copy only what the image keeps: leave these files out of the COPY (.dockerignore, or narrower "
               "sources), and write the final versions once";
    } else if (deleted >= overwritten) {
      f.edit = "delete them in the same RUN that creates them (or do not create them): a later RUN's rm frees nothing";
    } else {
      f.edit = "write the final version once: fold the later change into this RUN";
    }
    f.confidence = Confidence::kHigh;
    out->push_back(std::move(f));
  }
}

}  // namespace whittle::explain
