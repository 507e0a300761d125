// Fuzz target for the shell splitter (lint/shell_split.h), which every RUN
// rule and every fix rewrite reads. The input is the text after `RUN`.
// Must never crash or hang (nested `sh -c` quoting included). Checked:
//  - ranges: every command's [begin, end) and every exact argv range lie
//    inside the script, in order; argv and argv_ranges are parallel;
//    commands of the top level come in text order.
//  - nesting: depth >= 0, and only commands from an `sh -c` are nested.
//  - uncertain <=> a reason is given.
//  - stability: a second split gives the same commands.
// Replayed over tests/fuzz/corpus/shell_split by fuzz_replay_shell_split.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "lint/shell_split.h"

namespace {

using whittle::lint::ShellCommand;
using whittle::lint::ShellOp;
using whittle::lint::ShellScript;

[[noreturn]] void Fail(const std::string& what, size_t command) {
  std::fprintf(stderr, "shell_split invariant broken: command %zu: %s\n", command, what.c_str());
  std::abort();
}

bool Same(const ShellCommand& a, const ShellCommand& b) {
  if (a.argv != b.argv || a.env != b.env || a.op != b.op || a.begin != b.begin || a.end != b.end ||
      a.in_group != b.in_group || a.nested != b.nested || a.ranges_exact != b.ranges_exact ||
      a.argv_ranges.size() != b.argv_ranges.size()) {
    return false;
  }
  for (size_t i = 0; i < a.argv_ranges.size(); ++i) {
    if (a.argv_ranges[i].begin != b.argv_ranges[i].begin || a.argv_ranges[i].end != b.argv_ranges[i].end) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view script(reinterpret_cast<const char*>(data), size);
  ShellScript s = whittle::lint::SplitShell(script);
  if (s.uncertain == s.reason.empty()) Fail("uncertain without a reason, or a reason when certain", 0);
  size_t last_top_begin = 0;
  for (size_t i = 0; i < s.commands.size(); ++i) {
    const ShellCommand& c = s.commands[i];
    if (c.begin > c.end || c.end > script.size()) Fail("range outside the script", i);
    if (c.argv.size() != c.argv_ranges.size()) Fail("argv and argv_ranges differ in length", i);
    if (c.nested < 0) Fail("negative nesting", i);
    if (c.nested == 0 && !c.ranges_exact) Fail("a top-level command with inexact ranges", i);
    for (const auto& r : c.argv_ranges) {
      if (r.begin > r.end || r.end > script.size()) Fail("argv range outside the script", i);
      if (c.ranges_exact && (r.begin < c.begin || r.end > c.end)) Fail("argv range outside its command", i);
    }
    if (c.nested == 0) {
      if (c.begin < last_top_begin) Fail("top-level commands out of order", i);
      last_top_begin = c.begin;
    }
    (void)whittle::lint::ShellOpName(c.op);
  }
  ShellScript again = whittle::lint::SplitShell(script);
  if (again.uncertain != s.uncertain || again.reason != s.reason || again.errexit != s.errexit ||
      again.has_or != s.has_or || again.commands.size() != s.commands.size()) {
    Fail("a second split differs", 0);
  }
  for (size_t i = 0; i < s.commands.size(); ++i) {
    if (!Same(s.commands[i], again.commands[i])) Fail("a second split differs", i);
  }
  return 0;
}
