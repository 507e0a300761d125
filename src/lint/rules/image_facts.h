// Facts about images and packages shared by the image rules (WS004, WS005,
// WS006, DL3026) and `whittle fix --suggest-multistage`: image reference
// parts, official images, the slim variant of a full build image, which
// installed packages are a build toolchain, and whether the target stage
// ships a base image rather than an application.
#ifndef WHITTLE_LINT_RULES_IMAGE_FACTS_H_
#define WHITTLE_LINT_RULES_IMAGE_FACTS_H_

#include <string>
#include <string_view>

#include "lint/rules/context.h"

namespace whittle::lint {

struct ImageRef {
  std::string registry;  // "" = Docker Hub
  std::string path;      // "library/python", "python", "org/app"
  std::string name;      // last path component: "python"
  std::string tag;       // "" if none
  std::string digest;    // "" if none
};

/// Splits "registry/path:tag@digest" (no defaults filled in).
ImageRef ParseImage(std::string_view s);
/// A Docker Hub official image ("python", "library/python").
bool IsOfficial(const ImageRef& r);

/// The package name of an install argument: "gcc=4:12" -> "gcc", lower-case.
std::string PackageName(std::string_view p);
/// A compiler, build tool or headers package (build-essential, gcc, *-dev...).
bool IsToolchainPackage(const std::string& n);
/// apt/yum/dnf/zypper install, apk add.
bool IsPackageInstall(const Command& c);
/// apt purge/remove, yum/dnf remove, zypper remove, apk del.
bool IsPackageRemove(const Command& c);

/// The slim candidate for an official full build image ("python:3.12" ->
/// "python:3.12-slim", "perl:5.40-threaded" -> "perl:5.40-slim-threaded",
/// "buildpack-deps:jammy" -> "ubuntu:jammy"; for golang/rust/gcc/JDK images
/// a sentence naming the runtime image), or "" if |r| is not a full build
/// image (slim/alpine variants, buildpack-deps' curl and scm variants).
std::string SlimCandidate(const ImageRef& r);

/// True when the target stage builds a base image (a language runtime or
/// toolchain others build FROM, like the official python or buildpack-deps
/// images) rather than an application: it has ONBUILD triggers, or it
/// copies in nothing from the build context but helper scripts (*.sh,
/// docker-*, *entrypoint*), and its CMD/ENTRYPOINT is absent, a helper
/// script or a bare interpreter (`python3`, `irb`, `php -a`). WS004 and
/// WS005 stay quiet there: the toolchain is the product. RuleContext::Build
/// computes it once; rules read RuleContext::ships_base_image().
bool ShipsABaseImage(const RuleContext& ctx);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_RULES_IMAGE_FACTS_H_
