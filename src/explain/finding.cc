#include "explain/finding.h"

namespace whittle::explain {

const char* LeverName(Lever lever) {
  switch (lever) {
    case Lever::kRightBase: return "right-base";
    case Lever::kSameRunCleanup: return "same-run-cleanup";
    case Lever::kMultiStage: return "multi-stage";
    case Lever::kFewerLayers: return "fewer-tighter-layers";
    case Lever::kBuildContext: return "build-context";
    case Lever::kLint: return "lint";
  }
  return "?";
}

const char* ConfidenceName(Confidence c) {
  switch (c) {
    case Confidence::kHigh: return "high";
    case Confidence::kMedium: return "medium";
    case Confidence::kLow: return "low";
  }
  return "?";
}

Confidence CapByMatch(Confidence c, MatchConfidence match) {
  switch (match) {
    case MatchConfidence::kExact:
    case MatchConfidence::kNormalized:
      return c;
    case MatchConfidence::kHistoryOnly:
      return c == Confidence::kHigh ? Confidence::kMedium : c;
    case MatchConfidence::kPositional:
    case MatchConfidence::kNone:
      return Confidence::kLow;
  }
  return c;
}

lint::Severity SeverityForBytes(uint64_t bytes) {
  return bytes >= (1u << 20) ? lint::Severity::kWarning : lint::Severity::kInfo;
}

}  // namespace whittle::explain
