// The rewrite table (rewrite.h). Order is id order.
#include "fix/rewrite.h"

namespace whittle::fix {

const std::vector<Rewrite>& AllRewrites() {
  using K = RewriteKind;
  static const std::vector<Rewrite> kRewrites = {
      {"DL3009", K::kInRun, "append `&& rm -rf /var/lib/apt/lists/*` to the RUN that ran apt-get update", PlanDL3009},
      {"DL3015", K::kInRun, "add `--no-install-recommends` to apt-get install", PlanDL3015},
      {"DL3019", K::kInRun, "add `--no-cache` to apk add", PlanDL3019},
      {"DL3032", K::kInRun, "append `&& yum clean all`", PlanDL3032},
      {"DL3036", K::kInRun, "append `&& zypper clean --all`", PlanDL3036},
      {"DL3040", K::kInRun, "append `&& dnf clean all` (microdnf too)", PlanDL3040},
      {"DL3042", K::kInRun, "add `--no-cache-dir` to pip install", PlanDL3042},
      {"DL3059", K::kMerge, "merge consecutive RUNs with the same flags", PlanDL3059},
      {"DL3060", K::kInRun, "append `&& yarn cache clean`", PlanDL3060},
      {"WS001", K::kInRun, "append `&& npm cache clean --force`", PlanWS001},
      {"WS002", K::kMerge, "merge a cleanup RUN into the adjacent RUN that wrote the files", PlanWS002},
  };
  return kRewrites;
}

const Rewrite* FindRewrite(std::string_view id) {
  for (const Rewrite& r : AllRewrites()) {
    if (id == r.id) return &r;
  }
  return nullptr;
}

}  // namespace whittle::fix
