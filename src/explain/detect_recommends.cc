// Recommended packages that --no-install-recommends would have skipped:
// packages apt installed automatically (extended_states) that the manually
// installed packages do not need through Depends/Pre-Depends, only through
// Recommends. Their files in the build's layers are the bytes. Without apt's
// extended_states nothing can be told apart, and the rule is left to lint
// (DL3015), with no bytes. Located at the apt-get install line without the
// flag whose layer holds most of them.
#include <set>

#include "explain/detect_util.h"
#include "explain/package_graph.h"
#include "util/strings.h"

namespace whittle::explain {

void DetectRecommends(const ExplainContext& ctx, std::vector<Finding>* out) {
  const ImageFacts& facts = ctx.facts();
  PackageGraph graph(facts.packages().installed());
  if (!graph.knows_auto()) return;
  std::vector<std::string> manual;
  for (const InstalledPackage& p : graph.packages()) {
    if (StartsWith(p.label, "deb:") && !p.auto_installed) manual.push_back(p.name);
  }
  std::set<std::string> needed = graph.Closure(manual, false);
  std::set<std::string> with_recs = graph.Closure(manual, true);
  std::set<std::string> recommended_only;
  for (const std::string& n : with_recs) {
    const InstalledPackage* p = graph.Get(n);
    if (!needed.count(n) && p != nullptr && p->auto_installed) recommended_only.insert(n);
  }
  if (recommended_only.empty()) return;
  Tally tally;
  Removal removal(facts);
  facts.ForEachDataEntry([&](EntryRef r) {
    if (ctx.is_base_layer(r.layer)) return;
    std::string_view owner = facts.owner(r);
    if (!StartsWith(owner, "deb:") || !recommended_only.count(std::string(PackageName(owner)))) return;
    tally.Add(facts, r);
    removal.AddEntry(r);
  });
  if (tally.bytes.tar == 0) return;
  // The install line: an apt-get install without the flag, in the heaviest layer.
  int layer = tally.HeaviestLayer(ctx, true);
  Finding f = MeasuredFinding(ctx, "recommends", Lever::kFewerLayers, tally, std::move(removal), layer);
  f.message = StrFormat("%s of recommended packages apt installed and nothing depends on (%s)",
                        Size(tally.bytes.tar).c_str(), tally.TopOwners(5).c_str());
  f.edit = "apt-get install --no-install-recommends (add back any recommended package the app really uses)";
  f.confidence = Confidence::kMedium;
  if (const lint::Dockerfile* df = ctx.dockerfile(); df != nullptr && f.instruction >= 0) {
    bool flagged = false;
    for (const InstallCommand& ic : InstallCommands(df->instructions[static_cast<size_t>(f.instruction)])) {
      if ((ic.manager == "apt-get" || ic.manager == "apt") && !ic.no_install_recommends) flagged = true;
    }
    if (flagged) f.confidence = Confidence::kHigh;
  }
  out->push_back(std::move(f));
}

}  // namespace whittle::explain
