// The rule table. Order is id order; ids are stable (docs/rules.md).
#include "lint/rules/checks.h"
#include "lint/rules/rule.h"

namespace whittle::lint {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
    case Severity::kStyle: return "style";
    case Severity::kNone: return "none";
  }
  return "none";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  if (s == "error") return Severity::kError;
  if (s == "warning") return Severity::kWarning;
  if (s == "info") return Severity::kInfo;
  if (s == "style") return Severity::kStyle;
  if (s == "none" || s == "ignore") return Severity::kNone;
  return std::nullopt;
}

bool ReachesThreshold(Severity s, Severity threshold) {
  if (s == Severity::kNone || threshold == Severity::kNone) return false;
  return static_cast<int>(s) <= static_cast<int>(threshold);
}

const std::vector<Rule>& AllRules() {
  using S = Severity;
  using R = RuleScope;
  static const std::vector<Rule> kRules = {
      {"DL3006", S::kWarning, R::kFile, "Always tag the version of an image explicitly", checks::DL3006},
      {"DL3007", S::kWarning, R::kFile, "Using latest is prone to errors; pin the version", checks::DL3007},
      {"DL3009", S::kInfo, R::kShipping, "Delete the apt-get lists after installing something", checks::DL3009},
      {"DL3015", S::kInfo, R::kShipping, "Avoid additional packages by specifying --no-install-recommends",
       checks::DL3015},
      {"DL3019", S::kInfo, R::kShipping, "Use the --no-cache switch with apk add", checks::DL3019},
      {"DL3026", S::kError, R::kFile, "Use only an allowed registry in the FROM image", checks::DL3026},
      {"DL3032", S::kWarning, R::kShipping, "yum clean all missing after yum command", checks::DL3032},
      {"DL3036", S::kWarning, R::kShipping, "zypper clean missing after zypper use", checks::DL3036},
      {"DL3040", S::kWarning, R::kShipping, "dnf clean all missing after dnf command", checks::DL3040},
      {"DL3042", S::kWarning, R::kShipping, "Avoid use of cache directory with pip (--no-cache-dir)",
       checks::DL3042},
      {"DL3046", S::kWarning, R::kShipping, "useradd without -l and a high UID makes a huge lastlog",
       checks::DL3046},
      {"DL3059", S::kInfo, R::kShipping, "Multiple consecutive RUN instructions; consider consolidation",
       checks::DL3059},
      {"DL3060", S::kInfo, R::kShipping, "yarn cache clean missing after yarn install", checks::DL3060},
      {"DL3067", S::kWarning, R::kShipping, "Do not copy an entire filesystem from another stage", checks::DL3067},
      {"WS001", S::kWarning, R::kShipping, "npm cache left in the layer after npm ci/install", checks::WS001},
      {"WS002", S::kWarning, R::kShipping, "Cleanup in a later RUN frees nothing", checks::WS002},
      {"WS003", S::kWarning, R::kShipping, "apt-get update without apt-get install in the same RUN",
       checks::WS003},
      {"WS004", S::kWarning, R::kShipping, "Build toolchain installed in a stage that ships", checks::WS004},
      {"WS005", S::kWarning, R::kShipping, "Final stage based on a full build image", checks::WS005},
      {"WS006", S::kInfo, R::kShipping, "Compiled-wheel pip install on an Alpine (musl) base", checks::WS006},
      {"WS007", S::kWarning, R::kShipping, "COPY . without a .dockerignore that excludes .git", checks::WS007},
      {"WS008", S::kWarning, R::kShipping, "Remote ADD of an archive extracted in a later RUN", checks::WS008},
      {"WS009", S::kError, R::kFile, "Unknown instruction: BuildKit refuses the file", checks::WS009},
  };
  return kRules;
}

const Rule* FindRule(std::string_view code) {
  for (const Rule& r : AllRules()) {
    if (code == r.code) return &r;
  }
  return nullptr;
}

}  // namespace whittle::lint
