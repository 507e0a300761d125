// Rules about base images and what a shipping stage installs: unpinned or
// :latest bases (DL3006/DL3007: the size changes silently), untrusted
// registries (DL3026), build toolchains and full build images in what ships
// (WS004/WS005), and compiled wheels on musl (WS006).
#include <algorithm>
#include <cctype>
#include <set>

#include "lint/rules/checks.h"
#include "lint/rules/command_match.h"
#include "lint/rules/image_facts.h"
#include "util/strings.h"

namespace whittle::lint::checks {
namespace {

// Stages whose FROM should be judged: stages starting from an image. The
// policy rules (DL3006, DL3007, DL3026) pass every_stage: a policy holds for
// every stage of the file, built for this target or not, as hadolint judges
// it; the size rules look only at stages the target build executes.
template <typename Fn>
void ForEachImageStage(const RuleContext& ctx, bool every_stage, Fn fn) {
  for (const Stage& s : ctx.df().stages) {
    if (!s.parse_ok) continue;
    if (!every_stage && ctx.RoleOfStage(s.index) == StageRole::kUnused) continue;
    if (ctx.ParentStage(s) != nullptr) continue;
    const std::string& img = s.image_expanded;
    if (img.empty() || img.find('$') != std::string::npos) continue;  // cannot tell
    std::string lower = img;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "scratch") continue;
    fn(s, ParseImage(img));
  }
}

bool WildcardMatch(std::string_view pattern, std::string_view s) {
  if (pattern == "*") return true;  // every registry
  if (StartsWith(pattern, "*.")) return EndsWith(s, pattern.substr(1));
  return pattern == s;
}

bool IsAlpine(const ImageRef& r) {
  return r.name == "alpine" || r.tag.find("alpine") != std::string::npos;
}

// One toolchain package a RUN installs (WS004).
struct ToolInstall {
  std::string name;
  std::string group;  // apk --virtual NAME: `apk del NAME` removes it
  const Command* command = nullptr;
  bool apt = false;          // installed by apt: apt-mark applies
  bool marked_auto = false;  // apt-mark auto'd since: --auto-remove removes it
  bool removed = false;
};

// `apt-get purge|remove --auto-remove ...` or `apt-get autoremove`: removes
// every auto-marked package nothing needs.
bool IsAptAutoRemove(const Command& c) {
  if (!IsCommand(c, {"apt-get", "apt", "aptitude"})) return false;
  std::string_view s = ToolSubcommand(c);
  if (s == "autoremove" || s == "autopurge") return true;
  return (s == "purge" || s == "remove") && (HasFlag(c, "auto-remove") || HasFlag(c, "autoremove"));
}

bool IsCompiledWheelPackage(const std::string& n) {
  static const std::set<std::string> kC = {
      "numpy", "pandas", "scipy", "scikit-learn", "sklearn", "cryptography", "lxml", "psycopg2", "grpcio",
      "pillow", "matplotlib", "uvloop", "orjson", "pydantic-core", "bcrypt", "cffi", "gevent", "greenlet",
      "mysqlclient", "pyarrow", "numba", "llvmlite", "torch", "tensorflow", "pyzmq", "h5py", "shapely",
      "ujson", "regex", "psutil", "msgpack", "zstandard", "pymssql", "confluent-kafka", "xgboost", "lightgbm"};
  return kC.count(n) > 0;
}

}  // namespace

void DL3006(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachImageStage(ctx, true, [&](const Stage& s, const ImageRef& r) {
    if (!r.tag.empty() || !r.digest.empty()) return;
    ctx.Report(out, "DL3006", s.from_instruction, s.image_range.start, "Always tag the version of an image explicitly");
  });
}

void DL3007(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachImageStage(ctx, true, [&](const Stage& s, const ImageRef& r) {
    if (r.tag != "latest" || !r.digest.empty()) return;
    ctx.Report(out, "DL3007", s.from_instruction, s.image_range.start,
               "Using latest is prone to errors if the image will ever update. Pin the version explicitly to a "
               "release tag");
  });
}

void DL3026(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& trusted = ctx.context().trusted_registries;
  if (trusted.empty()) return;
  auto allowed = [&](const ImageRef& r) {
    std::string reg = r.registry.empty() ? "docker.io" : r.registry;
    for (const std::string& t : trusted) {
      if (WildcardMatch(t, reg)) return true;
      if (reg == "docker.io" && (t == "hub.docker.com" || t == "index.docker.io")) return true;
    }
    return false;
  };
  const char* kMessage = "Use only an allowed registry in the FROM image";
  ForEachImageStage(ctx, true, [&](const Stage& s, const ImageRef& r) {
    if (!allowed(r)) ctx.Report(out, "DL3026", s.from_instruction, s.image_range.start, kMessage);
  });
  // `COPY --from=IMAGE` and `RUN --mount=from=IMAGE` pull an image too: a
  // `from` that names no stage (by name or number) is an image reference.
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& x = ins[i];
    if (ctx.df().StageOf(i) == nullptr) continue;
    std::vector<std::pair<std::string, SourcePos>> refs;
    if (x.kind == InstructionKind::kCopy || x.kind == InstructionKind::kAdd) {
      if (const Flag* f = x.FindFlag("from")) refs.emplace_back(f->value, f->range.start);
    } else if (const RunFacts* run = ctx.Run(i)) {
      SourcePos at = x.range.start;
      for (const Flag* f : x.FindFlags("mount")) at = f->range.start;
      for (const std::string& m : run->mount_from) refs.emplace_back(m, at);
    }
    for (const auto& [ref, pos] : refs) {
      if (ref.empty() || ref.find('$') != std::string::npos) continue;  // cannot tell
      const Stage* named = ctx.df().FindStage(ref);
      if (named != nullptr && named->from_instruction < i) continue;
      if (!allowed(ParseImage(ref))) ctx.Report(out, "DL3026", i, pos, kMessage);
    }
  }
}

