// Small predicates over one command's argv, shared by the rules:
// "is this `apt-get install`", "does it pass --no-cache", "which packages".
//
// Conventions: argv[0] is already a base name (see Command in context.h).
// A short flag matches inside a cluster ("-qy" has 'y'); a long flag
// matches "--name" and "--name=value".
#ifndef WHITTLE_LINT_RULES_COMMAND_MATCH_H_
#define WHITTLE_LINT_RULES_COMMAND_MATCH_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lint/rules/context.h"

namespace whittle::lint {

/// argv[0] is one of |names|.
bool IsCommand(const Command& c, std::initializer_list<std::string_view> names);
/// pip, pip2, pip3, pip3.12, pip2.7, or python/python3[.x] -m pip.
bool IsPip(const Command& c);

/// The first non-option word after argv[0] (an apt-get/apk/pip subcommand),
/// skipping the values of |value_options| ("-o", "--option"...); "" if none.
std::string_view Subcommand(const Command& c, std::initializer_list<std::string_view> value_options = {});
/// Subcommand() for the package tool of |c| (knows apt-get's -o/-c/-t, and
/// `python -m pip`).
std::string_view ToolSubcommand(const Command& c);

/// Has "--long" / "--long=..." or, if short_flag != 0, "-x" in a cluster.
bool HasFlag(const Command& c, std::string_view long_name, char short_flag = 0);
/// The value of "-u 1000", "-u1000", "--uid 1000", "--uid=1000".
std::optional<std::string_view> FlagValue(const Command& c, std::string_view long_name, char short_flag);
/// Any argument (after argv[0]) equals |word|.
bool HasWord(const Command& c, std::string_view word);

/// The non-option words after the subcommand (package names), skipping the
/// values of the tool's value-taking options (apk --virtual NAME...).
std::vector<std::string_view> PackageArgs(const Command& c);

/// `rm` targets: the non-option arguments of an rm command.
std::vector<std::string_view> RmTargets(const Command& c);

/// True when |path| is |dir| or inside it ("/var/lib/apt/lists/x" is inside
/// "/var/lib/apt"). Trailing "/", "/*" and "*" on either side are ignored.
bool PathWithin(std::string_view path, std::string_view dir);

/// A cache or tmpfs mount covers |dir| (its target is |dir| or a parent of
/// it): either keeps what the RUN writes there out of the layer.
bool CacheMountCovers(const RunFacts& run, std::string_view dir);

// The package-manager facts the cache rules (package_rules.cc) judge and
// `whittle fix` rewrites, in one place so both read them the same way.

/// True when PIP_NO_CACHE_DIR=|v| disables pip's cache: any value pip's
/// strtobool() accepts, "false" and "0" included (pip's own semantics).
bool PipNoCacheDirDisables(std::string_view v);
/// apt-get, apt or aptitude (they share the lists and the archives).
bool IsAptTool(const Command& c);
/// `apt-get update` / `apt update` / `aptitude update`.
bool IsAptUpdate(const Command& c);
/// `apt-get install` / `apt install` / `aptitude install`.
bool IsAptInstall(const Command& c);
/// An apt verb that reads the package lists (install, upgrade, build-dep...).
bool UsesAptLists(const Command& c);
/// `apt-get dist-clean` / `distclean` (apt >= 2.7.8): removes the lists and
/// the downloaded archives.
bool IsAptDistClean(const Command& c);
/// `rm` of /var/lib/apt/lists (or a parent, or something inside it), or
/// `apt-get dist-clean`.
bool RemovesAptLists(const Command& c);
/// `apt-get install` without --no-install-recommends (DL3015).
bool AptInstallWithRecommends(const Command& c);
/// `apk add` without --no-cache (DL3019).
bool ApkAddWithCache(const Command& c);
/// `pip install` without --no-cache-dir or an inline truthy
/// PIP_NO_CACHE_DIR (DL3042).
bool PipInstallWithCache(const Command& c);
/// `yum|dnf|dnf5|microdnf install/update/...` (and dnf's aliases: in, up,
/// up-min, rei, dsync, mc...) for the tools in |tools|.
bool IsYumLike(const Command& c, std::initializer_list<std::string_view> tools);
/// `<tool> clean all` for one of |tools|.
bool CleansAll(const Command& c, std::initializer_list<std::string_view> tools);
/// `npm ci|install|i|clean-install|add` (WS001).
bool IsNpmInstall(const Command& c);
/// `npm cache clean|clear|rm` (npm's aliases of one verb).
bool CleansNpmCache(const Command& c);
/// `yarn install` (DL3060).
bool IsYarnInstall(const Command& c);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_RULES_COMMAND_MATCH_H_
