// Fuzz target for the Dockerfile parser: parse, dump, split every RUN, and
// check the invariants the lint rules rely on (ranges inside the text,
// start <= end, views inside the input). Must never crash or hang. Built as
// a libFuzzer target in a fuzzing build; replayed over
// tests/fuzz/corpus/dockerfile plus deterministic mutations by
// lint_parser_test (src/lint/dockerfile_fuzz_test.cc).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lint/ast_dump.h"
#include "lint/dockerfile_parser.h"
#include "lint/expand.h"
#include "lint/shell_split.h"

namespace {

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

bool Inside(std::string_view outer, std::string_view inner) {
  if (inner.empty()) return true;
  return inner.data() >= outer.data() && inner.data() + inner.size() <= outer.data() + outer.size();
}

void CheckRange(const whittle::lint::SourceRange& r, size_t size) {
  Check(r.begin_offset <= r.end_offset);
  Check(r.end_offset <= size);
  Check(r.start.line <= r.end.line);
}

void CheckInstruction(const whittle::lint::Instruction& ins, std::string_view text) {
  CheckRange(ins.range, text.size());
  CheckRange(ins.keyword_range, text.size());
  CheckRange(ins.args_range, text.size());
  Check(ins.args_offset + ins.args_length <= ins.line.size());
  for (const auto& f : ins.flags) CheckRange(f.range, text.size());
  for (const auto& h : ins.heredocs) {
    Check(Inside(text, h.body));
    CheckRange(h.body_range, text.size());
    (void)h.EffectiveBody();
  }
  if (ins.kind == whittle::lint::InstructionKind::kRun && ins.form == whittle::lint::ArgForm::kShell) {
    whittle::lint::ShellScript s = whittle::lint::SplitShell(ins.args_text());
    for (const auto& c : s.commands) {
      Check(c.begin <= c.end);
      Check(c.end <= ins.args_text().size());
    }
  }
  for (const auto& sub : ins.onbuild) CheckInstruction(sub, text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  whittle::Result<whittle::lint::Dockerfile> r = whittle::lint::ParseDockerfile(text, "fuzz");
  if (!r.has_value()) {
    Check(!r.error().message().empty());
    return 0;
  }
  const whittle::lint::Dockerfile& df = *r;
  Check(!df.instructions.empty());
  Check(df.start_line >= 1 && df.start_line <= df.end_line);
  std::string dump = whittle::lint::DumpAst(df);
  Check(!dump.empty());
  for (const auto& ins : df.instructions) CheckInstruction(ins, text);
  for (const auto& c : df.comments) Check(Inside(text, c.text));
  for (const auto& st : df.stages) {
    Check(st.from_instruction < st.end_instruction);
    Check(st.end_instruction <= df.instructions.size());
  }
  // The splitter on raw bytes as well (heredoc bodies are scripts too).
  whittle::lint::ShellScript s = whittle::lint::SplitShell(text);
  for (const auto& c : s.commands) Check(c.begin <= c.end && c.end <= text.size());
  return 0;
}
