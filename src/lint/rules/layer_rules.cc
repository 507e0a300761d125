// Rules about how instructions turn into layers: bytes written by one
// layer cannot be removed by a later one (WS002, WS008), layers that could
// merge (DL3059), whole-filesystem copies (DL3067), and the sparse lastlog
// that a high UID creates (DL3046).
#include <algorithm>
#include <functional>
#include <optional>

#include "lint/rules/checks.h"
#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::lint::checks {
namespace {

std::string_view BaseNameOf(std::string_view p) {
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  size_t s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

bool IsAbsolute(std::string_view p) { return !p.empty() && p[0] == '/'; }

// A path an instruction leaves in its layer, and what wrote it.
struct Leftover {
  std::string path;
  const char* what;
};

bool RemovedBy(const RunFacts& run, std::string_view path) {
  for (const Command& c : run.commands) {
    for (std::string_view t : RmTargets(c)) {
      if (PathWithin(path, t) || PathWithin(t, path)) return true;
    }
  }
  return false;
}

bool IsApt(const Command& c) { return IsCommand(c, {"apt-get", "apt"}); }

// Paths a certain RUN writes that matter for size, and the commands that
// clean each ("tool cache" paths are cleaned by the tool's own verb too).
std::vector<Leftover> Produced(const RunFacts& run) {
  std::vector<Leftover> out;
  for (const Command& c : run.commands) {
    std::string_view sub = ToolSubcommand(c);
    if (IsApt(c) && sub == "update") {  // install only reads the lists
      out.push_back({"/var/lib/apt/lists", "apt lists"});
    } else if (IsCommand(c, {"apk"}) && sub == "add" && !HasFlag(c, "no-cache")) {
      out.push_back({"/var/cache/apk", "apk cache"});
    } else if (IsPip(c) && sub == "install" && !HasFlag(c, "no-cache-dir")) {
      out.push_back({"/root/.cache/pip", "pip cache"});
    } else if (IsCommand(c, {"npm"}) && (sub == "ci" || sub == "install" || sub == "i")) {
      out.push_back({"/root/.npm", "npm cache"});
    } else if (IsCommand(c, {"yum"}) && sub == "install") {
      out.push_back({"/var/cache/yum", "yum cache"});
    } else if (IsCommand(c, {"dnf", "microdnf"}) && sub == "install") {
      out.push_back({"/var/cache/dnf", "dnf cache"});
    } else if (IsCommand(c, {"curl"})) {
      if (auto o = FlagValue(c, "output", 'o'); o && IsAbsolute(*o)) out.push_back({std::string(*o), "download"});
    } else if (IsCommand(c, {"wget"})) {
      if (auto o = FlagValue(c, "output-document", 'O'); o && IsAbsolute(*o) && *o != "-") {
        out.push_back({std::string(*o), "download"});
      }
    } else if (IsCommand(c, {"git"}) && Subcommand(c) == "clone") {
      std::vector<std::string_view> words;
      for (size_t k = 1; k < c.argv.size(); ++k) {
        if (!c.argv[k].empty() && c.argv[k][0] != '-') words.push_back(c.argv[k]);
      }
      if (words.size() == 3 && IsAbsolute(words[2])) out.push_back({std::string(words[2]), "git clone"});
    }
  }
  return out;
}

// Tool verbs that clean a cache directory (as if `rm -rf DIR`).
std::optional<std::string_view> ToolCleanPath(const Command& c) {
  std::string_view sub = ToolSubcommand(c);
  if (IsCommand(c, {"yum"}) && sub == "clean") return "/var/cache/yum";
  if (IsCommand(c, {"dnf", "microdnf"}) && sub == "clean") return "/var/cache/dnf";
  if (IsCommand(c, {"npm"}) && sub == "cache" && HasWord(c, "clean")) return "/root/.npm";
  if (IsPip(c) && sub == "cache" && (HasWord(c, "purge") || HasWord(c, "remove"))) return "/root/.cache/pip";
  if (IsCommand(c, {"apk"}) && sub == "cache" && HasWord(c, "clean")) return "/var/cache/apk";
  return std::nullopt;
}

bool CleanedInSameRun(const RunFacts& run, std::string_view path) {
  if (RemovedBy(run, path) || CacheMountCovers(run, path)) return true;
  for (const Command& c : run.commands) {
    if (auto p = ToolCleanPath(c); p && PathWithin(path, *p)) return true;
  }
  return false;
}

// What instruction |j| leaves behind (produced and not cleaned in the same
// instruction).
std::vector<Leftover> LeftoversOf(const RuleContext& ctx, size_t j) {
  const Instruction& ins = ctx.df().instructions[j];
  std::vector<Leftover> out;
  if (ins.kind == InstructionKind::kRun) {
    const RunFacts* run = ctx.Run(j);
    if (run == nullptr || !run->certain) return out;
    for (Leftover& l : Produced(*run)) {
      if (!CleanedInSameRun(*run, l.path)) out.push_back(std::move(l));
    }
  } else if ((ins.kind == InstructionKind::kCopy || ins.kind == InstructionKind::kAdd) && ins.args.size() >= 2 &&
             ins.heredocs.empty()) {
    std::string_view dest = ins.args.back();
    if (!IsAbsolute(dest) || dest.find('$') != std::string_view::npos) return out;
    bool dest_dir = EndsWith(dest, "/") || ins.args.size() > 2;
    for (size_t k = 0; k + 1 < ins.args.size(); ++k) {
      std::string_view src = ins.args[k];
      bool src_dir = src == "." || src == "./" || EndsWith(src, "/");
      if (src_dir || !dest_dir) {
        if (NormalizePath(dest) != "/") out.push_back({std::string(dest), ins.kind == InstructionKind::kAdd ? "ADD" : "COPY"});
      } else {
        std::string p(dest);
        if (!EndsWith(p, "/")) p += '/';
        p += BaseNameOf(src);
        out.push_back({p, ins.kind == InstructionKind::kAdd ? "ADD" : "COPY"});
      }
    }
  }
  return out;
}

bool TarExtracts(const Command& c) {
  if (IsCommand(c, {"unzip", "bsdtar", "gunzip", "7z", "xz", "bunzip2", "zstd"})) return true;
  if (!IsCommand(c, {"tar"})) return false;
  if (HasFlag(c, "extract", 'x') || HasFlag(c, "get")) return true;
  // Old-style first word without a dash: `tar xzf file`.
  return c.argv.size() > 1 && !c.argv[1].empty() && c.argv[1][0] != '-' &&
         c.argv[1].find('x') != std::string_view::npos;
}

bool IsArchiveName(std::string_view n) {
  static const char* const kExt[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz",
                                     ".txz", ".tar.zst", ".tzst", ".zip", ".gz", ".xz", ".bz2", ".zst", ".7z"};
  for (const char* e : kExt) {
    if (EndsWith(n, e)) return true;
  }
  return false;
}

}  // namespace

void DL3046(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.Run(i);
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    for (const Command& c : run->commands) {
      if (!IsCommand(c, {"useradd"}) || HasFlag(c, "no-log-init", 'l')) continue;
      auto uid = FlagValue(c, "uid", 'u');
      if (!uid || uid->size() <= 5) continue;
      ctx.Report(out, "DL3046", i, ctx.CommandPos(i, c),
                 "`useradd` without flag `-l` and high UID will result in excessively large Image.");
      break;
    }
  }
}