void WS004(const RuleContext& ctx, std::vector<Finding>* out) {
  // In a runtime or toolchain image (python, buildpack-deps) the compilers
  // and headers are the product, not waste.
  if (ctx.ships_base_image()) return;
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.Run(i);
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    // Toolchain packages this RUN installs, in order; a removal counts only
    // after the install (a purge before it removes nothing it installed).
    std::vector<ToolInstall> installed;
    for (const Command& c : run->commands) {
      if (IsPackageInstall(c)) {
        std::string virt;
        if (IsCommand(c, {"apk"})) {
          if (auto v = FlagValue(c, "virtual", 't')) virt = std::string(*v);
        }
        bool apt = IsCommand(c, {"apt-get", "apt", "aptitude"});
        for (std::string_view p : PackageArgs(c)) {
          std::string n = PackageName(p);
          if (IsToolchainPackage(n)) installed.push_back({n, virt, &c, apt});
        }
      } else if (IsPackageRemove(c)) {
        std::set<std::string> names;
        for (std::string_view p : PackageArgs(c)) names.insert(PackageName(p));
        bool autoremove = IsAptAutoRemove(c);
        for (ToolInstall& t : installed) {
          if (names.count(t.name) || (!t.group.empty() && names.count(t.group)) || (autoremove && t.marked_auto)) {
            t.removed = true;
          }
        }
      } else if (IsCommand(c, {"apt-mark"})) {
        // The savedAptMark pattern: `apt-mark auto '.*'` then
        // `apt-mark manual $savedAptMark` (what was manual before this RUN)
        // and `apt-get purge --auto-remove` remove what this RUN installed.
        std::string_view sub = Subcommand(c);
        bool to_auto = sub == "auto" || sub == "markauto";
        if (!to_auto && sub != "manual" && sub != "unmarkauto") continue;
        std::set<std::string> names;
        bool all = false;
        for (std::string_view p : PackageArgs(c)) {
          if (p == ".*" || p == "*" || p == "^.*$" || p == "~i") all = true;
          names.insert(PackageName(p));
        }
        for (ToolInstall& t : installed) {
          if (t.apt && (names.count(t.name) || (to_auto && all))) t.marked_auto = to_auto;
        }
      }
    }
    std::vector<std::string> tools;
    const Command* where = nullptr;
    for (const ToolInstall& t : installed) {
      if (t.removed) continue;
      if (tools.empty()) where = t.command;
      if (std::find(tools.begin(), tools.end(), t.name) == tools.end()) tools.push_back(t.name);
    }
    if (tools.empty()) continue;
    std::string list;
    for (size_t k = 0; k < tools.size() && k < 4; ++k) list += (k ? ", " : "") + tools[k];
    if (tools.size() > 4) list += StrFormat(", +%zu more", tools.size() - 4);
    ctx.Report(out, "WS004", i, ctx.CommandPos(i, *where),
               "build toolchain (" + list +
                   ") installed in a stage that ships: build in a separate stage and COPY --from only the "
                   "results (multi-stage build)");
  }
}

void WS005(const RuleContext& ctx, std::vector<Finding>* out) {
  if (ctx.df().stages.empty() || ctx.ships_base_image()) return;
  const Stage* s = &ctx.df().stages[ctx.target_stage()];
  while (const Stage* p = ctx.ParentStage(*s)) s = p;
  if (!s->parse_ok || s->image_expanded.find('$') != std::string::npos) return;
  ImageRef r = ParseImage(s->image_expanded);
  if (!IsOfficial(r)) return;
  std::string cand = SlimCandidate(r);
  if (cand.empty()) return;
  ctx.Report(out, "WS005", s->from_instruction, s->image_range.start,
             "the final image is based on the full build image " + s->image_expanded +
                 " (compilers, headers, docs); ship on " + cand + ", distroless or scratch instead");
}

void WS006(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.Run(i);
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    const Stage* st = ctx.df().StageOf(i);
    if (st == nullptr) continue;
    std::string root = ctx.RootImage(*st);
    if (root.empty() || !IsAlpine(ParseImage(root))) continue;
    for (const Command& c : run->commands) {
      if (!IsPip(c) || ToolSubcommand(c) != "install") continue;
      std::string hit;
      for (std::string_view p : PackageArgs(c)) {
        std::string n = PackageName(p);
        if (IsCompiledWheelPackage(n)) {
          hit = n;
          break;
        }
      }
      if (hit.empty()) continue;
      ctx.Report(out, "WS006", i, ctx.CommandPos(i, c),
                 "pip install of " + hit + " on an Alpine (musl) base: glibc (manylinux) wheels do not apply, so "
                 "it may build from source with a toolchain; a -slim (glibc) base is often simpler and not larger");
      break;
    }
  }
}

}  // namespace whittle::lint::checks
