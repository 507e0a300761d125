// The Dockerfile syntax tree that `whittle lint` works on.
//
// What it is: the result of parsing one Dockerfile with BuildKit's grammar
// (frontend/dockerfile/parser): parser directives, then a flat list of
// instructions, each with its flags, its arguments (exactly the values
// BuildKit's parser puts in its Node "Next" chain, so `--dump-ast` can
// reproduce `Node.Dump()`), plus structured conveniences the lint rules want
// (shell vs exec form, heredocs, key/value pairs, stages) and a source range
// for every piece.
//
// What it is not: BuildKit's second layer (frontend/dockerfile/instructions):
// no validation of flag names or argument counts beyond what the BuildKit
// parser itself rejects, and no variable expansion except where noted
// (Stage::image_expanded, see expand.h for the helper).
//
// Positions: lines and columns are 1-based; a column counts bytes, not
// characters. A SourceRange is half-open: |end| is the position just past the
// last byte (so "RUN" at line 3 column 1 has end {3, 4}). Byte offsets into
// Dockerfile::text are given as well, for a fixer.
//
// Lifetimes: every std::string_view in these types points into the text that
// was passed to ParseDockerfile(); that text must outlive the Dockerfile.
// Everything that is not contiguous in the file (continuation-joined lines,
// unquoted values) is an owned std::string.
#ifndef WHITTLE_LINT_AST_H_
#define WHITTLE_LINT_AST_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::lint {

struct SourcePos {
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based byte column; 0 = unknown
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

/// Half-open range [start, end) plus the same range as byte offsets into
/// Dockerfile::text.
struct SourceRange {
  SourcePos start;
  SourcePos end;
  size_t begin_offset = 0;
  size_t end_offset = 0;
};

/// One parser directive line (`# syntax=...`, `# escape=...`, `# check=...`).
struct Directive {
  std::string name;   // lower-cased: "syntax", "escape" or "check"
  std::string value;  // trimmed, as written
  SourceRange range;  // the whole comment line
};

struct Directives {
  std::optional<std::string> syntax;  // `# syntax=` value, e.g. "docker/dockerfile:1"
  std::optional<std::string> check;   // `# check=` value, e.g. "skip=all;error=true"
  char escape = '\\';                 // '\\' or '`'
  bool escape_set = false;            // an `# escape=` directive was given
  bool had_bom = false;               // a UTF-8 BOM was stripped
  std::vector<Directive> all;         // in file order
};

/// A `# ...` comment line (not a directive).
struct Comment {
  std::string_view text;  // after '#', surrounding whitespace trimmed
  SourceRange range;      // from '#' to end of line (no newline)
};

/// A `--name[=value]` flag before the arguments (`COPY --from=build`,
/// `RUN --mount=type=cache,target=/root/.cache`).
struct Flag {
  std::string raw;     // as BuildKit keeps it: quotes removed, "--mount=type=cache,..."
  std::string name;    // without the leading "--": "mount"
  std::string value;   // after the first '=', "" if none
  bool has_value = false;  // an '=' was present (`--link` has none)
  SourceRange range;
};

/// A heredoc attached to RUN/COPY/ADD (also inside ONBUILD).
struct Heredoc {
  std::string name;        // the delimiter word, quotes removed: "EOF"
  bool quoted = false;     // some part of the delimiter was quoted: body is not expanded
  bool strip_tabs = false; // `<<-EOF`: leading tabs are stripped from body lines
  int fd = -1;             // `3<<EOF` gives 3; -1 when no number was written
  std::string_view body;   // raw body lines with their newlines, tabs not stripped
  SourceRange marker_range;      // the `<<EOF` word in the instruction line
  SourceRange body_range;        // the body lines (empty range if no body)
  SourceRange terminator_range;  // the line holding the closing delimiter

  /// The body as the build sees it: leading tabs removed from each line when
  /// strip_tabs is set.
  std::string EffectiveBody() const;
};

enum class InstructionKind {
  kUnknown,  // not a Dockerfile instruction: BuildKit ignores its arguments
  kAdd,
  kArg,
  kCmd,
  kCopy,
  kEntrypoint,
  kEnv,
  kExpose,
  kFrom,
  kHealthcheck,
  kLabel,
  kMaintainer,
  kOnbuild,
  kRun,
  kShell,
  kStopsignal,
  kUser,
  kVolume,
  kWorkdir,
};

/// How the arguments were written.
enum class ArgForm {
  kNone,   // no arguments
  kShell,  // free text / words (RUN apt-get ..., COPY a b)
  kExec,   // a JSON array of strings (RUN ["a", "b"])
};

/// ARG/ENV/LABEL pairs.
struct KeyValue {
  std::string key;
  std::string value;      // quotes removed and escapes resolved (no $ expansion)
  std::string raw_value;  // as in the AST: quotes kept
  bool has_value = false; // false for a bare `ARG name`
  bool legacy = false;    // `ENV key value` / `LABEL key value` (no '=')
};

/// A piece of the logical line (continuations joined) and where it sits in
/// the file; used to map an offset in |Instruction::line| back to the file.
struct LineSegment {
  size_t line_offset = 0;  // offset in Instruction::line
  size_t file_offset = 0;  // offset in Dockerfile::text
  size_t length = 0;
  int line = 0;            // 1-based line number in the file
  int column = 0;          // 1-based column of file_offset
};

struct Instruction {
  InstructionKind kind = InstructionKind::kUnknown;
  std::string keyword;                // upper-cased: "RUN"
  std::string_view keyword_spelling;  // as written: "run"
  SourceRange keyword_range;

