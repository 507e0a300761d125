#include "fix/run_text.h"

namespace whittle::fix {

size_t LineStartAt(std::string_view text, size_t offset) {
  if (offset > text.size()) offset = text.size();
  size_t nl = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

size_t LineEndAt(std::string_view text, size_t offset) {
  size_t nl = text.find('\n', offset);
  size_t end = nl == std::string_view::npos ? text.size() : nl;
  if (end > offset && end > 0 && text[end - 1] == '\r') --end;
  return end;
}

std::string LineEndingAt(std::string_view text, size_t offset) {
  size_t nl = text.find('\n', offset);
  if (nl != std::string_view::npos && nl > 0 && text[nl - 1] == '\r') return "\r\n";
  if (nl == std::string_view::npos) {
    // The last line has no terminator: use the file's first one.
    size_t first = text.find('\n');
    if (first != std::string_view::npos && first > 0 && text[first - 1] == '\r') return "\r\n";
  }
  return "\n";
}

std::string_view IndentAt(std::string_view text, size_t offset) {
  size_t s = LineStartAt(text, offset);
  size_t e = s;
  while (e < text.size() && (text[e] == ' ' || text[e] == '\t')) ++e;
  return text.substr(s, e - s);
}

Result<RunText> RunText::For(std::string_view text, const lint::Instruction& ins, const lint::RunFacts& run,
                             char escape) {
  if (ins.is_exec_form()) {
    return Error(Errc::kUnsupported, "exec-form RUN (JSON array): whittle fix does not rewrite it");
  }
  if (!run.certain) {
    if (!ins.heredocs.empty() && run.script.commands.empty() && !run.script.uncertain) {
      return Error(Errc::kUnsupported, "heredoc RUN whose line is not just `[sh] <<EOF`");
    }
    return Error(Errc::kUnsupported, "shell not understood (" + run.script.reason + ")");
  }
  RunText rt;
  rt.text_ = text;
  rt.ins_ = &ins;
  rt.run_ = &run;
  rt.escape_ = escape;
  if (!ins.heredocs.empty()) {
    const lint::Heredoc& h = ins.heredocs[0];
    if (h.strip_tabs) return Error(Errc::kUnsupported, "heredoc body with `<<-` (tabs stripped): not rewritten");
    if (h.body_range.begin_offset + h.body.size() > text.size() ||
        text.substr(h.body_range.begin_offset, h.body.size()) != h.body) {
      return Error(Errc::kInternal, "heredoc body does not match the file");
    }
    rt.heredoc_ = &h;
    rt.script_ = std::string(h.body);
  } else {
    if (!run.offsets_in_line || ins.segments.empty()) {
      return Error(Errc::kUnsupported, "RUN text not found in the file");
    }
    rt.script_ = std::string(ins.args_text());
  }
  return rt;
}

size_t RunText::After(size_t script_end) const {
  if (heredoc_ != nullptr) return heredoc_->body_range.begin_offset + script_end;
  if (script_end == 0) return Before(0);
  size_t lo = ins_->args_offset + script_end - 1;  // the last byte, then one past it
  for (const lint::LineSegment& s : ins_->segments) {
    if (lo >= s.line_offset && lo < s.line_offset + s.length) return s.file_offset + (lo - s.line_offset) + 1;
  }
  const lint::LineSegment& last = ins_->segments.back();
  return last.file_offset + last.length;
}

size_t RunText::Before(size_t script_begin) const {
  if (heredoc_ != nullptr) return heredoc_->body_range.begin_offset + script_begin;
  size_t lo = ins_->args_offset + script_begin;
  for (const lint::LineSegment& s : ins_->segments) {
    if (lo >= s.line_offset && lo < s.line_offset + s.length) return s.file_offset + (lo - s.line_offset);
  }
  const lint::LineSegment& last = ins_->segments.back();
  return last.file_offset + last.length;
}

const lint::Command* RunText::LastTopLevel() const {
  const lint::Command* last = nullptr;
  for (const lint::Command& c : run_->commands) {
    if (c.nested == 0) last = &c;
  }
  return last;
}

}  // namespace whittle::fix
