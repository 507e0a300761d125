// The base image: the layers that came with the target stage's FROM. Lever:
// a slimmer base, in the usual order of preference — a pinned -slim glibc
// base first, then distroless, or scratch for a static binary; alpine only
// with the musl caveat and never for an image holding glibc binaries.
//
// Without --try-base nothing is projected: the candidate is named with the
// base's bytes, nothing more. With --try-base REF the candidate is measured
// (its layers replace the base's) and checked: every command the later
// instructions run that the base provided (found on PATH in the image, with
// its owning package) must exist in the candidate too.
#include <set>

#include "explain/detect_util.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

constexpr uint64_t kMinBytes = 8u << 20;

// Shell builtins and keywords: never looked up on PATH.
bool IsBuiltin(std::string_view c) {
  static const char* kBuiltins[] = {"cd", "export", "set", "unset", "echo", "test", "[", "true", "false", "exit",
                                    "source", ".", ":", "umask", "exec", "printf", "read", "shift", "eval",
                                    "trap", "wait", "command", "type", "ulimit", "alias", "return", "local"};
  for (const char* b : kBuiltins) {
    if (c == b) return true;
  }
  return false;
}

// The live file a command resolves to in |facts|'s final filesystem.
std::optional<EntryRef> Resolve(const ImageFacts& facts, std::string_view cmd, std::string* path) {
  static const char* kPath[] = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};
  if (!cmd.empty() && cmd[0] == '/') {
    *path = std::string(cmd);
    return facts.LiveAt(cmd);
  }
  for (const char* dir : kPath) {
    std::string p = std::string(dir) + "/" + std::string(cmd);
    if (auto r = facts.LiveAt(p)) {
      *path = p;
      return r;
    }
  }
  return std::nullopt;
}

// Commands the build's instructions need from the base: run by a RUN, CMD,
// ENTRYPOINT or HEALTHCHECK of the target stage, and found in a base layer.
struct Need {
  std::string command, path, owner;
  int line = 0;
};
std::vector<Need> NeedsFromBase(const ExplainContext& ctx) {
  std::vector<Need> needs;
  const lint::Dockerfile* df = ctx.dockerfile();
  if (df == nullptr) return needs;
  std::set<std::string> seen;
  // Packages the build installs itself: the candidate need not have them.
  std::set<std::string> installed_by_build;
  using K = lint::InstructionKind;
  for (int i : ctx.StageInstructions({K::kRun, K::kCmd, K::kEntrypoint, K::kHealthcheck})) {
    const lint::Instruction& ins = df->instructions[static_cast<size_t>(i)];
    for (const std::string& c : CommandNames(ins)) {
      if (IsBuiltin(c) || !seen.insert(c).second) continue;
      std::string path;
      std::optional<EntryRef> r = Resolve(ctx.facts(), c, &path);
      if (!r || !ctx.is_base_layer(r->layer)) continue;
      std::string owner(ctx.facts().owner(*r));
      if (installed_by_build.count(std::string(PackageName(owner)))) continue;
      needs.push_back({c, path, owner, ins.start_line()});
    }
    for (const InstallCommand& ic : InstallCommands(ins)) {
      installed_by_build.insert(ic.packages.begin(), ic.packages.end());
    }
  }
  return needs;
}

// True when the build layers hold compiled glibc code: a shared object or
// an executable owned by a language package (manylinux wheels), or by a
// deb/rpm package installed after the base.
bool HoldsGlibcBinaries(const ExplainContext& ctx) {
  bool found = false;
  ctx.facts().ForEachDataEntry([&](EntryRef r) {
    if (found || ctx.is_base_layer(r.layer)) return;
    std::string_view path = ctx.facts().path(r);
    std::string_view owner = ctx.facts().owner(r);
    bool so = EndsWith(path, ".so") || path.find(".so.") != std::string_view::npos;
    if (so && (StartsWith(owner, "pip:") || StartsWith(owner, "deb:") || StartsWith(owner, "rpm:"))) found = true;
  });
  return found;
}

}  // namespace

