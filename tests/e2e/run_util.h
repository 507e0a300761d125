// Helpers for end-to-end tests: run the real whittle binary (path in
// $WHITTLE_BIN) or another tool, capture stdout, stderr and the exit code.
#ifndef WHITTLE_TESTS_E2E_RUN_UTIL_H_
#define WHITTLE_TESTS_E2E_RUN_UTIL_H_

#include <string>
#include <vector>

namespace whittle::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  /// Peak resident set size of the command, in KiB (wait4's ru_maxrss).
  long max_rss_kib = 0;
};

/// Runs |argv| (no shell) with stdout/stderr captured.
RunResult RunCommand(const std::vector<std::string>& argv);
/// The whittle binary: $WHITTLE_BIN, else the build tree's.
std::string WhittleBinary();
/// |json| without its top-level `"image": ...` line: the reference as typed,
/// which differs between sources of the same image.
std::string DropImageField(const std::string& json);
/// Runs whittle with |args|.
RunResult RunWhittle(const std::vector<std::string>& args);
/// Runs a shell command line, returning its stdout (for baselines: tar, igzip).
RunResult RunShell(const std::string& command);

std::string SourcePath(const std::string& rel);  // WHITTLE_SOURCE_DIR + "/" + rel
std::string ReadFileOrDie(const std::string& path);
/// A fresh empty directory under $TMPDIR, removed by the caller if wanted.
std::string MakeTempDir();
/// Compares |got| with the golden file tests/cli/NAME; with
/// WHITTLE_UPDATE_GOLDENS=1 rewrites the golden instead. Returns "" on
/// match, else a diff-style message.
std::string CheckGolden(const std::string& name, const std::string& got);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_E2E_RUN_UTIL_H_
