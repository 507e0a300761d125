#include "lint/rules/command_match.h"

#include <cctype>
#include <set>

#include "util/strings.h"

namespace whittle::lint {
namespace {

bool IsShortCluster(std::string_view a) { return a.size() >= 2 && a[0] == '-' && a[1] != '-'; }

bool In(std::string_view s, std::initializer_list<std::string_view> set) {
  for (std::string_view x : set) {
    if (s == x) return true;
  }
  return false;
}

std::string_view StripGlob(std::string_view p) {
  while (!p.empty() && (p.back() == '*' || p.back() == '/')) p.remove_suffix(1);
  return p;
}

// Index of the first argument after the tool name and, for `python -m pip`,
// after "-m pip".
size_t ArgStart(const Command& c) {
  if (c.argv.size() >= 3 && StartsWith(c.argv[0], "python") && c.argv[1] == "-m") return 3;
  return 1;
}

}  // namespace

bool IsCommand(const Command& c, std::initializer_list<std::string_view> names) {
  return !c.argv.empty() && In(c.argv[0], names);
}

bool IsPip(const Command& c) {
  if (c.argv.empty()) return false;
  std::string_view n = c.argv[0];
  if (n == "pip" || n == "pip2" || n == "pip3") return true;
  if ((StartsWith(n, "pip2.") || StartsWith(n, "pip3.")) && n.size() > 5) {  // pip3.12, pip2.7
    for (char ch : n.substr(5)) {
      if (ch < '0' || ch > '9') return false;
    }
    return true;
  }
  if (StartsWith(n, "python") && c.argv.size() >= 3 && c.argv[1] == "-m" &&
      (c.argv[2] == "pip" || c.argv[2] == "pip3")) {
    return true;
  }
  return false;
}

std::string_view Subcommand(const Command& c, std::initializer_list<std::string_view> value_options) {
  for (size_t i = ArgStart(c); i < c.argv.size(); ++i) {
    std::string_view a = c.argv[i];
    if (!a.empty() && a[0] == '-') {
      if (In(a, value_options)) ++i;
      continue;
    }
    return a;
  }
  return {};
}

std::string_view ToolSubcommand(const Command& c) {
  if (IsCommand(c, {"apt-get", "apt", "aptitude"})) {
    return Subcommand(c, {"-o", "-c", "-t", "--option", "--config-file", "--target-release"});
  }
  if (IsCommand(c, {"yum", "dnf", "dnf5", "microdnf"})) {
    return Subcommand(c, {"-c", "--config", "--setopt", "--installroot", "--releasever", "--repo", "--repoid",
                          "--enablerepo", "--disablerepo", "-x", "--exclude"});
  }
  if (IsCommand(c, {"zypper"})) return Subcommand(c, {"--root", "-R", "--config", "-c"});
  if (IsCommand(c, {"apk"})) return Subcommand(c, {"-X", "--repository", "-p", "--root"});
  return Subcommand(c);
}

bool HasFlag(const Command& c, std::string_view long_name, char short_flag) {
  for (size_t i = 1; i < c.argv.size(); ++i) {
    std::string_view a = c.argv[i];
    if (a == "--") break;
    if (StartsWith(a, "--")) {
      std::string_view n = a.substr(2);
      if (n == long_name || (StartsWith(n, long_name) && n.size() > long_name.size() &&
                             n[long_name.size()] == '=')) {
        return true;
      }
    } else if (short_flag != 0 && IsShortCluster(a) && a.find(short_flag, 1) != std::string_view::npos) {
      return true;
    }
  }
  return false;
}

std::optional<std::string_view> FlagValue(const Command& c, std::string_view long_name, char short_flag) {
  for (size_t i = 1; i < c.argv.size(); ++i) {
    std::string_view a = c.argv[i];
    if (a == "--") break;
    if (StartsWith(a, "--")) {
      if (a.substr(2, long_name.size()) != long_name) continue;
      std::string_view rest = a.substr(2 + long_name.size());
      if (rest.empty()) {
        if (i + 1 < c.argv.size()) return c.argv[i + 1];
        return std::nullopt;
      }
      if (rest[0] == '=') return rest.substr(1);
    } else if (IsShortCluster(a)) {
      // getopt: in "-fsSLo" the 'o' takes the next word; in "-o/x" the rest.
      size_t k = a.find(short_flag, 1);
      if (k == std::string_view::npos) continue;
      if (k + 1 < a.size()) return a.substr(k + 1);
      if (i + 1 < c.argv.size()) return c.argv[i + 1];
    }
  }
  return std::nullopt;
}

bool HasWord(const Command& c, std::string_view word) {
  for (size_t i = 1; i < c.argv.size(); ++i) {
    if (c.argv[i] == word) return true;
  }
  return false;
}

std::vector<std::string_view> PackageArgs(const Command& c) {
  std::vector<std::string_view> out;
  std::string_view sub = ToolSubcommand(c);
  if (sub.empty()) return out;
  bool apk = IsCommand(c, {"apk"});
  bool apt = IsCommand(c, {"apt-get", "apt", "aptitude"});
  bool seen_sub = false;
  for (size_t i = ArgStart(c); i < c.argv.size(); ++i) {
    std::string_view a = c.argv[i];
    if (!seen_sub) {
      if (a == sub) seen_sub = true;
      else if (apt && In(a, {"-o", "-c", "-t", "--option", "--config-file", "--target-release"})) ++i;
      continue;
    }
    if (!a.empty() && a[0] == '-') {
      if (apk && In(a, {"-t", "--virtual", "-X", "--repository"})) ++i;
      else if (apt && In(a, {"-o", "-c", "-t", "--option", "--config-file", "--target-release"})) ++i;
      else if (In(a, {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                      "--extra-index-url", "-f", "--find-links", "--target", "--prefix", "--root"}) &&
               !apt && !apk) {
        ++i;
      }
      continue;
    }
    out.push_back(a);
  }
  return out;
}

std::vector<std::string_view> RmTargets(const Command& c) {
  std::vector<std::string_view> out;
  if (!IsCommand(c, {"rm"})) return out;
  bool options = true;
  for (size_t i = 1; i < c.argv.size(); ++i) {
    std::string_view a = c.argv[i];
    if (options && a == "--") {
      options = false;
      continue;
    }
    if (options && !a.empty() && a[0] == '-') continue;
    out.push_back(a);
  }
  return out;
}

bool PathWithin(std::string_view path, std::string_view dir) {
  path = StripGlob(path);
  dir = StripGlob(dir);
  if (dir.empty()) return !path.empty() && path[0] == '/';  // "/" or "/*" covers every absolute path
  if (!StartsWith(path, dir)) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

bool CacheMountCovers(const RunFacts& run, std::string_view dir) {
  for (const std::string& t : run.cache_targets) {
    if (PathWithin(dir, t)) return true;
  }
  return false;
}

bool IsAptTool(const Command& c) { return IsCommand(c, {"apt-get", "apt", "aptitude"}); }

bool IsAptUpdate(const Command& c) { return IsAptTool(c) && ToolSubcommand(c) == "update"; }

bool IsAptInstall(const Command& c) { return IsAptTool(c) && ToolSubcommand(c) == "install"; }

bool UsesAptLists(const Command& c) {
  if (!IsAptTool(c)) return false;
  std::string_view s = ToolSubcommand(c);
  return s == "install" || s == "upgrade" || s == "dist-upgrade" || s == "full-upgrade" || s == "build-dep" ||
         s == "source" || s == "download" || s == "satisfy" || s == "reinstall";
}

bool IsAptDistClean(const Command& c) {
  if (!IsCommand(c, {"apt-get", "apt"})) return false;
  std::string_view s = ToolSubcommand(c);
  return s == "dist-clean" || s == "distclean";
}

bool RemovesAptLists(const Command& c) {
  if (IsAptDistClean(c)) return true;
  for (std::string_view t : RmTargets(c)) {
    if (PathWithin(t, "/var/lib/apt/lists") || PathWithin("/var/lib/apt/lists", t)) return true;
  }
  return false;
}

bool AptInstallWithRecommends(const Command& c) {
  // `apt install` pulls Recommends exactly as `apt-get install` does and
  // takes the same option (hadolint judges only apt-get).
  return IsCommand(c, {"apt-get", "apt"}) && ToolSubcommand(c) == "install" && !HasFlag(c, "no-install-recommends");
}

bool ApkAddWithCache(const Command& c) {
  // `--no-network` installs from what is already on disk: no index is
  // fetched, nothing is cached (the docker-library run-deps idiom).
  return IsCommand(c, {"apk"}) && ToolSubcommand(c) == "add" && !HasFlag(c, "no-cache") &&
         !HasFlag(c, "no-network");
}

bool PipNoCacheDirDisables(std::string_view v) {
  // pip parses the value with strtobool() only to reject garbage, then
  // disables the cache for every valid value, false ones included (pip's
  // _handle_no_cache_dir keeps that for backwards compatibility).
  std::string lower;
  for (char ch : v) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  static const std::set<std::string> kValid = {"y", "yes", "t", "true", "on", "1",
                                               "n", "no", "f", "false", "off", "0"};
  return kValid.count(lower) > 0;
}

bool PipInstallWithCache(const Command& c) {
  if (!IsPip(c) || ToolSubcommand(c) != "install" || HasFlag(c, "no-cache-dir")) return false;
  for (std::string_view e : c.env) {
    if (StartsWith(e, "PIP_NO_CACHE_DIR=") && PipNoCacheDirDisables(e.substr(17))) return false;
  }
  return true;
}

bool IsYumLike(const Command& c, std::initializer_list<std::string_view> tools) {
  if (!IsCommand(c, tools)) return false;
  std::string_view sub = ToolSubcommand(c);
  // The verbs and their documented aliases (yum(8), dnf(8), dnf5(8)) that
  // download packages or repository metadata into the cache.
  if (In(sub, {"install", "in", "groupinstall", "localinstall", "reinstall", "rei", "update", "upgrade", "up",
               "update-to", "upgrade-to", "localupdate", "update-minimal", "upgrade-minimal", "up-min",
               "distro-sync", "distrosync", "distribution-synchronization", "dsync", "downgrade", "dg",
               "makecache", "mc", "module", "swap", "builddep", "build-dep"})) {
    return true;
  }
  return In(sub, {"group", "groups", "grp"}) && (HasWord(c, "install") || HasWord(c, "upgrade"));
}

bool CleansAll(const Command& c, std::initializer_list<std::string_view> tools) {
  return IsCommand(c, tools) && ToolSubcommand(c) == "clean" && HasWord(c, "all");
}

bool IsNpmInstall(const Command& c) {
  if (!IsCommand(c, {"npm"})) return false;
  // npm's documented aliases (npm help install, ci, install-test,
  // install-ci-test, update): every one fetches into the cache.
  return In(Subcommand(c), {"install", "add", "i", "in", "ins", "inst", "insta", "instal", "isnt", "isnta",
                            "isntal", "isntall", "ci", "clean-install", "ic", "install-clean", "isntall-clean",
                            "install-test", "it", "install-ci-test", "cit", "update", "up", "upgrade", "udpate"});
}

bool CleansNpmCache(const Command& c) {
  if (!IsCommand(c, {"npm"}) || Subcommand(c) != "cache") return false;
  return HasWord(c, "clean") || HasWord(c, "clear") || HasWord(c, "rm");
}

bool IsYarnInstall(const Command& c) {
  if (!IsCommand(c, {"yarn"})) return false;
  // Bare `yarn` (options only) is `yarn install`; `yarn add` and
  // `yarn global add` fill the same cache (yarn v1's CLI docs).
  std::string_view s = Subcommand(c, {"--cwd", "--modules-folder", "--cache-folder", "--network-timeout", "--mutex",
                                      "--registry", "--global-folder", "--link-folder", "--preferred-cache-folder"});
  return s.empty() || s == "install" || s == "add" || (s == "global" && HasWord(c, "add"));
}

}  // namespace whittle::lint
