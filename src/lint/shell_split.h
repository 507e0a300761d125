// SplitShell: a small, conservative POSIX-shell splitter for RUN bodies.
//
// It finds the simple commands a shell-form RUN executes and their argument
// words, so a rule can ask "does this RUN call `apt-get install` without
// `--no-install-recommends`?" It is not a shell: anything it does not fully
// understand (functions, command substitution used as a command,
// here-strings, arithmetic, redirections it cannot parse...) sets
// ShellScript::uncertain, and rules must then degrade to "no finding"
// rather than guess.
//
// Compound commands (if/elif/else, for/select, while/until, case) are
// followed: the simple commands of their conditions and bodies are listed
// in text order with in_compound (and in_group) set, because any of them
// may run. `[[ ... ]]` is one command whose words include its operators.
//
// Understood: words with '', "", $'' quoting and backslash escapes,
// backslash-newline continuations, comments, the operators && || ; | & and
// newlines, leading NAME=value assignments, `set -e`-style lines,
// redirections (kept out of argv), `( ... )` and `{ ...; }` groups
// (flattened: their commands are listed in order with in_group set), and
// `sh -c '...'` / `bash -c "..."` (the script argument is split again and
// its commands listed after the sh command with nested set).
#ifndef WHITTLE_LINT_SHELL_SPLIT_H_
#define WHITTLE_LINT_SHELL_SPLIT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::lint {

/// The operator that follows a command (joins it to the next one).
enum class ShellOp {
  kEnd,         // last command
  kAnd,         // &&
  kOr,          // ||
  kSemicolon,   // ;
  kNewline,     // an unescaped newline
  kPipe,        // | (or |&)
  kBackground,  // &
};

/// Where one argv word sits in the text given to SplitShell: [begin, end)
/// covers the word as written (quotes and escapes included).
struct WordRange {
  size_t begin = 0;
  size_t end = 0;
};

struct ShellCommand {
  std::vector<std::string> argv;  // words with quotes removed, assignments and redirections excluded
  std::vector<WordRange> argv_ranges;  // parallel to argv
  std::vector<std::string> env;   // leading NAME=value assignments ("DEBIAN_FRONTEND=noninteractive")
  ShellOp op = ShellOp::kEnd;
  size_t begin = 0;  // byte range of the command in the text given to SplitShell
  size_t end = 0;
  bool in_group = false;  // inside ( ), { } or a compound command (in_compound)
  bool in_compound = false;  // inside if/for/while/until/case: may run zero or many times
  int nested = 0;         // 0 = top level; 1 = from `sh -c '...'`, 2 = sh -c inside that...
  /// begin/end and argv_ranges are exact byte ranges in the script. False
  /// only for commands of an `sh -c` script that is not a simply quoted
  /// word: their ranges all cover the whole `sh -c` command.
  bool ranges_exact = true;

  /// argv[0] or "" when the command is only assignments.
  std::string_view name() const { return argv.empty() ? std::string_view() : argv[0]; }
};

struct ShellScript {
  std::vector<ShellCommand> commands;
  bool uncertain = false;  // a construct was not understood; see reason
  std::string reason;      // what made it uncertain (for debugging), "" if certain
  bool errexit = false;    // a `set -e` / `set -eux` / `set -o errexit` was seen
  bool has_or = false;     // some command is followed by ||
};

/// Splits |script|. Ranges of commands from a re-split `sh -c` script are
/// mapped back into |script| when the script argument is a simple quoted
/// word, else they cover the whole `sh -c` word.
ShellScript SplitShell(std::string_view script);

const char* ShellOpName(ShellOp op);

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_SHELL_SPLIT_H_
