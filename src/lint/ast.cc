// Small methods of the AST types (ast.h).
#include "lint/ast.h"

#include <cctype>

namespace whittle::lint {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string Heredoc::EffectiveBody() const {
  if (!strip_tabs) return std::string(body);
  std::string out;
  out.reserve(body.size());
  bool at_line_start = true;
  for (char c : body) {
    if (at_line_start && c == '\t') continue;
    at_line_start = (c == '\n');
    out.push_back(c);
  }
  return out;
}

const Flag* Instruction::FindFlag(std::string_view name) const {
  const Flag* found = nullptr;
  for (const Flag& f : flags) {
    if (f.name == name) found = &f;
  }
  return found;
}

std::vector<const Flag*> Instruction::FindFlags(std::string_view name) const {
  std::vector<const Flag*> out;
  for (const Flag& f : flags) {
    if (f.name == name) out.push_back(&f);
  }
  return out;
}

SourcePos Instruction::PosAt(size_t line_offset) const {
  if (segments.empty()) return range.start;
  for (const LineSegment& s : segments) {
    if (line_offset < s.line_offset + s.length) {
      size_t delta = line_offset < s.line_offset ? 0 : line_offset - s.line_offset;
      return SourcePos{s.line, s.column + static_cast<int>(delta)};
    }
  }
  const LineSegment& last = segments.back();
  return SourcePos{last.line, last.column + static_cast<int>(last.length)};
}

SourceRange Instruction::RangeOf(size_t line_begin, size_t line_end) const {
  SourceRange r;
  if (line_end < line_begin) line_end = line_begin;
  r.start = PosAt(line_begin);
  // The end is one past the last byte: map the last byte, then step over it.
  if (line_end > line_begin) {
    r.end = PosAt(line_end - 1);
    r.end.column += 1;
  } else {
    r.end = r.start;
  }
  auto file_offset = [&](size_t off, bool is_end) -> size_t {
    for (const LineSegment& s : segments) {
      if (is_end ? off <= s.line_offset + s.length : off < s.line_offset + s.length) {
        size_t delta = off < s.line_offset ? 0 : off - s.line_offset;
        return s.file_offset + delta;
      }
    }
    if (segments.empty()) return range.begin_offset;
    return segments.back().file_offset + segments.back().length;
  };
  r.begin_offset = file_offset(line_begin, false);
  r.end_offset = line_end > line_begin ? file_offset(line_end, true) : r.begin_offset;
  if (r.end_offset < r.begin_offset) r.end_offset = r.begin_offset;
  return r;
}

const Stage* Dockerfile::FindStage(std::string_view name) const {
  for (const Stage& s : stages) {
    if (!s.name.empty() && EqualsIgnoreCase(s.name, name)) return &s;
  }
  // A stage may also be referenced by its number.
  if (!name.empty() && name.size() < 10) {
    size_t n = 0;
    for (char c : name) {
      if (c < '0' || c > '9') return nullptr;
      n = n * 10 + static_cast<size_t>(c - '0');
    }
    if (n < stages.size()) return &stages[n];
  }
  return nullptr;
}

const Stage* Dockerfile::StageOf(size_t instruction_index) const {
  for (const Stage& s : stages) {
    if (instruction_index >= s.from_instruction && instruction_index < s.end_instruction) return &s;
  }
  return nullptr;
}

}  // namespace whittle::lint
