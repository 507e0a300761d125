// RunText: where the pieces of one RUN instruction sit in the Dockerfile's
// bytes, so a rewrite can turn the shell splitter's script offsets
// (ShellCommand::begin/end, argv_ranges) into file offsets for an Edit.
//
// Two script shapes can be edited:
//   shell form   `RUN apt-get update && ...`, possibly continued over
//                several lines (with comment lines in between): the script
//                is the logical line's argument text, and its offsets map
//                to the file through Instruction::segments;
//   heredoc      `RUN [sh] <<EOF` whose body is the script: body offsets
//                are file offsets from the body's start (bodies written
//                with `<<-` have tabs stripped and are not edited).
// Exec-form RUNs, heredocs that are not the script, and scripts the
// splitter did not understand are refused with a reason (For()).
//
// It also answers the layout questions a rewrite needs to keep the file's
// own style: the physical line around an offset, its line ending (CRLF files
// stay CRLF), and the escape character (`# escape=\``).
#ifndef WHITTLE_FIX_RUN_TEXT_H_
#define WHITTLE_FIX_RUN_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "lint/ast.h"
#include "lint/rules/context.h"
#include "util/status.h"

namespace whittle::fix {

/// Physical-line helpers over the whole file text.
size_t LineStartAt(std::string_view text, size_t offset);
/// The end of the line holding |offset|, before its "\n" or "\r\n".
size_t LineEndAt(std::string_view text, size_t offset);
/// "\r\n" when the line holding |offset| ends with CRLF, else "\n".
std::string LineEndingAt(std::string_view text, size_t offset);
/// True when the byte before |offset| is a backslash: text inserted there
/// would be escaped by it (a RUN ending in `\` under `# escape=\``).
inline bool AfterBackslash(std::string_view text, size_t offset) {
  return offset > 0 && offset <= text.size() && text[offset - 1] == '\\';
}
/// The blanks (spaces, tabs) at the start of the line holding |offset|.
std::string_view IndentAt(std::string_view text, size_t offset);

class RunText {
 public:
  /// Locates RUN |ins| (with its facts |run|) in |text|. Returns an error
  /// whose message is the refusal reason ("exec-form RUN (JSON array)",
  /// "shell not understood: ...") when its script cannot be edited.
  static Result<RunText> For(std::string_view text, const lint::Instruction& ins, const lint::RunFacts& run,
                             char escape);

  /// File offset of the position just after script byte |script_end - 1|
  /// (the insertion point after a word or command that ends there).
  size_t After(size_t script_end) const;
  /// File offset of script byte |script_begin|.
  size_t Before(size_t script_begin) const;

  bool is_heredoc() const { return heredoc_ != nullptr; }
  const lint::Instruction& instruction() const { return *ins_; }
  const lint::RunFacts& run() const { return *run_; }
  char escape() const { return escape_; }
  std::string_view text() const { return text_; }
  /// The script as the splitter saw it.
  std::string_view script() const { return script_; }

  /// The last command at the top level (not inside `sh -c`), or null.
  const lint::Command* LastTopLevel() const;

 private:
  RunText() = default;
  std::string_view text_;
  const lint::Instruction* ins_ = nullptr;
  const lint::RunFacts* run_ = nullptr;
  const lint::Heredoc* heredoc_ = nullptr;  // the script body, for heredoc RUNs
  std::string script_;
  char escape_ = '\\';
};

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_RUN_TEXT_H_