void DL3059(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  auto flags_of = [](const Instruction& x) {
    std::vector<std::string> f;
    for (const Flag& fl : x.flags) f.push_back(fl.raw);
    return f;
  };
  for (size_t i = 1; i < ins.size(); ++i) {
    if (ins[i].kind != InstructionKind::kRun || ins[i - 1].kind != InstructionKind::kRun) continue;
    if (!ctx.InScope(i, RuleScope::kShipping)) continue;
    if (ctx.df().StageOf(i) != ctx.df().StageOf(i - 1)) continue;
    const RunFacts* a = ctx.Run(i - 1);
    const RunFacts* b = ctx.Run(i);
    // hadolint's rule: both RUNs short (at most 2 commands) with the same flags.
    if (!a || !b || !a->certain || !b->certain) continue;
    if (a->commands.size() > 2 || b->commands.size() > 2) continue;
    if (flags_of(ins[i - 1]) != flags_of(ins[i])) continue;
    ctx.Report(out, "DL3059", i, ins[i].range.start, "Multiple consecutive `RUN` instructions. Consider consolidation.");
  }
}

void DL3067(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& x = ins[i];
    if (x.kind != InstructionKind::kCopy || x.FindFlag("from") == nullptr || x.args.size() < 2) continue;
    if (!ctx.InScope(i, RuleScope::kShipping)) continue;
    bool root_src = false;
    for (size_t k = 0; k + 1 < x.args.size(); ++k) root_src |= (x.args[k] == "/");
    if (root_src && x.args.back() == "/") {
      ctx.Report(out, "DL3067", i, x.range.start, "Do not copy an entire filesystem from another stage");
    }
  }
}

