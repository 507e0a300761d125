// The linter: parse a Dockerfile, run every rule, apply the configuration
// (ignored ids, severity overrides, inline pragmas) and return the findings
// sorted by position. One call per file; files are independent, so a file
// that fails to parse does not stop the others.
//
// What it is not: the output formats (output.h) or the CLI (cli/lint_command.cc).
#ifndef WHITTLE_LINT_LINTER_H_
#define WHITTLE_LINT_LINTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "lint/ast.h"
#include "lint/lint_config.h"
#include "lint/rules/context.h"
#include "lint/rules/rule.h"
#include "util/status.h"

namespace whittle::lint {

/// Largest Dockerfile read (the parser caps lines; this caps the file).
inline constexpr size_t kMaxDockerfileBytes = 16u << 20;

struct LintOptions {
  LintConfig config;
  /// Stage the build targets (name or index); "" = the last stage.
  std::string target;
  /// Build context directory for the .dockerignore lookup; "" = the
  /// Dockerfile's directory.
  std::string context_dir;
  /// Look at the build context at all (false for stdin and in tests that
  /// give ContextFacts themselves).
  bool use_context = true;
};

/// The result for one file.
struct FileReport {
  std::string path;               // as given (printed in messages)
  std::vector<Finding> findings;  // after config; sorted by line, column, code
  /// Not ok when the file could not be read or parsed (or --target is
  /// unknown); findings is then empty. The message is "FILE:LINE: message".
  Status error;
  int error_line = 0;  // the LINE of a parse error, 0 if none / unknown
};

/// Runs the rules over a parsed file and applies |config|. |facts| gives
/// the build-context facts (ContextFacts::known false: skip WS007).
Result<std::vector<Finding>> LintParsed(const Dockerfile& df, const LintOptions& options, ContextFacts facts);

/// Parses |text| (named |path| in messages) and lints it; the context facts
/// come from the file system when options.use_context is set.
FileReport LintText(std::string_view text, const std::string& path, const LintOptions& options);

/// Reads |path| and lints it ("-" reads stdin).
FileReport LintFile(const std::string& path, const LintOptions& options);

/// BuildKit's .dockerignore lookup for |dockerfile_path| and |context_dir|
/// ("" = the Dockerfile's directory): `<Dockerfile>.dockerignore` next to
/// the Dockerfile first, then `.dockerignore` at the context root.
ContextFacts ReadContextFacts(const std::string& dockerfile_path, const std::string& context_dir);

/// Whether .dockerignore |content| excludes the top-level `.git` directory
/// (patterns in order, `!` re-includes, last match wins, as Docker does).
bool DockerignoreExcludesGit(std::string_view content);

/// True when any finding reaches |threshold|.
bool AnyReaches(const std::vector<FileReport>& reports, Severity threshold);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_LINTER_H_
