#include "explain/detect_util.h"

#include <algorithm>

#include "util/strings.h"

namespace whittle::explain {

void Tally::Add(const ImageFacts& facts, EntryRef r) {
  Bytes b = facts.data(r);
  bytes += b;
  by_layer[r.layer] += b;
  std::string_view owner = facts.owner(r);
  auto it = by_owner.find(owner);
  if (it == by_owner.end()) it = by_owner.emplace(std::string(owner), Bytes{}).first;
  it->second += b;
}

int Tally::HeaviestLayer(const ExplainContext& ctx, bool skip_base) const {
  int best = -1;
  uint64_t best_bytes = 0;
  for (int pass = 0; pass < 2 && best < 0; ++pass) {
    for (const auto& [layer, b] : by_layer) {
      if (skip_base && pass == 0 && ctx.is_base_layer(layer)) continue;
      if (best < 0 || b.tar > best_bytes) {
        best = static_cast<int>(layer);
        best_bytes = b.tar;
      }
    }
  }
  return best;
}

std::string_view PackageName(std::string_view label) {
  size_t colon = label.find(':');
  if (label.empty() || label[0] == '[' || colon == std::string_view::npos) return label;
  return label.substr(colon + 1);
}

std::string Size(uint64_t bytes) { return FormatSizeWithUnit(bytes); }

std::string Tally::TopOwners(size_t n) const {
  std::vector<std::pair<std::string, uint64_t>> owners;
  for (const auto& [label, b] : by_owner) owners.emplace_back(label, b.tar);
  std::sort(owners.begin(), owners.end(), [](const auto& a, const auto& b) {
    bool ua = !a.first.empty() && a.first[0] == '[', ub = !b.first.empty() && b.first[0] == '[';
    if (ua != ub) return ub;
    if (a.second != b.second) return a.second > b.second;
    return a.first < b.first;
  });
  std::string out;
  size_t shown = 0;
  for (const auto& [label, size] : owners) {
    if (shown == n) break;
    if (!out.empty()) out += ", ";
    out += std::string(PackageName(label)) + " " + Size(size);
    ++shown;
  }
  if (owners.size() > shown) out += StrFormat(" and %zu more", owners.size() - shown);
  return out;
}

Finding MeasuredFinding(const ExplainContext& ctx, const char* id, Lever lever, const Tally& tally, Removal removal,
                        int layer) {
  Finding f;
  f.id = id;
  f.lever = lever;
  f.bytes = tally.bytes;
  f.layers = removal.Layers();
  f.projected = Project(ctx.facts(), removal);
  f.removal = std::move(removal);
  f.severity = SeverityForBytes(f.bytes.tar);
  if (layer >= 0) {
    ctx.LocateAtLayer(static_cast<size_t>(layer), &f);
  } else if (const lint::Stage* s = ctx.target_stage()) {
    ctx.LocateAtInstruction(static_cast<int>(s->from_instruction), &f);
  }
  return f;
}

}  // namespace whittle::explain

#include "lint/shell_split.h"
#include "pkg/kinds.h"

namespace whittle::explain {

std::string SlimmerBase(std::string_view image) {
  if (image.empty() || image == "scratch") return "";
  std::string s(image);
  size_t at = s.find('@');
  if (at != std::string::npos) s = s.substr(0, at);  // a digest names one build; the sibling has its own
  size_t slash = s.rfind('/');
  size_t colon = s.rfind(':');
  if (colon != std::string::npos && slash != std::string::npos && colon < slash) colon = std::string::npos;
  std::string repo = colon == std::string::npos ? s : s.substr(0, colon);
  std::string tag = colon == std::string::npos ? "latest" : s.substr(colon + 1);
  auto has = [](const std::string& v, const char* word) { return v.find(word) != std::string::npos; };
  if (has(tag, "slim") || has(repo, "slim") || has(repo, "distroless") || has(tag, "alpine") ||
      has(repo, "alpine") || has(tag, "minimal") || has(repo, "minimal") || has(repo, "static")) {
    return "";
  }
  size_t full = repo.rfind("full");
  if (full != std::string::npos && (slash == std::string::npos || full > slash)) {
    return repo.substr(0, full) + "slim" + repo.substr(full + 4) + ":" + tag;
  }
  return repo + ":" + (tag == "latest" ? std::string("slim") : tag + "-slim");
}

bool IsToolchainPackage(std::string_view eco, std::string_view name) {
  std::string label = std::string(eco) + ":" + std::string(name);
  // A path no row matches, so only the package rows decide.
  return pkg::KindTable::BuiltIn().Classify("/.whittle-package-probe", label) == "toolchain";
}

std::vector<InstallCommand> InstallCommands(const lint::Instruction& ins) {
  std::vector<InstallCommand> out;
  if (ins.kind != lint::InstructionKind::kRun || ins.is_exec_form()) return out;
  lint::ShellScript script = lint::SplitShell(ins.args_text());
  if (script.uncertain) return out;
  for (const lint::ShellCommand& c : script.commands) {
    if (c.argv.empty()) continue;
    std::string_view tool = c.name();
    size_t slash = tool.rfind('/');
    if (slash != std::string_view::npos) tool = tool.substr(slash + 1);
    const char* verb = nullptr;
    if (tool == "apt-get" || tool == "apt" || tool == "aptitude") verb = "install";
    if (tool == "apk") verb = "add";
    if (tool == "yum" || tool == "dnf" || tool == "microdnf" || tool == "zypper") verb = "install";
    if (verb == nullptr) continue;
    InstallCommand ic;
    ic.manager = std::string(tool);
    bool seen_verb = false;
    for (size_t i = 1; i < c.argv.size(); ++i) {
      const std::string& w = c.argv[i];
      if (w == "--no-install-recommends") ic.no_install_recommends = true;
      if (!seen_verb) {
        if (w == verb) seen_verb = true;
        continue;
      }
      if (w.empty() || w[0] == '-') continue;
      std::string name = w;
      size_t eq = name.find('=');  // pkg=1.2
      if (eq != std::string::npos) name = name.substr(0, eq);
      if (!name.empty() && name.find('$') == std::string::npos) ic.packages.push_back(name);
    }
    if (seen_verb) out.push_back(std::move(ic));
  }
  return out;
}

std::vector<std::string> CommandNames(const lint::Instruction& ins) {
  std::vector<std::string> out;
  using K = lint::InstructionKind;
  if (ins.kind != K::kRun && ins.kind != K::kCmd && ins.kind != K::kEntrypoint && ins.kind != K::kHealthcheck) {
    return out;
  }
  if (ins.is_exec_form()) {
    size_t first = ins.kind == K::kHealthcheck ? 1 : 0;  // HEALTHCHECK's args start with its type
    if (ins.args.size() > first) out.push_back(ins.args[first]);
    return out;
  }
  std::string_view text = ins.args_text();
  if (ins.kind == K::kHealthcheck) {
    // "--interval=30s CMD python3 -c ..." : the command follows CMD.
    size_t cmd = text.find("CMD ");
    if (cmd == std::string_view::npos) return out;
    text = text.substr(cmd + 4);
  }
  lint::ShellScript script = lint::SplitShell(text);
  if (script.uncertain) return out;
  for (const lint::ShellCommand& c : script.commands) {
    if (!c.argv.empty()) out.emplace_back(c.name());
  }
  return out;
}

}  // namespace whittle::explain