void WS002(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.Run(i);
    if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) continue;
    std::vector<Leftover> mine = Produced(*run);
    std::vector<size_t> earlier;  // computed lazily: most RUNs clean nothing
    bool have_earlier = false;
    for (const Command& c : run->commands) {
      std::vector<std::string_view> targets = RmTargets(c);
      if (auto p = ToolCleanPath(c)) targets.push_back(*p);
      if (targets.empty()) continue;
      bool reported = false;
      for (std::string_view t : targets) {
        if (reported || !IsAbsolute(t)) continue;
        bool recreated = false;
        for (const Leftover& m : mine) recreated |= PathWithin(m.path, t) || PathWithin(t, m.path);
        if (recreated) continue;
        if (!have_earlier) {
          earlier = ctx.Earlier(i);
          have_earlier = true;
        }
        for (size_t j : earlier) {
          for (const Leftover& l : LeftoversOf(ctx, j)) {
            if (!(PathWithin(l.path, t) || PathWithin(t, l.path))) continue;
            ctx.Report(out, "WS002", i, ctx.CommandPos(i, c),
                       StrFormat("cleanup in a later RUN frees nothing: %s (%s) was written by line %d and "
                                 "stays in that layer; remove it in the RUN that creates it",
                                 l.path.c_str(), l.what, ins[j].start_line()));
            reported = true;
            break;
          }
          if (reported) break;
        }
      }
    }
  }
}

void WS008(const RuleContext& ctx, std::vector<Finding>* out) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const Instruction& add = ins[i];
    if (add.kind != InstructionKind::kAdd || add.args.size() != 2 || !ctx.InScope(i, RuleScope::kShipping)) continue;
    std::string_view url = add.args[0];
    if (!StartsWith(url, "http://") && !StartsWith(url, "https://")) continue;
    std::string_view clean_url = url.substr(0, url.find_first_of("?#"));
    std::string_view name = BaseNameOf(clean_url);
    if (!IsArchiveName(name)) continue;
    std::string dest = add.args[1];
    std::string path = EndsWith(dest, "/") ? dest + std::string(name) : dest;
    std::string_view base = BaseNameOf(path);
    // Find a later RUN of the same image that extracts it.
    for (size_t j = i + 1; j < ins.size(); ++j) {
      const RunFacts* run = ctx.Run(j);
      if (run == nullptr || !run->certain || !ctx.InScope(j, RuleScope::kShipping)) continue;
      std::vector<size_t> e = ctx.Earlier(j);
      if (std::find(e.begin(), e.end(), i) == e.end()) continue;
      bool extracts = false;
      for (const Command& c : run->commands) {
        if (!TarExtracts(c)) continue;
        for (size_t k = 1; k < c.argv.size() && !extracts; ++k) {
          std::string_view a = c.argv[k];
          extracts = a == path || (!base.empty() && (a == base || EndsWith(a, "/" + std::string(base))));
        }
      }
      if (!extracts) continue;
      ctx.Report(out, "WS008", i, add.range.start,
                 StrFormat("remote ADD of archive %.*s is extracted by the RUN at line %d: the archive stays "
                           "in this layer; download, extract and delete it in one RUN (curl | tar -x)",
                           static_cast<int>(name.size()), name.data(), ins[j].start_line()));
      break;
    }
  }
}

}  // namespace whittle::lint::checks