  /// The logical line: physical lines with continuation characters removed
  /// and joined, comment lines inside continuations dropped, leading
  /// whitespace of the first line trimmed (BuildKit's Node.Original).
  std::string line;
  std::vector<LineSegment> segments;

  std::vector<Flag> flags;

  ArgForm form = ArgForm::kNone;
  /// The values of BuildKit's Node "Next" chain, exactly as Node.Dump()
  /// prints them. Per instruction:
  ///   RUN/CMD/ENTRYPOINT/SHELL shell form: one element, the command text.
  ///   exec form (any instruction): the JSON array's strings.
  ///   ENV/LABEL: triples key, value (quotes kept), "=" or "" (legacy form).
  ///   ARG: one word per name or name=value (quotes kept).
  ///   FROM/EXPOSE/ADD/COPY/VOLUME shell form: whitespace-split words.
  ///   HEALTHCHECK: type ("CMD"/"NONE"/...), then as RUN.
  ///   MAINTAINER/USER/WORKDIR/STOPSIGNAL: one element, the text.
  ///   ONBUILD: empty; see |onbuild|. Unknown instruction: one "" element.
  std::vector<std::string> args;
  /// Where the arguments (after the flags) start and end in |line|, and the
  /// same in the file. For shell form this is the exact raw command text:
  /// args_text() == line.substr(args_offset, args_length).
  size_t args_offset = 0;
  size_t args_length = 0;
  SourceRange args_range;

  std::vector<Heredoc> heredocs;   // in the order their bodies follow
  std::vector<KeyValue> key_values;  // ARG/ENV/LABEL
  /// ONBUILD: exactly one element, the triggered instruction (its ranges
  /// are file ranges too). Empty otherwise, or for a bare `ONBUILD`.
  std::vector<Instruction> onbuild;

  std::vector<Comment> comments;  // comment lines since the previous instruction
  SourceRange range;  // keyword to end of last line (heredoc terminator included)

  /// BuildKit's StartLine/EndLine.
  int start_line() const { return range.start.line; }
  int end_line() const { return range.end.line; }
  bool is_exec_form() const { return form == ArgForm::kExec; }
  /// The raw argument text (shell form command text; JSON text for exec form).
  std::string_view args_text() const {
    return std::string_view(line).substr(args_offset, args_length);
  }
  /// The flag named |name| (without "--"); the last one if repeated.
  const Flag* FindFlag(std::string_view name) const;
  /// All flags named |name|, e.g. several --mount.
  std::vector<const Flag*> FindFlags(std::string_view name) const;
  /// Maps an offset in |line| to a file position (best effort at segment
  /// boundaries: the start of the next segment).
  SourcePos PosAt(size_t line_offset) const;
  /// File range of [line_begin, line_end) in |line|.
  SourceRange RangeOf(size_t line_begin, size_t line_end) const;
};

/// A build stage, opened by FROM.
struct Stage {
  size_t index = 0;              // 0-based stage number
  size_t from_instruction = 0;   // index in Dockerfile::instructions
  size_t end_instruction = 0;    // one past the stage's last instruction
  std::string image;             // as written: "python:${PY}-slim"
  std::string image_expanded;    // ARGs declared before the first FROM substituted
  std::string name;              // `AS name` as written; "" if none
  std::string name_lower;        // stage names are case-insensitive
  std::string platform;          // --platform value as written; "" if none
  SourceRange image_range;
  SourceRange name_range;        // zero range if no name
  bool parse_ok = true;          // false if FROM had an unexpected shape
};

struct ParseWarning {
  int line = 0;
  std::string message;  // e.g. "Empty continuation line found in: RUN a b"
};

struct Dockerfile {
  std::string_view text;  // the caller's bytes; must outlive this object
  std::string filename;
  Directives directives;
  std::vector<Instruction> instructions;
  std::vector<Stage> stages;
  std::vector<Comment> comments;  // every comment line, in order
  /// ARGs before the first FROM (the only ones FROM may use), with defaults.
  std::vector<KeyValue> global_args;
  std::vector<ParseWarning> warnings;
  int start_line = 0;  // first instruction line
  int end_line = 0;    // last instruction line
  /// Owns the few strings views must point at that are not contiguous in
  /// |text| (a keyword split by a line continuation). shared_ptr so that a
  /// copied Dockerfile keeps its views valid; the strings are immutable.
  std::vector<std::shared_ptr<const std::string>> storage;

  /// The stage called |name| (case-insensitive) or numbered |name|, or null.
  const Stage* FindStage(std::string_view name) const;
  /// The stage that contains instruction |index|, or null (before first FROM).
  const Stage* StageOf(size_t instruction_index) const;
};

}  // namespace whittle::lint

#endif  // WHITTLE_LINT_AST_H_
