// Helpers shared by the lint printers (output.cc, output_sarif.cc).
#ifndef WHITTLE_LINT_OUTPUT_INTERNAL_H_
#define WHITTLE_LINT_OUTPUT_INTERNAL_H_

#include <string>

#include "lint/linter.h"

namespace whittle::lint {

/// A failed file's error message without its "FILE:LINE: " prefix.
std::string ErrorText(const FileReport& report);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_OUTPUT_INTERNAL_H_
