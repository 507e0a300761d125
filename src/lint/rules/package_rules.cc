// Same-RUN cleanup rules: a package manager's cache or index must be removed
// in the RUN that created it (or kept out of the layer with a cache mount),
// because a later RUN cannot take bytes out of an earlier layer.
#include <functional>

#include "lint/rules/checks.h"
#include "lint/rules/command_match.h"
#include "util/strings.h"

namespace whittle::lint::checks {
namespace {

// Calls |fn(i, run)| for each certain RUN in scope of |scope|, and for each
// `ONBUILD RUN` trigger: it writes its cache into every image built FROM
// this one, where nobody can clean it.
void ForEachRun(const RuleContext& ctx, RuleScope scope,
                const std::function<void(size_t, const RunFacts&)>& fn) {
  const auto& ins = ctx.df().instructions;
  for (size_t i = 0; i < ins.size(); ++i) {
    const RunFacts* run = ctx.RunOrTrigger(i).facts;
    if (run == nullptr || !run->certain || !ctx.InScope(i, scope)) continue;
    fn(i, *run);
  }
}

bool AnyCommand(const RunFacts& run, const std::function<bool(const Command&)>& pred) {
  for (const Command& c : run.commands) {
    if (pred(c)) return true;
  }
  return false;
}

const Command* FirstCommand(const RunFacts& run, const std::function<bool(const Command&)>& pred) {
  for (const Command& c : run.commands) {
    if (pred(c)) return &c;
  }
  return nullptr;
}

// The first command that |fills| a cache and that no later command
// |cleans|: a cleanup placed before the install cleans nothing it wrote.
const Command* UncleanedFill(const RunFacts& run, const std::function<bool(const Command&)>& fills,
                             const std::function<bool(const Command&)>& cleans) {
  const Command* pending = nullptr;
  for (const Command& c : run.commands) {
    if (cleans(c)) pending = nullptr;
    else if (pending == nullptr && fills(c)) pending = &c;
  }
  return pending;
}

// `pip config set global.no-cache-dir V` (any section), or a command whose
// text (|text|, redirections included) writes pip configuration naming
// no-cache-dir (`echo ... > /etc/pip.conf`): we cannot read that value, so
// we do not judge.
bool ConfiguresPipNoCacheDir(const Command& c, std::string_view text) {
  if (IsPip(c) && ToolSubcommand(c) == "config") {
    for (size_t k = 1; k + 1 < c.argv.size(); ++k) {
      if (c.argv[k] == "set" && EndsWith(c.argv[k + 1], ".no-cache-dir")) return true;
    }
    return false;
  }
  return text.find("no-cache-dir") != std::string_view::npos &&
         (text.find("pip.conf") != std::string_view::npos || text.find("pip.ini") != std::string_view::npos);
}

// The text of command |c| of RUN |i| as written, or the whole instruction
// when the script is not the instruction's own text (a heredoc).
std::string_view CommandText(const RuleContext& ctx, size_t i, const RunFacts& run, const Command& c) {
  const Instruction& ins = *ctx.RunOrTrigger(i).instruction;  // |run| is its facts
  std::string_view args = ins.args_text();
  if (!run.offsets_in_line || c.end > args.size() || c.begin > c.end) return ins.line;
  return args.substr(c.begin, c.end - c.begin);
}

// The shape shared by DL3032/DL3036/DL3040/DL3060/WS001: a command that
// fills a cache, satisfied by a cleaning command in the same RUN or a cache
// mount on the cache directory.
struct CacheRule {
  const char* code;
  std::function<bool(const Command&)> fills;
  std::function<bool(const Command&)> cleans;
  std::vector<std::string_view> cache_dirs;
  const char* message;
};

void CheckCacheRule(const RuleContext& ctx, std::vector<Finding>* out, const CacheRule& rule) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* fill = UncleanedFill(run, rule.fills, rule.cleans);
    if (fill == nullptr) return;
    for (std::string_view d : rule.cache_dirs) {
      if (CacheMountCovers(run, d)) return;
    }
    ctx.Report(out, rule.code, i, ctx.CommandPos(i, *fill), rule.message);
  });
}

}  // namespace

void DL3009(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* update = UncleanedFill(run, IsAptUpdate, RemovesAptLists);
    if (update == nullptr) return;
    if (CacheMountCovers(run, "/var/lib/apt/lists")) return;
    ctx.Report(out, "DL3009", i, ctx.CommandPos(i, *update),
               "Delete the apt-get lists after installing something.");
  });
}

