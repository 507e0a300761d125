#include "cli/console.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace whittle {

namespace {

bool TermIsDumb() {
  const char* term = std::getenv("TERM");
  return term != nullptr && std::strcmp(term, "dumb") == 0;
}

// A terminal whose TERM is not "dumb".
bool StdoutIsTty() { return isatty(1) && !TermIsDumb(); }
bool StderrIsTty() { return isatty(2) && !TermIsDumb(); }

// Colour on stdout: a terminal, NO_COLOR unset; CLICOLOR_FORCE=1 forces it.
bool UseColor() {
  const char* force = std::getenv("CLICOLOR_FORCE");
  if (force && *force && std::strcmp(force, "0") != 0) return true;
  const char* no = std::getenv("NO_COLOR");
  if (no && *no) return false;
  return StdoutIsTty();
}

// Width of the stdout terminal (COLUMNS, then TIOCGWINSZ), 0 when not one.
int TerminalWidth() {
  if (!StdoutIsTty()) return 0;
  if (const char* c = std::getenv("COLUMNS")) {
    int v = std::atoi(c);
    if (v > 0) return v;
  }
  struct winsize ws;
  if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

}  // namespace

Console& Console::Std() {
  static Console* console = [] {
    auto* c = new Console();  // never destroyed: verbs may print until exit
    c->terminal_width_ = static_cast<size_t>(TerminalWidth());
    c->color_ = UseColor();
    c->stderr_tty_ = StderrIsTty();
    return c;
  }();
  return *console;
}

void Console::Write(std::string_view bytes) {
  if (out_ != nullptr) {
    out_->append(bytes);
  } else {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
  }
}

void Console::Flush() {
  if (out_ == nullptr) std::fflush(stdout);
}

void Console::WriteError(std::string_view bytes) {
  Raw(bytes);
}

void Console::Raw(std::string_view bytes) {
  if (err_ != nullptr) {
    err_->append(bytes);
  } else {
    std::fwrite(bytes.data(), 1, bytes.size(), stderr);
  }
}

// One write per line: stderr is unbuffered, and a line must not interleave.
void Console::Error(std::string_view message) { WriteError("whittle: " + std::string(message) + "\n"); }

void Console::Warning(std::string_view message) {
  if (!quiet_) WriteError("whittle: warning: " + std::string(message) + "\n");
}

void Console::Note(std::string_view message) {
  if (verbose_) WriteError("whittle: " + std::string(message) + "\n");
}

void Console::Progress(std::string_view line) {
  if (!stderr_tty_ || quiet_) return;
  Raw(line.empty() ? std::string("\r\033[K") : "\r" + std::string(line));
  if (err_ == nullptr) std::fflush(stderr);
}

}  // namespace whittle
