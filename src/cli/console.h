// Console: where a verb's bytes go. In the binary that is stdout (results)
// and stderr (diagnostics, "whittle: " prefixed, and a progress line on a
// terminal); in tests both are strings, so a verb runs in-process and its
// output is compared byte for byte.
//
// What it is not: a formatter. Printers return text; verbs Write() it.
#ifndef WHITTLE_CLI_CONSOLE_H_
#define WHITTLE_CLI_CONSOLE_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "util/status.h"

namespace whittle {

class Console {
 public:
  /// The process's stdout and stderr; terminal facts come from them and
  /// from the environment (TERM, COLUMNS, NO_COLOR, CLICOLOR_FORCE).
  static Console& Std();
  /// Captures stdout into |*out| and stderr into |*err| (both must outlive
  /// the console). Never a terminal: no colour, no width, no progress.
  Console(std::string* out, std::string* err) : out_(out), err_(err) {}

  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  /// Result bytes, to stdout.
  void Write(std::string_view bytes);
  /// Flushes stdout, so that a diagnostic that follows lands after it.
  void Flush();
  /// "whittle: MESSAGE" on stderr.
  void Error(std::string_view message);
  void Error(const Status& status) { Error(status.message()); }
  /// "whittle: warning: MESSAGE" on stderr, unless quiet.
  void Warning(std::string_view message);
  /// "whittle: MESSAGE" on stderr, only when verbose: what was read.
  void Note(std::string_view message);
  /// Raw bytes to stderr (the top-level usage when no verb is given).
  void WriteError(std::string_view bytes);
  /// Rewrites the one progress line on stderr (a terminal only, not quiet);
  /// Progress("") clears it.
  void Progress(std::string_view line);

  /// Width of the stdout terminal, 0 when stdout is not a terminal.
  size_t terminal_width() const { return terminal_width_; }
  /// Colour on stdout (a terminal, NO_COLOR unset, or CLICOLOR_FORCE).
  bool color() const { return color_; }
  bool stderr_is_tty() const { return stderr_tty_; }

  /// -q/--quiet, the same in every verb: no warnings and no progress line;
  /// errors and results are still printed. -v/--verbose: Note()s too. The
  /// last of the two on a command line wins.
  void set_quiet(bool quiet) {
    quiet_ = quiet;
    if (quiet) verbose_ = false;
  }
  void set_verbose(bool verbose) {
    verbose_ = verbose;
    if (verbose) quiet_ = false;
  }
  bool quiet() const { return quiet_; }
  bool verbose() const { return verbose_; }

 private:
  Console() = default;  // Std()

  std::string* out_ = nullptr;  // null: the process's stdout
  std::string* err_ = nullptr;  // null: the process's stderr
  size_t terminal_width_ = 0;
  bool color_ = false;
  bool stderr_tty_ = false;
  bool quiet_ = false;
  bool verbose_ = false;
  void Raw(std::string_view bytes);  // to stderr, not counted in wrote_
};

}  // namespace whittle

#endif  // WHITTLE_CLI_CONSOLE_H_