void DL3015(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* install = FirstCommand(run, AptInstallWithRecommends);
    if (install == nullptr) return;
    // `-o APT::Install-Recommends=false` here, or apt configuration written
    // by this or an earlier RUN of the same image.
    const Instruction& me = ctx.df().instructions[i];
    if (me.line.find("Install-Recommends") != std::string::npos) return;
    for (size_t j : ctx.Earlier(i)) {
      const Instruction& e = ctx.df().instructions[j];
      if (e.kind == InstructionKind::kRun && e.line.find("Install-Recommends") != std::string::npos) return;
      if (e.kind == InstructionKind::kCopy || e.kind == InstructionKind::kAdd) {
        // COPY of an apt.conf.d snippet: cannot read it, so cannot tell.
        for (const std::string& a : e.args) {
          if (a.find("apt.conf") != std::string::npos) return;
        }
      }
    }
    ctx.Report(out, "DL3015", i, ctx.CommandPos(i, *install),
               "Avoid additional packages by specifying `--no-install-recommends`");
  });
}

void DL3019(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    // `apk add --update ... && rm -rf /var/cache/apk/*` also leaves nothing.
    const Command* add = UncleanedFill(run, ApkAddWithCache, [](const Command& c) {
      for (std::string_view t : RmTargets(c)) {
        if (PathWithin("/var/cache/apk", t) || PathWithin(t, "/var/cache/apk")) return true;
      }
      return false;
    });
    if (add == nullptr) return;
    if (CacheMountCovers(run, "/var/cache/apk") || CacheMountCovers(run, "/etc/apk/cache")) return;
    ctx.Report(out, "DL3019", i, ctx.CommandPos(i, *add),
               "Use the `--no-cache` switch to avoid the need to use `--update` and remove "
               "`/var/cache/apk/*` when done installing packages");
  });
}

void DL3032(const RuleContext& ctx, std::vector<Finding>* out) {
  CheckCacheRule(ctx, out,
                 {"DL3032", [](const Command& c) { return IsYumLike(c, {"yum"}); },
                  [](const Command& c) {
                    if (CleansAll(c, {"yum"})) return true;
                    for (std::string_view t : RmTargets(c)) {
                      if (PathWithin("/var/cache/yum", t)) return true;
                    }
                    return false;
                  },
                  {"/var/cache/yum"},
                  "`yum clean all` missing after yum command."});
}

void DL3040(const RuleContext& ctx, std::vector<Finding>* out) {
  CheckCacheRule(ctx, out,
                 {"DL3040", [](const Command& c) { return IsYumLike(c, {"dnf", "dnf5", "microdnf"}); },
                  [](const Command& c) {
                    if (CleansAll(c, {"dnf", "dnf5", "microdnf"})) return true;
                    for (std::string_view t : RmTargets(c)) {
                      if (PathWithin("/var/cache/dnf", t) || PathWithin("/var/cache/yum", t) ||
                          PathWithin("/var/cache/libdnf5", t)) {
                        return true;
                      }
                    }
                    return false;
                  },
                  {"/var/cache/dnf", "/var/cache/libdnf5"},
                  "`dnf clean all` missing after dnf command."});
}

void DL3036(const RuleContext& ctx, std::vector<Finding>* out) {
  CheckCacheRule(ctx, out,
                 {"DL3036",
                  [](const Command& c) {
                    if (!IsCommand(c, {"zypper"})) return false;
                    std::string_view s = ToolSubcommand(c);
                    return s == "install" || s == "in" || s == "update" || s == "up" || s == "dist-upgrade" ||
                           s == "dup" || s == "patch" || s == "source-install" || s == "si" ||
                           s == "install-new-recommends" || s == "inr";
                  },
                  [](const Command& c) {
                    if (IsCommand(c, {"zypper"})) {
                      std::string_view s = ToolSubcommand(c);
                      if (s == "clean" || s == "cc") return true;
                    }
                    for (std::string_view t : RmTargets(c)) {
                      if (PathWithin("/var/cache/zypp", t)) return true;
                    }
                    return false;
                  },
                  {"/var/cache/zypp"},
                  "`zypper clean` missing after zypper use."});
}

