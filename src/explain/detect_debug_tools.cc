// Interactive and debugging tools in the shipping stage: editors, pagers,
// top-likes, tracers, debuggers, network probes and database shells. Their
// bytes are their packages' files in the build's layers, plus the
// dependencies nothing else needs (auto-installed, not essential, every
// package that depends on or recommends them going too; dpkg's status and
// apt's extended_states say so). A tool the image's CMD, ENTRYPOINT or
// HEALTHCHECK runs is kept. Lever: fewer, tighter layers; debug with an
// ephemeral container instead.
#include <set>

#include "explain/detect_util.h"
#include "explain/package_graph.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

const char* const kDebugTools[] = {
    // editors and pagers
    "vim", "vim-tiny", "vim-nox", "vim-gtk3", "neovim", "nano", "emacs-nox", "emacs", "joe", "mc", "less", "most",
    // process and system inspection
    "htop", "atop", "iotop", "sysstat", "strace", "ltrace", "gdb", "valgrind", "lsof", "tmux", "screen",
    // network probes
    "tcpdump", "tshark", "nmap", "ncat", "netcat-openbsd", "netcat-traditional", "socat", "telnet",
    "iputils-ping", "dnsutils", "bind9-dnsutils", "net-tools", "traceroute", "mtr-tiny",
    // database shells
    "sqlite3", "postgresql-client", "mariadb-client", "default-mysql-client", "redis-tools",
};

bool IsDebugTool(std::string_view name) {
  for (const char* t : kDebugTools) {
    if (name == t) return true;
  }
  // postgresql-client-15, mariadb-client-10.11
  return StartsWith(name, "postgresql-client-") || StartsWith(name, "mariadb-client-");
}

}  // namespace

void DetectDebugTools(const ExplainContext& ctx, std::vector<Finding>* out) {
  const ImageFacts& facts = ctx.facts();
  PackageGraph graph(facts.packages().installed());
  // Owners of what the image runs: those tools stay.
  std::set<std::string> used;
  if (const lint::Dockerfile* df = ctx.dockerfile()) {
    using K = lint::InstructionKind;
    for (int i : ctx.StageInstructions({K::kCmd, K::kEntrypoint, K::kHealthcheck})) {
      for (const std::string& c : CommandNames(df->instructions[static_cast<size_t>(i)])) {
        for (const char* dir : {"/usr/local/bin/", "/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
          if (auto r = facts.LiveAt(std::string(dir) + c)) used.insert(std::string(PackageName(facts.owner(*r))));
        }
      }
    }
  }
  std::set<std::string> tools;
  for (const InstalledPackage& p : graph.packages()) {
    if (StartsWith(p.label, "deb:") || StartsWith(p.label, "apk:") || StartsWith(p.label, "rpm:")) {
      if (IsDebugTool(p.name) && !used.count(p.name)) tools.insert(p.name);
    }
  }
  if (tools.empty()) return;
  std::set<std::string> deps = graph.OrphanedBy(tools);
  for (const std::string& u : used) deps.erase(u);
  std::set<std::string> all = tools;
  all.insert(deps.begin(), deps.end());

  // Their files in the build's layers: the base's tools are the base's.
  Tally tally, tool_tally;
  Removal removal(facts);
  facts.ForEachDataEntry([&](EntryRef r) {
    if (ctx.is_base_layer(r.layer)) return;
    std::string_view owner = facts.owner(r);
    std::string name(PackageName(owner));
    if (owner == name || !all.count(name)) return;  // unowned, or not one of them
    tally.Add(facts, r);
    removal.AddEntry(r);
    if (tools.count(name)) tool_tally.Add(facts, r);
  });
  if (tally.bytes.tar == 0) return;
  Finding f = MeasuredFinding(ctx, "debug-tools", Lever::kFewerLayers, tally, std::move(removal),
                              tally.HeaviestLayer(ctx, true));
  std::string names;
  for (const auto& [label, b] : tool_tally.by_owner) names += (names.empty() ? "" : " ") + std::string(PackageName(label));
  size_t dep_count = 0;
  for (const auto& [label, b] : tally.by_owner) dep_count += tools.count(std::string(PackageName(label))) ? 0 : 1;
  f.message = StrFormat("%s of interactive and debugging tools in the shipping stage: %s", Size(tally.bytes.tar).c_str(),
                        tool_tally.TopOwners(6).c_str());
  if (dep_count > 0) {
    f.message += StrFormat(", with %zu dependencies nothing else needs (%s)", dep_count,
                           [&] {
                             Tally deps_only;
                             for (const auto& [label, b] : tally.by_owner) {
                               if (!tools.count(std::string(PackageName(label)))) deps_only.by_owner[label] = b;
                             }
                             return deps_only.TopOwners(3);
                           }()
                               .c_str());
  }
  f.edit = StrFormat("drop %s from the install; debug with an ephemeral debug container (kubectl debug, "
                     "docker debug) or a -debug image variant instead",
                     names.c_str());
  f.confidence = graph.knows_auto() ? Confidence::kHigh : Confidence::kMedium;
  out->push_back(std::move(f));
}

}  // namespace whittle::explain
