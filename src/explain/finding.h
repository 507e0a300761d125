// Finding: one measured piece of advice of `whittle explain` — the
// Dockerfile line it is about, the layers, the bytes it costs (measured in
// the image), the lever that removes them, the concrete edit, the image it
// would leave, and how sure we are.
#ifndef WHITTLE_EXPLAIN_FINDING_H_
#define WHITTLE_EXPLAIN_FINDING_H_

#include <optional>
#include <string>
#include <vector>

#include "explain/image_facts.h"
#include "explain/instruction_forms.h"
#include "explain/removal.h"
#include "lint/rules/rule.h"

namespace whittle::explain {

/// The four levers of the method, plus build context, plus plain lint.
enum class Lever {
  kRightBase,        // -slim, distroless, scratch over a full base
  kSameRunCleanup,   // install and clean up in one RUN
  kMultiStage,       // leave the toolchain in a builder stage
  kFewerLayers,      // fewer, tighter layers: --no-install-recommends, drop what is not needed
  kBuildContext,     // copy only what is needed (.dockerignore)
  kLint,             // a lint finding that carries no bytes
};
/// "right-base", "same-run-cleanup", "multi-stage", "fewer-tighter-layers",
/// "build-context", "lint".
const char* LeverName(Lever lever);

enum class Confidence { kHigh, kMedium, kLow };
/// "high", "medium", "low".
const char* ConfidenceName(Confidence c);

struct Finding {
  std::string id;  // "toolchain", "base", ..., or a lint code ("DL3059")
  Lever lever = Lever::kLint;
  /// The Dockerfile instruction and its first line; -1 / 0 without one.
  int instruction = -1;
  int line = 0;
  /// Where the line comes from when there is no Dockerfile: the history's
  /// instruction text ("RUN apt-get update").
  std::string history_text;
  std::vector<size_t> layers;  // 0-based layer indexes
  /// Measured data bytes (as `profile` counts them) this finding is about.
  Bytes bytes;
  /// The image if this edit alone is applied; absent when it cannot be
  /// measured (a base swap without --try-base, a lint-only finding).
  std::optional<Bytes> projected;
  Confidence confidence = Confidence::kMedium;
  std::string message;
  std::string edit;
  lint::Severity severity = lint::Severity::kWarning;
  /// What the edit removes, for the union in projectedAll.
  Removal removal;
  /// What it adds: the candidate base's layers (a measured base swap).
  Bytes added;
  bool measured() const { return lever != Lever::kLint; }
};

/// A finding's confidence lowered by how its layers were tied to the
/// Dockerfile: an exact or normalised match leaves it as it is, the history
/// alone caps it at medium, a match by position only (or none) makes it low.
Confidence CapByMatch(Confidence c, MatchConfidence match);

/// Severity of a measured finding: warning from 1 MiB, info below.
lint::Severity SeverityForBytes(uint64_t bytes);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_FINDING_H_