void DL3042(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* pip = FirstCommand(run, PipInstallWithCache);
    if (pip == nullptr) return;
    // `pip config set global.no-cache-dir ...` (or a pip.conf written
    // with it) before the pip command, in this RUN or an earlier one.
    for (const Command& c : run.commands) {
      if (&c == pip) break;
      if (ConfiguresPipNoCacheDir(c, CommandText(ctx, i, run, c))) return;
    }
    for (size_t j : ctx.Earlier(i)) {
      const RunFacts* earlier = ctx.Run(j);
      if (earlier == nullptr) continue;
      for (const Command& c : earlier->commands) {
        if (ConfiguresPipNoCacheDir(c, CommandText(ctx, j, *earlier, c))) return;
      }
    }
    // `export PIP_NO_CACHE_DIR=v` before the pip command in the same RUN.
    for (const Command& c : run.commands) {
      if (&c == pip) break;
      if (!IsCommand(c, {"export"})) continue;
      for (size_t k = 1; k < c.argv.size(); ++k) {
        if (StartsWith(c.argv[k], "PIP_NO_CACHE_DIR=") && PipNoCacheDirDisables(c.argv[k].substr(17))) return;
      }
    }
    if (auto v = ctx.EnvAt(i, "PIP_NO_CACHE_DIR"); v && PipNoCacheDirDisables(*v)) return;
    if (CacheMountCovers(run, "/root/.cache/pip")) return;
    for (const std::string& t : run.cache_targets) {
      if (EndsWith(t, "/.cache/pip") || EndsWith(t, "/.cache") || EndsWith(t, "/.cache/")) return;
    }
    ctx.Report(out, "DL3042", i, ctx.CommandPos(i, *pip),
               "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`.");
  });
}

void DL3060(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* yarn = UncleanedFill(run, IsYarnInstall, [](const Command& c) {
      return IsCommand(c, {"yarn"}) && Subcommand(c) == "cache" && HasWord(c, "clean");
    });
    if (yarn == nullptr) return;
    for (const std::string& t : run.cache_targets) {
      if (t.find("yarn") != std::string::npos || PathWithin("/usr/local/share/.cache/yarn", t)) return;
    }
    ctx.Report(out, "DL3060", i, ctx.CommandPos(i, *yarn),
               "`yarn cache clean` missing after `yarn install` was run.");
  });
}

void WS001(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* npm = UncleanedFill(run, IsNpmInstall, [](const Command& c) {
      if (CleansNpmCache(c)) return true;
      for (std::string_view t : RmTargets(c)) {
        if (EndsWith(t, "/.npm") || EndsWith(t, "/.npm/") || t.find("/.npm/_cacache") != std::string_view::npos) {
          return true;
        }
      }
      return false;
    });
    if (npm == nullptr) return;
    for (const std::string& t : run.cache_targets) {
      if (EndsWith(t, "/.npm") || EndsWith(t, "/.npm/")) return;
    }
    // NPM_CONFIG_CACHE pointed somewhere else: cannot tell where it is cleaned.
    if (ctx.EnvAt(i, "NPM_CONFIG_CACHE") || ctx.EnvAt(i, "npm_config_cache")) return;
    ctx.Report(out, "WS001", i, ctx.CommandPos(i, *npm),
               "`npm cache clean --force` missing after `npm " + std::string(Subcommand(*npm)) +
                   "` (or use `--mount=type=cache,target=/root/.npm`): the npm cache stays in the layer.");
  });
}

void WS003(const RuleContext& ctx, std::vector<Finding>* out) {
  ForEachRun(ctx, RuleScope::kShipping, [&](size_t i, const RunFacts& run) {
    const Command* update = FirstCommand(run, IsAptUpdate);
    if (update == nullptr || AnyCommand(run, IsAptInstall)) return;
    // Other apt-get verbs that use the lists (upgrade, dist-upgrade, build-dep)
    // make the update useful in this RUN.
    bool uses = AnyCommand(run, [](const Command& c) {
      if (!IsCommand(c, {"apt-get", "apt"})) return false;
      std::string_view s = ToolSubcommand(c);
      return s == "upgrade" || s == "dist-upgrade" || s == "full-upgrade" || s == "build-dep" ||
             s == "source" || s == "download";
    });
    if (uses || AnyCommand(run, RemovesAptLists)) return;
    if (CacheMountCovers(run, "/var/lib/apt/lists")) return;
    ctx.Report(out, "WS003", i, ctx.CommandPos(i, *update),
               "`apt-get update` without `apt-get install` in the same RUN: the package lists stay in "
               "this layer and a later install may use stale lists; update and install in one RUN.");
  });
}

}  // namespace whittle::lint::checks
