// Helpers shared by the detectors (explain/detect_*.cc): tallies of the
// bytes a finding is about, by layer and by owner, and the finding skeleton
// every measured detector fills the same way.
#ifndef WHITTLE_EXPLAIN_DETECT_UTIL_H_
#define WHITTLE_EXPLAIN_DETECT_UTIL_H_

#include <map>
#include <string>
#include <vector>

#include "explain/explain.h"

namespace whittle::explain {

/// Data bytes of a set of members, by layer and by owner label.
struct Tally {
  Bytes bytes;
  std::map<size_t, Bytes> by_layer;
  std::map<std::string, Bytes, std::less<>> by_owner;
  void Add(const ImageFacts& facts, EntryRef r);
  /// The layer holding the most bytes (-1 when empty); |skip_base| leaves
  /// the base layers out when any other layer has bytes.
  int HeaviestLayer(const ExplainContext& ctx, bool skip_base) const;
  /// "gcc-12 66.6 MiB, cpp-12 33.0 MiB, ... and 12 more": the top |n|
  /// owners by bytes, labels without their "deb:" prefix, [unowned] last.
  std::string TopOwners(size_t n) const;
};

/// "66.6 MiB".
std::string Size(uint64_t bytes);

/// A measured finding for |removal|, located at |layer| (or at the
/// target's FROM when |layer| < 0): layers, projection and severity set.
Finding MeasuredFinding(const ExplainContext& ctx, const char* id, Lever lever, const Tally& tally,
                        Removal removal, int layer);

/// The package name of a label: "deb:gcc-12" -> "gcc-12".
std::string_view PackageName(std::string_view label);

}  // namespace whittle::explain


namespace whittle::explain {

/// A slimmer sibling of base image |image| by the usual naming: "-slim"
/// added to the tag (python:3.12 -> python:3.12-slim), "full" -> "slim" in
/// the repository (x/base-full:1 -> x/base-slim:1). "" when |image| is
/// already slim, distroless, alpine or scratch.
std::string SlimmerBase(std::string_view image);

/// True when the kinds table (docs/kinds.md) calls package |name|'s files
/// toolchain (gcc-12, libc6-dev, build-essential...).
bool IsToolchainPackage(std::string_view eco, std::string_view name);

/// The install commands of a RUN instruction: {manager, packages}, for
/// apt-get/apt install, apk add, yum/dnf/microdnf install. Empty when the
/// shell splitter was unsure or it is not a RUN.
struct InstallCommand {
  std::string manager;  // "apt-get", "apk", ...
  std::vector<std::string> packages;
  bool no_install_recommends = false;
};
std::vector<InstallCommand> InstallCommands(const lint::Instruction& ins);

/// The command names a RUN (shell or exec form), CMD, ENTRYPOINT or
/// HEALTHCHECK runs, in order; empty when the splitter was unsure.
std::vector<std::string> CommandNames(const lint::Instruction& ins);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_DETECT_UTIL_H_
