// Printers for `whittle ci`: PASS/FAIL/SKIP lines, JSON and JUnit XML over
// evaluated rules. Pure text functions.
#ifndef WHITTLE_WASTE_CI_REPORT_H_
#define WHITTLE_WASTE_CI_REPORT_H_

#include <string>
#include <vector>

#include "waste/ci_rules.h"

namespace whittle {

struct CiOutcome {
  std::string image;
  std::vector<std::string> sources;  // rule files used; empty with dive defaults
  bool no_rules_file = false;
  bool used_dive_defaults = false;
  CiMetrics metrics;
  std::vector<RuleResult> results;
  bool pass() const;
};

std::string FormatCiText(const CiOutcome& o);
std::string FormatCiJson(const CiOutcome& o);
/// One <testsuite> with one <testcase> per rule; skipped rules as <skipped/>.
std::string FormatCiJunit(const CiOutcome& o);

}  // namespace whittle

#endif  // WHITTLE_WASTE_CI_REPORT_H_
