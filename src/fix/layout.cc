#include "fix/layout.h"

#include "fix/run_text.h"
#include "util/strings.h"

namespace whittle::fix {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<ContinuationStyle> StyleOf(std::string_view text, const lint::Instruction& ins, char escape) {
  if (ins.kind != lint::InstructionKind::kRun || ins.segments.size() < 2 || !ins.heredocs.empty()) {
    return std::nullopt;
  }
  // The last continuation line decides the indent; a leading operator on
  // it, or a trailing `&&` on the line before, decides where `&&` goes.
  const lint::LineSegment& last = ins.segments.back();
  const lint::LineSegment& prev = ins.segments[ins.segments.size() - 2];
  if (last.file_offset + last.length > text.size() || prev.file_offset + prev.length > text.size()) {
    return std::nullopt;
  }
  ContinuationStyle st;
  st.indent = std::string(IndentAt(text, last.file_offset));
  std::string_view body = TrimBlanks(text.substr(last.file_offset, last.length));
  if (StartsWith(body, "&&") || StartsWith(body, "||") || StartsWith(body, "|") || StartsWith(body, ";")) {
    st.lead_operator = true;
    return st;
  }
  // The previous physical line, up to its escape character.
  size_t pe = LineEndAt(text, prev.file_offset);
  std::string_view prev_line = TrimBlanks(text.substr(prev.file_offset, pe - prev.file_offset));
  if (!prev_line.empty() && prev_line.back() == escape) prev_line = TrimBlanks(prev_line.substr(0, prev_line.size() - 1));
  st.lead_operator = !(EndsWith(prev_line, "&&") || EndsWith(prev_line, ";"));
  return st;
}

ContinuationStyle PickStyle(std::string_view text, const lint::Dockerfile& df,
                            std::initializer_list<const lint::Instruction*> preferred) {
  char esc = df.directives.escape;
  for (const lint::Instruction* ins : preferred) {
    if (ins == nullptr) continue;
    if (auto st = StyleOf(text, *ins, esc)) return *st;
  }
  for (const lint::Instruction& ins : df.instructions) {
    if (auto st = StyleOf(text, ins, esc)) return *st;
  }
  return ContinuationStyle();
}

}  // namespace whittle::fix
