// Conventions every verb shares (STYLE.md §10): diagnostics, output formats,
// TTY detection, atomic output files, option parsing helpers.
#ifndef WHITTLE_CLI_COMMON_H_
#define WHITTLE_CLI_COMMON_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace whittle {

/// Prints "whittle: MESSAGE" to stderr.
void PrintError(const Status& status);
void PrintError(std::string_view message);
void PrintWarning(std::string_view message);  // "whittle: warning: MESSAGE"

/// Maps an error to the exit code (always kError = 2 for errors).
int ExitCodeFor(const Status& status);

enum class OutputFormat { kTty, kJson, kCsv, kTsv, kSarif, kJunit, kCheckstyle };
/// Parses a --format value ("tty", "json", ...).
Result<OutputFormat> ParseOutputFormat(std::string_view value);

/// True when stdout is a terminal and TERM is not "dumb".
bool StdoutIsTty();
bool StderrIsTty();
/// Colour on stdout: a TTY, NO_COLOR unset; CLICOLOR_FORCE=1 forces it.
bool UseColor();
/// Terminal width of stdout (COLUMNS, then TIOCGWINSZ), 0 when not a TTY.
int TerminalWidth();

/// Writes |content| to |path| through a temp file in the same directory and
/// rename(), so a failure never leaves a partial file.
Status WriteFileAtomically(const std::string& path, std::string_view content);

/// Minimal argv walker shared by verbs: accepts `--flag v` and `--flag=v`
/// and short forms. Unknown options are usage errors.
class ArgParser {
 public:
  explicit ArgParser(const std::vector<std::string>& args) : args_(args) {}
  bool Done() const { return i_ >= args_.size(); }
  /// True (and advances) if the current arg is the boolean flag |name|
  /// (or |short_name|, may be null).
  bool TryFlag(const char* name, const char* short_name = nullptr);
  /// True if the current arg is option |name| with a value; the value is
  /// stored in |*value|. Missing value -> |*error| set.
  bool TryOption(const char* name, const char* short_name, std::string* value);
  /// The current arg if it is positional (not starting with '-', or after
  /// "--" or exactly "-"); advances.
  bool TryPositional(std::string* value);
  /// True if the current arg is exactly "--" (advances).
  bool TryDoubleDash();
  const std::string& Current() const { return args_[i_]; }
  /// What to tell the user when no option matched the current argument:
  /// the parse error if there is one, else "unknown option 'ARG'".
  std::string UnexpectedMessage() const;
  const Status& error() const { return error_; }

 private:
  const std::vector<std::string>& args_;
  size_t i_ = 0;
  Status error_;
};

}  // namespace whittle

#endif  // WHITTLE_CLI_COMMON_H_
