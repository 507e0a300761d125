// Fuzz target for the Dockerfile parser and the linter (invariants in
// dockerfile_fuzz.h). Must never crash or hang. Built as a libFuzzer binary
// by -DWHITTLE_FUZZ=ON (fuzz/run) and replayed over
// tests/fuzz/corpus/dockerfile plus deterministic mutations by
// lint_parser_test (src/lint/dockerfile_fuzz_test.cc).
#include "fuzz/dockerfile_fuzz.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>

#include "lint/ast_dump.h"
#include "lint/dockerfile_parser.h"
#include "lint/expand.h"
#include "lint/linter.h"
#include "lint/output.h"
#include "lint/shell_split.h"
#include "util/strings.h"

namespace whittle::fuzz {
namespace {

using lint::Dockerfile;
using lint::Instruction;
using lint::SourcePos;
using lint::SourceRange;

constexpr char kFileName[] = "fuzz";
constexpr char kOtherName[] = "other/Dockerfile";

bool Inside(std::string_view outer, std::string_view inner) {
  if (inner.empty()) return true;
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

// Collects the first violation; later checks are skipped once one is found.
class Checker {
 public:
  Checker(std::string_view text, int lines) : text_(text), lines_(lines) {}

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  void Expect(bool cond, const std::string& what) {
    if (!cond && error_.empty()) error_ = what;
  }
  // Line 0 means "unknown" (e.g. an absent stage name); anything else must
  // be a line of the file.
  void Line(int line, const std::string& what, bool known = false) {
    if (known) Expect(line >= 1, what + ": line " + std::to_string(line) + " is not a line number");
    Expect(line == 0 || (line >= 1 && line <= lines_),
           what + ": line " + std::to_string(line) + " outside a " + std::to_string(lines_) + "-line file");
  }
  void Range(const SourceRange& r, const std::string& what, bool known = false) {
    Expect(r.begin_offset <= r.end_offset, what + ": range ends before it begins");
    Expect(r.end_offset <= text_.size(), what + ": range ends past the text");
    Expect(r.start.line <= r.end.line, what + ": range ends on an earlier line");
    Line(r.start.line, what + " start", known);
    Line(r.end.line, what + " end", known);
  }

 private:
  std::string_view text_;
  int lines_;
  std::string error_;
};

void CheckInstruction(const Instruction& ins, std::string_view text, const std::string& where, Checker* c) {
  c->Range(ins.range, where + " range", /*known=*/true);
  c->Range(ins.keyword_range, where + " keyword", /*known=*/true);
  c->Range(ins.args_range, where + " arguments");
  c->Expect(ins.args_offset + ins.args_length <= ins.line.size(), where + ": arguments outside the line");
  for (const auto& f : ins.flags) c->Range(f.range, where + " flag");
  for (const auto& s : ins.segments) {
    c->Expect(s.file_offset + s.length <= text.size(), where + ": line segment outside the text");
    c->Expect(s.line_offset + s.length <= ins.line.size(), where + ": line segment outside the line");
    c->Line(s.line, where + " segment", /*known=*/true);
  }
  for (const auto& h : ins.heredocs) {
    c->Expect(Inside(text, h.body), where + ": heredoc body outside the text");
    c->Range(h.body_range, where + " heredoc body");
    c->Range(h.marker_range, where + " heredoc marker");
    c->Range(h.terminator_range, where + " heredoc terminator");
    (void)h.EffectiveBody();
  }
  for (const auto& cm : ins.comments) c->Expect(Inside(text, cm.text), where + ": comment outside the text");
  if (ins.kind == lint::InstructionKind::kRun && ins.form == lint::ArgForm::kShell) {
    lint::ShellScript s = lint::SplitShell(ins.args_text());
    for (const auto& cmd : s.commands) {
      c->Expect(cmd.begin <= cmd.end && cmd.end <= ins.args_text().size(), where + ": shell command outside RUN");
    }
  }
  for (const auto& sub : ins.onbuild) CheckInstruction(sub, text, where + " ONBUILD", c);
}

// Everything a parse produced that must not change between two parses of
// the same text (the file name is left out on purpose).
std::string Fingerprint(const Dockerfile& df) {
  std::string out = lint::DumpAst(df);
  auto range = [&](const SourceRange& r) {
    out += StrFormat(" [%d:%d-%d:%d %zu-%zu]", r.start.line, r.start.column, r.end.line, r.end.column, r.begin_offset,
                     r.end_offset);
  };
  auto add_instruction = [&](const Instruction& ins, auto& self) -> void {
    out += "\n" + ins.keyword + " " + ins.line;
    range(ins.range);
    range(ins.keyword_range);
    range(ins.args_range);
    for (const auto& f : ins.flags) {
      out += " flag " + f.raw;
      range(f.range);
    }
    for (const auto& h : ins.heredocs) {
      out += " heredoc " + h.name + std::string(h.body);
      range(h.body_range);
    }
    for (const auto& kv : ins.key_values) out += " kv " + kv.key + "=" + kv.value;
    for (const auto& sub : ins.onbuild) self(sub, self);
  };
  for (const auto& ins : df.instructions) add_instruction(ins, add_instruction);
  for (const auto& cm : df.comments) {
    out += "\n# " + std::string(cm.text);
    range(cm.range);
  }
  for (const auto& st : df.stages) {
    out += StrFormat("\nstage %zu %zu-%zu ", st.index, st.from_instruction, st.end_instruction) + st.image + " " +
           st.image_expanded + " " + st.name + " " + st.platform;
  }
  for (const auto& w : df.warnings) out += StrFormat("\nwarning %d ", w.line) + w.message;
  for (const auto& d : df.directives.all) out += "\ndirective " + d.name + "=" + d.value;
  out += StrFormat("\nlines %d-%d escape %c bom %d", df.start_line, df.end_line, df.directives.escape,
                   df.directives.had_bom ? 1 : 0);
  return out;
}

// "NAME:LINE: message" -> LINE, or -1.
int ErrorLine(const std::string& msg, std::string_view name) {
  if (!StartsWith(msg, std::string(name) + ":")) return -1;
  size_t i = name.size() + 1;
  int line = 0;
  size_t digits = 0;
  while (i < msg.size() && msg[i] >= '0' && msg[i] <= '9' && digits < 9) {
    line = line * 10 + (msg[i++] - '0');
    ++digits;
  }
  if (digits == 0 || i + 1 >= msg.size() || msg[i] != ':' || msg[i + 1] != ' ') return -1;
  return line;
}

std::string CheckLint(std::string_view text, const Dockerfile& df, int lines) {
  lint::LintOptions options;
  options.use_context = false;
  Result<std::vector<lint::Finding>> findings = lint::LintParsed(df, options, lint::ContextFacts{});
  if (!findings.has_value()) {
    const std::string& m = findings.error().message();
    if (m.empty() || m.find('\n') != std::string::npos) return "lint error is empty or not one line";
    return "";
  }
  std::string bad = CheckFindings(*findings, lines, df.instructions.size());
  if (!bad.empty()) return bad;
  lint::FileReport rep = lint::LintText(text, kFileName, options);
  if (!rep.error.ok()) return "LintText fails where ParseDockerfile + LintParsed succeed: " + rep.error.message();
  if (rep.findings.size() != findings->size()) return "LintText and LintParsed disagree on the findings";
  for (size_t i = 0; i < rep.findings.size(); ++i) {
    const lint::Finding& a = rep.findings[i];
    const lint::Finding& b = (*findings)[i];
    if (a.code != b.code || a.line != b.line || a.column != b.column || a.message != b.message) {
      return "LintText and LintParsed disagree on finding " + std::to_string(i);
    }
  }
  std::vector<lint::FileReport> reports;
  reports.push_back(std::move(rep));
  nlohmann::json json = nlohmann::json::parse(lint::FormatJson(reports), nullptr, false);
  if (!json.is_array() || json.size() != findings->size()) return "lint --format json is not one entry per finding";
  nlohmann::json sarif = nlohmann::json::parse(lint::FormatSarif(reports, "0"), nullptr, false);
  if (!sarif.is_object()) return "lint --format sarif is not a JSON object";
  std::string tty = lint::FormatTty(reports, false);
  if (static_cast<size_t>(std::count(tty.begin(), tty.end(), '\n')) != findings->size()) {
    return "lint tty output is not one line per finding";
  }
  if (lint::FormatJunit(reports).empty() || lint::FormatCheckstyle(reports).empty()) return "empty XML report";
  return "";
}

}  // namespace

int CountDockerfileLines(std::string_view text) {
  int n = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

std::string CheckDockerfileAst(std::string_view text, const Dockerfile& df) {
  const int lines = CountDockerfileLines(text);
  Checker c(text, lines);
  c.Expect(df.text.data() == text.data() && df.text.size() == text.size(), "Dockerfile::text is not the input");
  c.Expect(!df.instructions.empty(), "a parse without instructions succeeded");
  c.Expect(df.start_line >= 1 && df.start_line <= df.end_line, "start_line/end_line out of order");
  c.Line(df.end_line, "end_line", /*known=*/true);
  for (size_t i = 0; i < df.instructions.size() && c.ok(); ++i) {
    const Instruction& ins = df.instructions[i];
    CheckInstruction(ins, text, "instruction " + std::to_string(i) + " (" + EscapeForMessage(ins.keyword, 20) + ")",
                     &c);
    if (i > 0) {
      c.Expect(ins.range.begin_offset >= df.instructions[i - 1].range.end_offset,
               "instruction " + std::to_string(i) + " overlaps the one before");
    }
  }
  for (const auto& cm : df.comments) {
    c.Expect(Inside(text, cm.text), "comment outside the text");
    c.Range(cm.range, "comment", /*known=*/true);
  }
  for (const auto& d : df.directives.all) c.Range(d.range, "directive", /*known=*/true);
  for (const auto& w : df.warnings) {
    c.Line(w.line, "warning");
    c.Expect(!w.message.empty() && w.message.find('\n') == std::string::npos, "warning is empty or not one line");
  }
  for (const auto& st : df.stages) {
    c.Expect(st.from_instruction < st.end_instruction, "empty stage");
    c.Expect(st.end_instruction <= df.instructions.size(), "stage past the last instruction");
    c.Range(st.image_range, "stage image");
    c.Range(st.name_range, "stage name");
  }
  if (!c.ok()) return c.error();
  std::string dump = lint::DumpAst(df);
  if (dump.empty() || dump.back() == '\n') return "AST dump is empty or ends with a newline";
  if (static_cast<size_t>(std::count(dump.begin(), dump.end(), '\n')) + 1 != df.instructions.size()) {
    return "AST dump is not one line per instruction";
  }
  if (lint::DumpAst(df) != dump) return "AST dump differs on a second call";
  Dockerfile copy = df;
  if (lint::DumpAst(copy) != dump) return "AST dump of a copy differs";
  // The splitter on raw bytes as well (heredoc bodies are scripts too).
  lint::ShellScript s = lint::SplitShell(text);
  for (const auto& cmd : s.commands) {
    if (cmd.begin > cmd.end || cmd.end > text.size()) return "shell split of the whole text out of bounds";
  }
  return "";
}

std::string CheckFindings(const std::vector<lint::Finding>& findings, int lines, size_t instructions) {
  for (size_t i = 0; i < findings.size(); ++i) {
    const lint::Finding& f = findings[i];
    std::string where = "finding " + std::to_string(i) + " (" + EscapeForMessage(f.code, 20) + ")";
    if (lint::FindRule(f.code) == nullptr) return where + ": unknown rule";
    if (f.line < 1 || f.line > lines) {
      return where + ": line " + std::to_string(f.line) + " outside a " + std::to_string(lines) + "-line file";
    }
    if (f.column < 1) return where + ": column " + std::to_string(f.column);
    if (f.message.empty() || f.message.find('\n') != std::string::npos)
      return where + ": message empty or not one line";
    if (f.instruction != lint::Finding::kNoInstruction && f.instruction >= instructions) {
      return where + ": names instruction " + std::to_string(f.instruction) + " of " + std::to_string(instructions);
    }
    if (f.severity == lint::Severity::kNone) return where + ": severity none was reported";
    if (i > 0) {
      const lint::Finding& p = findings[i - 1];
      if (std::tie(p.line, p.column, p.code) > std::tie(f.line, f.column, f.code)) return where + ": out of order";
    }
  }
  return "";
}

std::string CheckParseError(std::string_view text, std::string_view filename, const Status& error) {
  const std::string& m = error.message();
  if (m.empty()) return "empty parse error";
  if (m.find('\n') != std::string::npos || m.find('\r') != std::string::npos) {
    return "parse error is not one line: " + EscapeForMessage(m);
  }
  if (error.code() != Errc::kCorrupt && error.code() != Errc::kTooLarge) return "unexpected error kind: " + m;
  int line = ErrorLine(m, filename);
  if (line < 0) return "parse error is not \"FILE:LINE: message\": " + EscapeForMessage(m);
  int lines = CountDockerfileLines(text);
  if (line < 1 || line > std::max(lines, 1)) {
    return StrFormat("parse error names line %d of a %d-line file: %s", line, lines, EscapeForMessage(m).c_str());
  }
  return "";
}

std::string CheckDockerfileInput(std::string_view text) {
  Result<Dockerfile> r = lint::ParseDockerfile(text, kFileName);
  Result<Dockerfile> again = lint::ParseDockerfile(text, kFileName);
  Result<Dockerfile> renamed = lint::ParseDockerfile(text, kOtherName);
  if (r.has_value() != again.has_value() || r.has_value() != renamed.has_value()) {
    return "a re-parse of the same text changed the outcome";
  }
  if (!r.has_value()) {
    std::string bad = CheckParseError(text, kFileName, r.error());
    if (!bad.empty()) return bad;
    if (again.error().message() != r.error().message()) return "a re-parse gave another error";
    std::string tail = r.error().message().substr(sizeof kFileName - 1);
    if (renamed.error().message() != kOtherName + tail) return "the error depends on the file name";
    // The linter reports an unparsable file, in every format.
    lint::LintOptions options;
    options.use_context = false;
    lint::FileReport rep = lint::LintText(text, kFileName, options);
    if (rep.error.ok() || !rep.findings.empty()) return "LintText lints a file that does not parse";
    std::vector<lint::FileReport> reports;
    reports.push_back(std::move(rep));
    nlohmann::json json = nlohmann::json::parse(lint::FormatJson(reports), nullptr, false);
    if (!json.is_array() || json.size() != 1) return "lint --format json of a parse error is not one entry";
    return "";
  }
  std::string bad = CheckDockerfileAst(text, *r);
  if (!bad.empty()) return bad;
  std::string fp = Fingerprint(*r);
  if (Fingerprint(*again) != fp) return "a re-parse of the same text differs";
  if (Fingerprint(*renamed) != fp) return "the parse depends on the file name";
  if (renamed->filename != kOtherName) return "the file name is not kept";
  return CheckLint(text, *r, CountDockerfileLines(text));
}

}  // namespace whittle::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string bad = whittle::fuzz::CheckDockerfileInput(text);
  if (!bad.empty()) {
    std::fprintf(stderr, "Dockerfile invariant broken: %s\n", bad.c_str());
    std::abort();
  }
  return 0;
}
