// Printing a CompactResult: a table of layers (kept / replaced / added) with
// blob and tar sizes, before/after totals and the verification line; or the
// same as JSON.
#ifndef WHITTLE_COMPACT_COMPACT_REPORT_H_
#define WHITTLE_COMPACT_COMPACT_REPORT_H_

#include <string>

#include "compact/compact.h"

namespace whittle {

std::string FormatCompactText(const CompactResult& r);
std::string FormatCompactJson(const CompactResult& r);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_COMPACT_REPORT_H_
