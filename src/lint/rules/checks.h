// The rule functions, one per id; registry.cc puts them in the table.
// Internal to the lint module: use AllRules() (rule.h) instead.
#ifndef WHITTLE_LINT_RULES_CHECKS_H_
#define WHITTLE_LINT_RULES_CHECKS_H_

#include <vector>

#include "lint/rules/context.h"
#include "lint/rules/rule.h"

namespace whittle::lint::checks {

// package_rules.cc: same-RUN cleanup of package-manager caches.
void DL3009(const RuleContext& ctx, std::vector<Finding>* out);
void DL3015(const RuleContext& ctx, std::vector<Finding>* out);
void DL3019(const RuleContext& ctx, std::vector<Finding>* out);
void DL3032(const RuleContext& ctx, std::vector<Finding>* out);
void DL3036(const RuleContext& ctx, std::vector<Finding>* out);
void DL3040(const RuleContext& ctx, std::vector<Finding>* out);
void DL3042(const RuleContext& ctx, std::vector<Finding>* out);
void DL3060(const RuleContext& ctx, std::vector<Finding>* out);
void WS001(const RuleContext& ctx, std::vector<Finding>* out);
void WS003(const RuleContext& ctx, std::vector<Finding>* out);

// layer_rules.cc: how instructions make layers.
void DL3046(const RuleContext& ctx, std::vector<Finding>* out);
void DL3059(const RuleContext& ctx, std::vector<Finding>* out);
void DL3067(const RuleContext& ctx, std::vector<Finding>* out);
void WS002(const RuleContext& ctx, std::vector<Finding>* out);
void WS008(const RuleContext& ctx, std::vector<Finding>* out);

// image_rules.cc: base images and what a shipping stage installs.
void DL3006(const RuleContext& ctx, std::vector<Finding>* out);
void DL3007(const RuleContext& ctx, std::vector<Finding>* out);
void DL3026(const RuleContext& ctx, std::vector<Finding>* out);
void WS004(const RuleContext& ctx, std::vector<Finding>* out);
void WS005(const RuleContext& ctx, std::vector<Finding>* out);
void WS006(const RuleContext& ctx, std::vector<Finding>* out);

// context_rules.cc: the build context.
void WS007(const RuleContext& ctx, std::vector<Finding>* out);

// syntax_rules.cc: what BuildKit refuses to build.
void WS009(const RuleContext& ctx, std::vector<Finding>* out);

}  // namespace whittle::lint::checks

#endif  // WHITTLE_LINT_RULES_CHECKS_H_
