#include "explain/finding.h"

#include <gtest/gtest.h>

namespace whittle::explain {
namespace {

TEST(CapByMatch, TheWeakestTieWins) {
  for (Confidence c : {Confidence::kHigh, Confidence::kMedium, Confidence::kLow}) {
    EXPECT_EQ(CapByMatch(c, MatchConfidence::kExact), c);
    EXPECT_EQ(CapByMatch(c, MatchConfidence::kNormalized), c);
    EXPECT_EQ(CapByMatch(c, MatchConfidence::kPositional), Confidence::kLow);
    EXPECT_EQ(CapByMatch(c, MatchConfidence::kNone), Confidence::kLow);
  }
  EXPECT_EQ(CapByMatch(Confidence::kHigh, MatchConfidence::kHistoryOnly), Confidence::kMedium);
  EXPECT_EQ(CapByMatch(Confidence::kMedium, MatchConfidence::kHistoryOnly), Confidence::kMedium);
  EXPECT_EQ(CapByMatch(Confidence::kLow, MatchConfidence::kHistoryOnly), Confidence::kLow);
}

TEST(SeverityForBytes, WarningFromOneMiB) {
  EXPECT_EQ(SeverityForBytes(1u << 20), lint::Severity::kWarning);
  EXPECT_EQ(SeverityForBytes((1u << 20) - 1), lint::Severity::kInfo);
}

}  // namespace
}  // namespace whittle::explain
