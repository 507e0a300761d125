// The explain report's three forms: a ranked table for people, JSON in the
// shape issue 8 fixes, and SARIF whose messages carry the bytes, so code
// scanning shows "412 MiB: build toolchain shipped in the final stage" on
// the right line.
#ifndef WHITTLE_EXPLAIN_OUTPUT_H_
#define WHITTLE_EXPLAIN_OUTPUT_H_

#include <string>

#include "explain/explain.h"

namespace whittle::explain {

std::string FormatExplainTable(const ExplainReport& report);
/// {"image", "dockerfile", "sizeBytes", "blobBytes", "findings": [{"id",
/// "lever", "file", "line", "layers", "bytes", "projectedSizeBytes",
/// "projectedBlobBytes", "confidence", "message", "edit"}], "projectedAll":
/// {"sizeBytes", "blobBytes"}}; nulls where a value is not measured.
std::string FormatExplainJson(const ExplainReport& report);
std::string FormatExplainSarif(const ExplainReport& report, const std::string& version);
/// GitHub markdown for a CI job summary: the image's size, a table of the
/// measured findings (rank, bytes, where, lever, projected size,
/// confidence), the projected size with all of them, and the lint findings.
std::string FormatExplainMarkdown(const ExplainReport& report);
/// GitLab's code-quality JSON (util/code_quality.h): one issue per finding,
/// at its Dockerfile line; without a Dockerfile (or a line) the path is
/// "Dockerfile" and the line 1, as GitLab needs a location.
std::string FormatExplainCodeQuality(const ExplainReport& report);

/// True when a finding reaches |threshold| (lint's severity order).
bool AnyFindingReaches(const ExplainReport& report, lint::Severity threshold);

}  // namespace whittle::explain

#endif  // WHITTLE_EXPLAIN_OUTPUT_H_
