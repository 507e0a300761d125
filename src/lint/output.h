// Printers for `whittle lint` results. Each takes the finished per-file
// reports and returns the whole document; they never look at the
// Dockerfiles again. Files are printed in the order given, findings in
// each file's order (linter.h sorts them).
//
//   tty         FILE:LINE:COL SEVERITY ID MESSAGE   (one per line; with
//               |color|, the severity is coloured). Files that failed print
//               "FILE:LINE: message" (or the error) on their own line.
//   json        hadolint's shape: one array of
//               {code, column, file, level, line, message}; a file that
//               failed adds an entry with code "DL1000", level "error"
//               (hadolint's parse-error code).
//   sarif       SARIF 2.1.0 (output_sarif.cc).
//   junit       one <testsuite> per file, one failed <testcase> per finding
//               (a passing testcase when the file is clean).
//   checkstyle  <checkstyle version="4.3"> with one <file> per file.
//   codequality GitLab's code-quality JSON (util/code_quality.h); a file
//               that failed adds a DL1000 issue, as json does.
#ifndef WHITTLE_LINT_OUTPUT_H_
#define WHITTLE_LINT_OUTPUT_H_

#include <string>
#include <string_view>
#include <vector>

#include "lint/linter.h"

namespace whittle::lint {

std::string FormatTty(const std::vector<FileReport>& reports, bool color);
std::string FormatJson(const std::vector<FileReport>& reports);

/// The json format written one file at a time, so memory stays flat however
/// many files one call names: Begin(), then Add() per file, then End(). The
/// concatenated pieces are byte-identical to FormatJson over all the files.
class JsonStream {
 public:
  /// The bytes before the first file: "[".
  std::string Begin() const { return "["; }
  /// |report|'s entries, with a leading ',' unless they are the first.
  std::string Add(const FileReport& report);
  /// The bytes after the last file: "]\n".
  std::string End() const { return "]\n"; }

 private:
  bool first_ = true;  // no entry written yet
};

std::string FormatCheckstyle(const std::vector<FileReport>& reports);
std::string FormatJunit(const std::vector<FileReport>& reports);
std::string FormatCodeQuality(const std::vector<FileReport>& reports);
/// |tool_version| goes to runs[0].tool.driver.version.
std::string FormatSarif(const std::vector<FileReport>& reports, std::string_view tool_version);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_OUTPUT_H_