void DetectBase(const ExplainContext& ctx, std::vector<Finding>* out) {
  const ImageFacts& facts = ctx.facts();
  if (ctx.base_layers().empty()) return;
  Removal removal(facts);
  Tally tally;
  for (size_t l : ctx.base_layers()) {
    removal.AddLayer(l);
    tally.bytes += facts.layer_bytes(l);
    tally.by_layer[l] = facts.layer_bytes(l);
  }
  if (tally.bytes.tar < kMinBytes) return;
  const lint::Stage* stage = ctx.target_stage();
  std::string image = stage != nullptr ? stage->image_expanded : "";
  const HistoryMapping& m = ctx.mapping();
  if (image.empty() && m.base_hint.found) {
    // buildah names the base on a build's first entry: "FROM localhost/x:1".
    const std::string& comment = facts.image().history[m.base_hint.first_build_entry].comment;
    if (StartsWith(comment, "FROM ")) image = comment.substr(5);
  }
  if (image == "scratch") return;
  std::string slim = SlimmerBase(image);
  if (!image.empty() && slim.empty()) return;  // already slim, distroless or alpine: nothing to name

  Finding f = MeasuredFinding(ctx, "base", Lever::kRightBase, tally, std::move(removal), -1);
  if (stage == nullptr) ctx.LocateAtLayer(ctx.base_layers().front(), &f);
  f.projected.reset();  // nothing is projected without a measured candidate
  const bool glibc = HoldsGlibcBinaries(ctx);
  std::string name = image.empty() ? "" : " " + image;
  f.message = StrFormat("the base image%s is %s (%zu layer%s)", name.c_str(), Size(tally.bytes.tar).c_str(),
                        ctx.base_layers().size(), ctx.base_layers().size() == 1 ? "" : "s");
  std::string suggestion = slim.empty() ? "a -slim variant of the base" : slim;
  f.edit = StrFormat("FROM %s   (a pinned -slim glibc base first; distroless, or scratch for a static binary, "
                     "where the app allows%s)",
                     suggestion.c_str(),
                     glibc ? "; not alpine: the image holds compiled glibc code" : "; alpine only with musl's caveats");
  f.confidence = Confidence::kMedium;

  // Measured candidates.
  std::vector<Need> needs = NeedsFromBase(ctx);
  const CandidateBase* best = nullptr;
  Bytes best_size;
  for (const CandidateBase& c : ctx.input().candidates) {
    Bytes size = c.facts->total();
    std::vector<std::string> missing;
    for (const Need& n : needs) {
      std::string where;
      if (!Resolve(*c.facts, n.command, &where)) {
        missing.push_back(StrFormat("%s (%s, line %d)", n.command.c_str(), std::string(PackageName(n.owner)).c_str(),
                                    n.line));
      }
    }
    std::string verdict;
    if (missing.empty()) {
      verdict = StrFormat("has every command the later lines run from the base (%zu checked)", needs.size());
    } else {
      std::string list;
      for (const std::string& item : missing) list += (list.empty() ? "" : ", ") + item;
      verdict = "lacks " + list;
    }
    f.message += StrFormat("; --try-base %s: %s, %s", c.reference.c_str(), Size(size.tar).c_str(), verdict.c_str());
    if (missing.empty() && (best == nullptr || size.tar < best_size.tar)) {
      best = &c;
      best_size = size;
    }
  }
  if (best != nullptr) {
    f.added = best_size;
    f.projected = Project(facts, f.removal, best_size);
    const std::string& named = best->facts->image().name;
    f.edit = StrFormat("FROM %s   (measured with --try-base %s)", named.empty() ? best->reference.c_str() : named.c_str(),
                       best->reference.c_str());
    f.confidence = Confidence::kHigh;
  }
  out->push_back(std::move(f));
}

}  // namespace whittle::explain
