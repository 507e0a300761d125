// Conventions every verb shares (STYLE.md §6, §10): exit codes, output
// formats, atomic output files, the argv walker. Diagnostics and terminal
// facts are in cli/console.h.
#ifndef WHITTLE_CLI_COMMON_H_
#define WHITTLE_CLI_COMMON_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace whittle {

/// The one mapping from a verb's outcome to its exit code (STYLE.md §6):
/// kOk when |status| is ok; every error category (usage, configuration,
/// missing, unreadable, corrupt or unsupported input, a bug) is kError.
/// "A check failed" (kCheckFailed) is not an error Status: verbs return it
/// as their result.
ExitCode ExitCodeFor(const Status& status);
/// The process exit status of |code| (0, 1, 2, or 128 + a signal's number:
/// 130, 143, ...).
inline int ExitStatus(ExitCode code) { return static_cast<int>(code); }

/// kMarkdown: GitHub-flavoured markdown tables (a CI job summary).
/// kCodeQuality: GitLab's code-quality report (a JSON array of issues).
enum class OutputFormat { kTty, kJson, kCsv, kTsv, kSarif, kJunit, kCheckstyle, kMarkdown, kCodeQuality };
/// Every format, in enum order.
inline constexpr OutputFormat kAllOutputFormats[] = {
    OutputFormat::kTty,   OutputFormat::kJson,       OutputFormat::kCsv,      OutputFormat::kTsv,
    OutputFormat::kSarif, OutputFormat::kJunit,      OutputFormat::kCheckstyle, OutputFormat::kMarkdown,
    OutputFormat::kCodeQuality};
/// The --format value of |format|: "tty", "json", ..., "markdown", "codequality".
const char* OutputFormatName(OutputFormat format);
/// Parses a --format value ("tty", "json", ...).
Result<OutputFormat> ParseOutputFormat(std::string_view value);

/// Writes |content| to |path| through a temp file in the same directory and
/// rename(), so a failure never leaves a partial file.
Status WriteFileAtomically(const std::string& path, std::string_view content);

/// Minimal argv walker under FlagSet (cli/flags.h): accepts `--flag v`,
/// `--flag=v` and short forms (`-n 5`, `-n5`). "--" ends the options: it is
/// consumed by TryDoubleDash(), and every argument after it is positional,
/// even one that starts with '-' or is another "--".
class ArgParser {
 public:
  explicit ArgParser(const std::vector<std::string>& args) : args_(args) {}
  bool Done() const { return i_ >= args_.size(); }
  /// True (and advances) if the current arg is the boolean flag |name|
  /// (or |short_name|, may be null). Always false after "--".
  bool TryFlag(const char* name, const char* short_name = nullptr);
  /// True if the current arg is option |name| with a value; the value is
  /// stored in |*value|. Missing value -> error() set. False after "--".
  bool TryOption(const char* name, const char* short_name, std::string* value);
  /// The current arg if it is positional (not starting with '-', exactly
  /// "-", or anything after "--"); advances.
  bool TryPositional(std::string* value);
  /// True if the current arg is the first "--" (advances; later args are
  /// positional).
  bool TryDoubleDash();
  /// True once "--" has been consumed.
  bool after_dashes() const { return after_dashes_; }
  const std::string& Current() const { return args_[i_]; }
  /// What to tell the user when no option matched the current argument:
  /// the parse error if there is one, else "unknown option 'ARG'".
  std::string UnexpectedMessage() const;
  const Status& error() const { return error_; }

 private:
  const std::vector<std::string>& args_;
  size_t i_ = 0;
  bool after_dashes_ = false;
  Status error_;
};

}  // namespace whittle

#endif  // WHITTLE_CLI_COMMON_H_
