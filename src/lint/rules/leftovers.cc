#include "lint/rules/leftovers.h"

#include <cctype>

#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::lint {
namespace {

bool IsAbsolute(std::string_view p) { return !p.empty() && p[0] == '/'; }

std::string CleanDir(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// The value of |name| set inline on |c| ("GOCACHE=/x go build").
std::optional<std::string> InlineEnv(const Command& c, std::string_view name) {
  for (size_t k = c.env.size(); k-- > 0;) {
    std::string_view e = c.env[k];
    if (StartsWith(e, name) && e.size() > name.size() && e[name.size()] == '=') {
      return std::string(e.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

// |name| as command |c| of RUN |i| sees it: inline, then ENV/ARG. Only
// absolute values without further expansions count as known paths.
std::optional<std::string> PathVar(const RuleContext& ctx, size_t i, const Command& c, std::string_view name) {
  std::optional<std::string> v = InlineEnv(c, name);
  if (!v) v = ctx.EnvAt(i, name);
  if (!v) return std::nullopt;
  // GOPATH may be a list; its first entry is where modules go.
  std::string s = v->substr(0, v->find(':'));
  if (!IsAbsolute(s) || s.find('$') != std::string::npos) return std::nullopt;
  return CleanDir(s);
}

// The repository name of the image at the root of |i|'s stage, lower-case
// without registry and tag: "docker.io/library/golang:1.22" -> "golang".
std::string RootRepo(const RuleContext& ctx, size_t i) {
  const Stage* st = ctx.df().StageOf(i);
  if (st == nullptr) return "";
  std::string img = ctx.RootImage(*st);
  size_t at = img.find('@');
  if (at != std::string::npos) img.resize(at);
  size_t slash = img.rfind('/');
  if (slash != std::string::npos) img = img.substr(slash + 1);
  size_t colon = img.find(':');
  if (colon != std::string::npos) img.resize(colon);
  return img;
}

bool ArgWordContains(const Command& c, std::string_view prefix, std::string_view needle) {
  for (size_t k = 1; k < c.argv.size(); ++k) {
    std::string_view a = c.argv[k];
    if (StartsWith(a, prefix) && a.find(needle) != std::string_view::npos) return true;
  }
  return false;
}

bool UsesCcache(const RuleContext& ctx, size_t i, const Command& c) {
  if (IsCommand(c, {"ccache"})) return c.argv.size() > 1 && !StartsWith(c.argv[1], "-");
  if (!IsCommand(c, {"make", "cmake", "ninja", "meson", "gcc", "g++", "cc", "c++", "clang", "clang++"})) return false;
  for (std::string_view var : {"CC", "CXX"}) {
    std::optional<std::string> v = InlineEnv(c, var);
    if (!v) v = ctx.EnvAt(i, var);
    if (v && v->find("ccache") != std::string::npos) return true;
  }
  return ArgWordContains(c, "CC=", "ccache") || ArgWordContains(c, "CXX=", "ccache") ||
         ArgWordContains(c, "-DCMAKE_C_COMPILER_LAUNCHER=", "ccache") ||
         ArgWordContains(c, "-DCMAKE_CXX_COMPILER_LAUNCHER=", "ccache");
}

// Where the language tools keep their caches for command |c| of RUN |i|;
// nullopt when the Dockerfile does not say (an unknown home).
std::optional<std::string> GoBuildCache(const RuleContext& ctx, size_t i, const Command& c) {
  std::optional<std::string> raw = InlineEnv(c, "GOCACHE");
  if (!raw) raw = ctx.EnvAt(i, "GOCACHE");
  if (raw && *raw == "off") return std::nullopt;
  if (auto v = PathVar(ctx, i, c, "GOCACHE")) return v;
  if (raw) return std::nullopt;  // set to something we cannot read
  auto home = HomeAt(ctx, i);
  if (!home) return std::nullopt;
  return *home + "/.cache/go-build";
}

std::optional<std::string> GoModCache(const RuleContext& ctx, size_t i, const Command& c) {
  if (auto v = PathVar(ctx, i, c, "GOMODCACHE")) return v;
  if (auto v = PathVar(ctx, i, c, "GOPATH")) return *v + "/pkg/mod";
  if (RootRepo(ctx, i) == "golang") return std::string("/go/pkg/mod");  // the image's ENV GOPATH=/go
  auto home = HomeAt(ctx, i);
  if (!home) return std::nullopt;
  return *home + "/go/pkg/mod";
}

std::optional<std::string> CargoHome(const RuleContext& ctx, size_t i, const Command& c) {
  if (auto v = PathVar(ctx, i, c, "CARGO_HOME")) return v;
  if (RootRepo(ctx, i) == "rust") return std::string("/usr/local/cargo");  // the image's ENV CARGO_HOME
  auto home = HomeAt(ctx, i);
  if (!home) return std::nullopt;
  return *home + "/.cargo";
}

std::optional<std::string> YarnCache(const RuleContext& ctx, size_t i, const Command& c) {
  if (auto v = PathVar(ctx, i, c, "YARN_CACHE_FOLDER")) return v;
  auto home = HomeAt(ctx, i);
  if (!home) return std::nullopt;
  // yarn 1 keeps root's cache under /usr/local/share, everyone else's in ~/.cache.
  return *home == "/root" ? std::string("/usr/local/share/.cache/yarn") : *home + "/.cache/yarn";
}

std::optional<std::string> GradleHome(const RuleContext& ctx, size_t i, const Command& c) {
  if (auto v = PathVar(ctx, i, c, "GRADLE_USER_HOME")) return v;
  if (RootRepo(ctx, i) == "gradle") return std::string("/home/gradle/.gradle");  // the image's ENV
  auto home = HomeAt(ctx, i);
  if (!home) return std::nullopt;
  return *home + "/.gradle";
}

std::optional<std::string> CcacheDir(const RuleContext& ctx, size_t i, const Command& c) {
  if (auto v = PathVar(ctx, i, c, "CCACHE_DIR")) return v;
  auto home = HomeAt(ctx, i);
  if (!home) return std::nullopt;
  return *home + "/.cache/ccache";
}

bool FillsYarnCache(const Command& c) {
  if (!IsCommand(c, {"yarn"})) return false;
  std::string_view s = Subcommand(c);
  return s.empty() || s == "install" || s == "add";
}

// The language caches command |c| fills.
void LanguageCaches(const RuleContext& ctx, size_t i, const Command& c, std::vector<Leftover>* out) {
  auto add = [&](std::optional<std::string> p, const char* what) {
    if (p) out->push_back({CleanDir(*p), what, true});
  };
  if (IsCommand(c, {"go"})) {
    std::string_view s = Subcommand(c);
    bool builds = s == "build" || s == "install" || s == "test" || s == "run" || s == "vet" || s == "get" ||
                  s == "generate";
    bool fetches = builds || (s == "mod" && (HasWord(c, "download") || HasWord(c, "tidy")));
    if (builds) add(GoBuildCache(ctx, i, c), "go build cache");
    if (fetches) add(GoModCache(ctx, i, c), "go module cache");
  } else if (FillsYarnCache(c)) {
    add(YarnCache(ctx, i, c), "yarn cache");
  } else if (IsCommand(c, {"cargo"})) {
    std::string_view s = Subcommand(c);
    if (s == "build" || s == "install" || s == "fetch" || s == "test" || s == "run" || s == "vendor" ||
        s == "check" || s == "update" || s == "bench" || s == "doc") {
      if (auto h = CargoHome(ctx, i, c)) add(*h + "/registry", "cargo registry");
    }
  } else if (IsCommand(c, {"mvn", "mvnw"})) {
    if (auto h = HomeAt(ctx, i)) add(*h + "/.m2", "maven repository");
  } else if (IsCommand(c, {"gradle", "gradlew"})) {
    add(GradleHome(ctx, i, c), "gradle cache");
  } else if (UsesCcache(ctx, i, c)) {
    add(CcacheDir(ctx, i, c), "ccache cache");
  }
}

bool IsApt(const Command& c) { return IsAptTool(c); }

// Tool verbs that clean a cache directory (as if `rm -rf DIR`). The OS
// package managers' and pip/npm's paths are fixed; the language caches'
// follow the environment (see LanguageCaches).
void ToolCleanPaths(const RuleContext& ctx, size_t i, const Command& c, std::vector<std::string>* out) {
  std::string_view sub = ToolSubcommand(c);
  if (IsApt(c) && (sub == "clean" || sub == "autoclean")) out->push_back("/var/cache/apt/archives");
  if (IsAptDistClean(c)) {
    out->push_back("/var/cache/apt/archives");
    out->push_back("/var/lib/apt/lists");
  }
  if (IsCommand(c, {"yum"}) && sub == "clean") out->push_back("/var/cache/yum");
  if (IsCommand(c, {"dnf", "dnf5", "microdnf"}) && sub == "clean") {
    out->push_back("/var/cache/dnf");
    out->push_back("/var/cache/libdnf5");  // dnf5 (Fedora 41 and later)
  }
  if (CleansNpmCache(c)) out->push_back("/root/.npm");
  if (IsPip(c) && sub == "cache" && (HasWord(c, "purge") || HasWord(c, "remove"))) {
    out->push_back("/root/.cache/pip");
  }
  if (IsCommand(c, {"apk"}) && sub == "cache" && HasWord(c, "clean")) out->push_back("/var/cache/apk");
  if (IsCommand(c, {"go"}) && sub == "clean") {
    if (HasFlag(c, "cache") || HasWord(c, "-cache")) {
      if (auto p = GoBuildCache(ctx, i, c)) out->push_back(*p);
    }
    if (HasFlag(c, "modcache") || HasWord(c, "-modcache")) {
      if (auto p = GoModCache(ctx, i, c)) out->push_back(*p);
    }
  }
  if (IsCommand(c, {"yarn"}) && sub == "cache" && HasWord(c, "clean")) {
    if (auto p = YarnCache(ctx, i, c)) out->push_back(*p);
  }
  if (IsCommand(c, {"ccache"}) && (HasFlag(c, "clear", 'C'))) {
    if (auto p = CcacheDir(ctx, i, c)) out->push_back(*p);
  }
}

std::string_view BaseNameOf(std::string_view p) {
  while (!p.empty() && p.back() == '/') p.remove_suffix(1);
  size_t s = p.rfind('/');
  return s == std::string_view::npos ? p : p.substr(s + 1);
}

// The archive `tar -c` writes: `-f FILE`, `--file=FILE`, or the word after
// an old-style cluster (`tar czf FILE ...`); nullopt if it does not create
// one or writes to stdout.
std::optional<std::string_view> TarCreates(const Command& c) {
  if (c.argv.size() < 2) return std::nullopt;
  std::string_view first = c.argv[1];
  if (!first.empty() && first[0] != '-') {  // old style: the first word is the cluster
    if (first.find('c') == std::string_view::npos || first.find('f') == std::string_view::npos) return std::nullopt;
    if (c.argv.size() < 3 || c.argv[2] == "-") return std::nullopt;
    return c.argv[2];
  }
  if (!HasFlag(c, "create", 'c')) return std::nullopt;
  auto f = FlagValue(c, "file", 'f');
  if (!f || *f == "-") return std::nullopt;
  return f;
}

// Where `cp` copies to: `-t DIR`, else its last non-option word.
std::optional<std::string_view> CopyDestination(const Command& c) {
  if (auto t = FlagValue(c, "target-directory", 't')) return t;
  std::vector<std::string_view> words;
  bool options = true;
  for (size_t k = 1; k < c.argv.size(); ++k) {
    std::string_view a = c.argv[k];
    if (options && a == "--") {
      options = false;
      continue;
    }
    if (options && !a.empty() && a[0] == '-') continue;
    words.push_back(a);
  }
  if (words.size() < 2) return std::nullopt;
  return words.back();
}

bool Overlaps(std::string_view a, std::string_view b) { return PathWithin(a, b) || PathWithin(b, a); }

// |path|, written by command |writer| of RUN |i|, is removed by a command
// after it (`go build && go clean -cache`, not `rm -rf X && go build`).
bool CleanedInSameRun(const RuleContext& ctx, size_t i, const RunFacts& run, std::string_view path, size_t writer) {
  if (CacheMountCovers(run, path)) return true;
  for (size_t k = writer == Leftover::kNoCommand ? 0 : writer + 1; k < run.commands.size(); ++k) {
    const Command& c = run.commands[k];
    // Raw targets too: `rm -rf *` (after a cd we do not follow) counts as
    // cleaning, so a RUN is never blamed for what it may have removed.
    for (std::string_view t : RmTargets(c)) {
      if (Overlaps(path, t)) return true;
    }
    for (const std::string& t : CleanedBy(ctx, i, c)) {
      if (Overlaps(path, t)) return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> HomeAt(const RuleContext& ctx, size_t i) {
  if (auto h = ctx.EnvAt(i, "HOME"); h && IsAbsolute(*h) && h->find('$') == std::string::npos) {
    return CleanDir(*h);
  }
  for (size_t j : ctx.Earlier(i)) {
    const Instruction& ins = ctx.df().instructions[j];
    if (ins.kind != InstructionKind::kUser || ins.args.empty()) continue;
    std::string_view u = ins.args[0];
    u = u.substr(0, u.find(':'));
    if (u == "root" || u == "0") return std::string("/root");
    return std::nullopt;  // another user: their home is not in the Dockerfile
  }
  return std::string("/root");
}

std::optional<std::string> ResolvePathWord(const RuleContext& ctx, size_t i, const Command& c,
                                           std::string_view word) {
  if (IsAbsolute(word)) return std::string(word);
  std::string_view rest;
  std::optional<std::string> base;
  if (word == "~" || StartsWith(word, "~/")) {
    base = HomeAt(ctx, i);
    rest = word.substr(1);
  } else if (StartsWith(word, "$")) {
    std::string_view name;
    size_t after = 0;
    if (StartsWith(word, "${")) {
      size_t close = word.find('}');
      if (close == std::string_view::npos) return std::nullopt;
      name = word.substr(2, close - 2);
      after = close + 1;
    } else {
      size_t e = 1;
      while (e < word.size() && (std::isalnum(static_cast<unsigned char>(word[e])) || word[e] == '_')) ++e;
      name = word.substr(1, e - 1);
      after = e;
    }
    rest = word.substr(after);
    if (name.empty() || (!rest.empty() && rest[0] != '/')) return std::nullopt;
    base = name == "HOME" && !InlineEnv(c, "HOME") ? HomeAt(ctx, i) : PathVar(ctx, i, c, name);
  } else {
    return std::nullopt;
  }
  if (!base || rest.find('$') != std::string_view::npos) return std::nullopt;
  std::string out = *base == "/" ? std::string() : *base;
  out.append(rest);
  return out.empty() ? std::string("/") : out;
}

std::vector<Leftover> ProducedBy(const RuleContext& ctx, size_t i) {
  std::vector<Leftover> out;
  const RunFacts* run = ctx.Run(i);
  if (run == nullptr || !run->certain) return out;
  for (size_t k = 0; k < run->commands.size(); ++k) {
    const Command& c = run->commands[k];
    size_t first = out.size();
    std::string_view sub = ToolSubcommand(c);
    if (IsApt(c) && sub == "update") {  // install only reads the lists
      out.push_back({"/var/lib/apt/lists", "apt lists"});
    } else if (UsesAptLists(c) && sub != "source" && sub != "build-dep") {
      // Downloaded .debs (Debian's official images delete them by hook;
      // debootstrap'd and many other bases keep them).
      out.push_back({"/var/cache/apt/archives", "apt archives"});
    } else if (IsCommand(c, {"apk"}) && sub == "add" && !HasFlag(c, "no-cache")) {
      out.push_back({"/var/cache/apk", "apk cache"});
    } else if (IsPip(c) && sub == "install" && !HasFlag(c, "no-cache-dir")) {
      out.push_back({"/root/.cache/pip", "pip cache", true});
    } else if (IsCommand(c, {"npm"}) && (sub == "ci" || sub == "install" || sub == "i")) {
      out.push_back({"/root/.npm", "npm cache", true});
    } else if (IsYumLike(c, {"yum"})) {
      out.push_back({"/var/cache/yum", "yum cache"});
    } else if (IsYumLike(c, {"dnf", "microdnf"})) {
      out.push_back({"/var/cache/dnf", "dnf cache"});
    } else if (IsYumLike(c, {"dnf5"})) {
      out.push_back({"/var/cache/libdnf5", "dnf5 cache"});
    } else if (IsCommand(c, {"curl"})) {
      if (auto o = FlagValue(c, "output", 'o'); o && IsAbsolute(*o)) out.push_back({std::string(*o), "download"});
    } else if (IsCommand(c, {"wget"})) {
      if (auto o = FlagValue(c, "output-document", 'O'); o && IsAbsolute(*o) && *o != "-") {
        out.push_back({std::string(*o), "download"});
      }
    } else if (IsCommand(c, {"tar", "bsdtar"})) {
      if (auto f = TarCreates(c); f && IsAbsolute(*f)) out.push_back({std::string(*f), "archive"});
    } else if (IsCommand(c, {"cp"})) {
      if (auto d = CopyDestination(c); d && IsAbsolute(*d) && NormalizePath(*d) != "/") {
        out.push_back({CleanDir(std::string(*d)), "copy"});
      }
    } else if (IsCommand(c, {"git"}) && Subcommand(c) == "clone") {
      std::vector<std::string_view> words;
      for (size_t w = 1; w < c.argv.size(); ++w) {
        if (!c.argv[w].empty() && c.argv[w][0] != '-') words.push_back(c.argv[w]);
      }
      if (words.size() == 3 && IsAbsolute(words[2])) out.push_back({std::string(words[2]), "git clone"});
    } else {
      LanguageCaches(ctx, i, c, &out);
    }
    for (size_t n = first; n < out.size(); ++n) out[n].command = k;
  }
  return out;
}

std::vector<std::string> CleanedBy(const RuleContext& ctx, size_t i, const Command& c) {
  std::vector<std::string> out;
  for (std::string_view t : RmTargets(c)) {
    if (auto p = ResolvePathWord(ctx, i, c, t)) out.push_back(std::move(*p));
  }
  ToolCleanPaths(ctx, i, c, &out);
  return out;
}

std::vector<Leftover> LeftoversOf(const RuleContext& ctx, size_t j) {
  const Instruction& ins = ctx.df().instructions[j];
  std::vector<Leftover> out;
  if (ins.kind == InstructionKind::kRun) {
    const RunFacts* run = ctx.Run(j);
    if (run == nullptr || !run->certain) return out;
    for (Leftover& l : ProducedBy(ctx, j)) {
      if (!CleanedInSameRun(ctx, j, *run, l.path, l.command)) out.push_back(std::move(l));
    }
  } else if ((ins.kind == InstructionKind::kCopy || ins.kind == InstructionKind::kAdd) &&
             ctx.FileArgs(j).size() >= 2 && ins.heredocs.empty()) {
    const std::vector<std::string>& args = ctx.FileArgs(j);
    std::string_view dest = args.back();
    if (!IsAbsolute(dest) || dest.find('$') != std::string_view::npos) return out;
    const char* what = ins.kind == InstructionKind::kAdd ? "ADD" : "COPY";
    bool dest_dir = EndsWith(dest, "/") || args.size() > 2;
    for (size_t k = 0; k + 1 < args.size(); ++k) {
      std::string_view src = args[k];
      bool src_dir = src == "." || src == "./" || EndsWith(src, "/");
      if (src_dir || !dest_dir) {
        if (NormalizePath(dest) != "/") out.push_back({std::string(dest), what});
      } else {
        std::string p(dest);
        if (!EndsWith(p, "/")) p += '/';
        p += BaseNameOf(src);
        out.push_back({p, what});
      }
    }
  }
  return out;
}

std::vector<LaterCleanup> FindLaterCleanups(const RuleContext& ctx, size_t i) {
  std::vector<LaterCleanup> out;
  const RunFacts* run = ctx.Run(i);
  if (run == nullptr || !run->certain || !ctx.InScope(i, RuleScope::kShipping)) return out;
  std::vector<Leftover> mine = ProducedBy(ctx, i);
  std::vector<size_t> earlier;  // computed lazily: most RUNs clean nothing
  bool have_earlier = false;
  for (const Command& c : run->commands) {
    std::vector<std::string> targets = CleanedBy(ctx, i, c);
    bool reported = false;
    for (const std::string& t : targets) {
      if (reported || !IsAbsolute(t)) continue;
      bool recreated = false;
      for (const Leftover& m : mine) recreated |= Overlaps(m.path, t);
      if (recreated) continue;
      if (!have_earlier) {
        earlier = ctx.Earlier(i);
        have_earlier = true;
      }
      for (size_t j : earlier) {
        for (Leftover& l : LeftoversOf(ctx, j)) {
          if (!Overlaps(l.path, t)) continue;
          out.push_back({i, &c, t, std::move(l), j});
          reported = true;
          break;
        }
        if (reported) break;
      }
    }
  }
  return out;
}

}  // namespace whittle::lint
