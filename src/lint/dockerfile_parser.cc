// Dockerfile parser: BuildKit's frontend/dockerfile/parser grammar.
//
// The shape follows BuildKit's Parse loop, so line numbers, continuation
// handling and the Node values agree with it:
//
//   for each physical line:
//     strip BOM (line 1), newline, leading whitespace; check for a parser
//     directive (only before anything else); drop it if it is a comment;
//     if it ends with the escape char (not itself escaped), keep reading
//     lines: comment lines are skipped, blank ones too (with a warning),
//     the rest are appended without their continuation char and WITHOUT
//     trimming their leading whitespace;
//     the joined logical line -> keyword, --flags, arguments (per-keyword
//     rules, see BuildArguments);
//     RUN/COPY/ADD (also under ONBUILD) with `<<WORD` markers then consume
//     one body per marker, up to a line equal to WORD (tabs stripped first
//     for `<<-`).
//
// No regular expressions: each BuildKit regex is a small hand-written
// matcher below, with the regex quoted next to it. Physical lines are views
// into the input; only logical lines are copied (once).
#include "lint/dockerfile_parser.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

#include "lint/ast_dump.h"
#include "lint/dockerfile_parser_text.h"
#include "lint/expand.h"
#include "util/strings.h"

namespace whittle::lint {
namespace {

using internal::FlagWord;
using internal::GoTrimLeftSpace;
using internal::GoTrimSpace;
using internal::IsTokenWhitespace;
using internal::JsonArrayStatus;

// ONBUILD may nest in the grammar (`ONBUILD ONBUILD RUN x` parses in
// BuildKit and is rejected later). We cap the nesting so a hostile line of
// thousands of ONBUILDs cannot cost quadratic memory or deep recursion.
constexpr int kMaxOnbuildDepth = 32;

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsGoRegexSpace(char c) {  // RE2 \s: [\t\n\f\r ]
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

/// Matches `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`.
bool MatchDirective(std::string_view line, std::string* key, std::string* value) {
  if (line.empty() || line[0] != '#') return false;
  size_t i = 1;
  while (i < line.size() && IsGoRegexSpace(line[i])) ++i;
  if (i >= line.size() || !IsAsciiAlpha(line[i])) return false;
  size_t key_begin = i;
  while (i < line.size() && (IsAsciiAlpha(line[i]) || IsAsciiDigit(line[i]))) ++i;
  size_t key_end = i;
  while (i < line.size() && IsGoRegexSpace(line[i])) ++i;
  if (i >= line.size() || line[i] != '=') return false;
  std::string_view rest = line.substr(i + 1);
  if (rest.empty()) return false;
  size_t b = 0;
  size_t e = rest.size();
  while (b < e && IsGoRegexSpace(rest[b])) ++b;
  while (e > b && IsGoRegexSpace(rest[e - 1])) --e;
  // (.+?) needs one character: an all-blank value matches its last blank.
  std::string_view v = b < e ? rest.substr(b, e - b) : rest.substr(rest.size() - 1);
  key->clear();
  for (size_t k = key_begin; k < key_end; ++k) {
    char c = line[k];
    key->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  value->assign(v);
  return true;
}

/// reComment `^#.*$` on a line after whitespace trimming.
bool IsCommentLine(std::string_view line) {
  std::string_view t = GoTrimLeftSpace(line);
  return !t.empty() && t[0] == '#';
}

std::string_view TrimNewline(std::string_view s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

/// The continuation regex `([^E])E[ \t]*$|^E[ \t]*$` for escape E. Returns
/// true and shortens |*len| (to drop the escape and what follows) when |s|
/// ends with a continuation.
bool TrimContinuation(std::string_view s, char escape, size_t* len) {
  size_t e = s.size();
  while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  if (e == 0 || s[e - 1] != escape) return false;
  if (e == 1) {
    *len = 0;
    return true;
  }
  if (s[e - 2] == escape) return false;
  *len = e - 1;
  return true;
}

struct Word {
  size_t offset;
  size_t length;
};

/// reWhitespace.Split(s, -1) with `[\t\v\f\r ]+`, on an already trimmed |s|.
std::vector<Word> SplitTokenWhitespace(std::string_view s) {
  std::vector<Word> out;
  size_t i = 0;
  size_t start = 0;
  while (i <= s.size()) {
    if (i == s.size() || IsTokenWhitespace(s[i])) {
      out.push_back({start, i - start});
      while (i < s.size() && IsTokenWhitespace(s[i])) ++i;
      start = i;
      if (i == s.size()) {
        if (start == s.size() && !out.empty() && out.back().offset + out.back().length != s.size()) {
          out.push_back({start, 0});  // regexp.Split keeps a trailing empty field
        }
        break;
      }
      continue;
    }
    ++i;
  }
  return out;
}

/// `^(\d*)<<(-?)([^<]*)$` on a shell word.
bool MatchHeredocMarker(std::string_view w, std::string_view* digits, bool* chomp,
                        std::string_view* rest) {
  size_t i = 0;
  while (i < w.size() && IsAsciiDigit(w[i])) ++i;
  *digits = w.substr(0, i);
  if (w.substr(i, 2) != "<<") return false;
  i += 2;
  *chomp = i < w.size() && w[i] == '-';
  if (*chomp) ++i;
  *rest = w.substr(i);
  return rest->find('<') == std::string_view::npos;
}

class Parser {
 public:
  Parser(std::string_view text, std::string_view filename) : text_(text) {
    df_.text = text;
    df_.filename = std::string(filename);
  }

  Result<Dockerfile> Run();

 private:
  struct PhysLine {
    size_t begin = 0;  // offset of the first byte (after the BOM on line 1)
    size_t end = 0;    // offset of the '\n' (or end of text)
    int number = 0;    // 1-based
  };

  Status Fail(int line, const std::string& message) const {
    return Error(Errc::kCorrupt, StrFormat("%s:%d: %s", df_.filename.c_str(), line < 1 ? 1 : line,
                                           message.c_str()));
  }

  // Reads the next physical line; false at end of text or on error (*st set).
  bool NextLine(PhysLine* out, Status* st);
  std::string_view View(const PhysLine& l) const { return text_.substr(l.begin, l.end - l.begin); }
  int ColumnOf(size_t offset, const PhysLine& l) const {
    return static_cast<int>(offset - l.begin) + 1;
  }
  SourceRange LineRange(const PhysLine& l, size_t b, size_t e) const {
    SourceRange r;
    r.start = {l.number, ColumnOf(b, l)};
    r.end = {l.number, ColumnOf(e, l)};
    r.begin_offset = b;
    r.end_offset = e;
    return r;
  }

  Status ProcessDirective(std::string_view token, const PhysLine& l, bool* is_directive);
  void AddComment(std::string_view raw, const PhysLine& l, bool pending);

  Status BuildInstruction(std::string line, std::vector<LineSegment> segs, int depth,
                          int error_line, Instruction* ins);
  Status BuildArguments(std::string_view args, size_t args_offset, int depth, int error_line,
                        Instruction* ins);
  // One instruction's arguments on their way through a grammar.
  struct ArgsInput {
    std::string_view args;
    size_t args_offset;
    int depth;
    int error_line;
    Instruction* ins;
  };
  static void SetWords(std::string_view s, Instruction* ins);
  Status TryJson(const ArgsInput& in, bool* is_json);
  Status ParseMaybeJson(const ArgsInput& in);
  Status ParseNameVal(const ArgsInput& in, const char* key);
  Status ParseNameOrNameVal(const ArgsInput& in);
  Status ParseSubCommand(const ArgsInput& in);
  Status ParseHealthConfig(const ArgsInput& in);
  void FindHeredocs(Instruction* ins);
  std::string_view Persist(std::string s);
  void BuildStages();

  std::string_view text_;
  size_t pos_ = 0;
  int line_count_ = 0;
  char escape_ = '\\';
  bool directives_done_ = false;
  std::vector<Comment> pending_comments_;
  Dockerfile df_;
};

bool Parser::NextLine(PhysLine* out, Status* st) {
  if (pos_ >= text_.size()) return false;
  const char* base = text_.data();
  const void* nl = std::memchr(base + pos_, '\n', text_.size() - pos_);
  size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - base) : text_.size();
  ++line_count_;
  out->begin = pos_;
  out->end = end;
  out->number = line_count_;
  pos_ = nl ? end + 1 : end;
  if (line_count_ == 1 && text_.substr(0, 3) == "\xEF\xBB\xBF") {
    out->begin = 3;
    df_.directives.had_bom = true;
  }
  if (end - out->begin > kMaxLineLength) {
    *st = Error(Errc::kTooLarge,
                StrFormat("%s:%d: dockerfile line greater than max allowed size of %zu",
                          df_.filename.c_str(), out->number, kMaxLineLength));
    return false;
  }
  return true;
}

Status Parser::ProcessDirective(std::string_view token, const PhysLine& l, bool* is_directive) {
  *is_directive = false;
  if (directives_done_) return Status::Ok();
  std::string key, value;
  if (!MatchDirective(token, &key, &value) ||
      (key != "syntax" && key != "escape" && key != "check")) {
    directives_done_ = true;
    return Status::Ok();
  }
  for (const Directive& d : df_.directives.all) {
    if (d.name == key) return Fail(l.number, "only one " + key + " parser directive can be used");
  }
  if (key == "escape") {
    if (value != "`" && value != "\\") {
      return Fail(l.number, "invalid escape token '" + value + "' does not match ` or \\");
    }
    escape_ = value[0];
    df_.directives.escape = escape_;
    df_.directives.escape_set = true;
  } else if (key == "syntax") {
    df_.directives.syntax = value;
  } else {
    df_.directives.check = value;
  }
  Directive d;
  d.name = key;
  d.value = value;
  size_t b = static_cast<size_t>(token.data() - text_.data());
  d.range = LineRange(l, b, b + token.size());
  df_.directives.all.push_back(std::move(d));
  *is_directive = true;
  return Status::Ok();
}

void Parser::AddComment(std::string_view raw, const PhysLine& l, bool pending) {
  std::string_view t = GoTrimLeftSpace(TrimNewline(raw));
  Comment c;
  c.text = GoTrimSpace(t.substr(1));
  size_t b = static_cast<size_t>(t.data() - text_.data());
  c.range = LineRange(l, b, b + t.size());
  df_.comments.push_back(c);
  if (pending) pending_comments_.push_back(c);
}

std::string_view Parser::Persist(std::string s) {
  // Dockerfile keeps rare non-contiguous spellings alive (see ast.h).
  df_.storage.push_back(std::make_shared<const std::string>(std::move(s)));
  return *df_.storage.back();
}

Result<Dockerfile> Parser::Run() {
  Status st;
  PhysLine l;
  while (NextLine(&l, &st)) {
    std::string_view raw = TrimNewline(View(l));
    std::string_view token = GoTrimLeftSpace(raw);
    bool is_directive = false;
    RETURN_IF_ERROR(ProcessDirective(token, l, &is_directive));
    if (!is_directive && IsCommentLine(raw)) AddComment(raw, l, true);
    if (!token.empty() && token[0] == '#') continue;  // trimComments left nothing

    const int start_line = l.number;
    size_t keep = token.size();
    bool continued = TrimContinuation(token, escape_, &keep);
    if (!continued && keep == 0) continue;

    std::string line(token.substr(0, keep));
    std::vector<LineSegment> segs;
    size_t first_off = static_cast<size_t>(token.data() - text_.data());
    if (keep > 0) segs.push_back({0, first_off, keep, l.number, ColumnOf(first_off, l)});
    PhysLine last = l;
    bool empty_continuation = false;
    while (continued) {
      PhysLine c;
      if (!NextLine(&c, &st)) break;
      last = c;
      std::string_view craw = TrimNewline(View(c));
      bool dummy;
      RETURN_IF_ERROR(ProcessDirective(craw, c, &dummy));
      if (IsCommentLine(craw)) {
        AddComment(craw, c, false);
        continue;
      }
      if (GoTrimLeftSpace(craw).empty()) {
        empty_continuation = true;
        continue;
      }
      size_t ckeep = craw.size();
      continued = TrimContinuation(craw, escape_, &ckeep);
      if (ckeep > 0) {
        segs.push_back({line.size(), c.begin, ckeep, c.number, 1});
        line.append(craw.substr(0, ckeep));
      }
    }
    RETURN_IF_ERROR(st);
    if (empty_continuation) {
      df_.warnings.push_back({last.number, "Empty continuation line found in: " + line});
    }

    Instruction ins;
    // Where the instruction starts, for one without any text (a lone "\" on
    // the last line): its ranges are anchored here, not at 0:0.
    ins.range.start = {start_line, ColumnOf(first_off, l)};
    ins.range.begin_offset = first_off;
    RETURN_IF_ERROR(BuildInstruction(std::move(line), std::move(segs), 0, start_line, &ins));

    // Heredoc bodies follow the instruction's last line, one per marker.
    for (Heredoc& h : ins.heredocs) {
      bool terminated = false;
      size_t body_begin = pos_;
      PhysLine b;
      PhysLine first_body{};
      bool any_body = false;
      while (NextLine(&b, &st)) {
        last = b;
        std::string_view candidate = TrimNewline(View(b));
        if (h.strip_tabs) {
          while (!candidate.empty() && candidate[0] == '\t') candidate.remove_prefix(1);
        }
        if (candidate == h.name) {
          terminated = true;
          std::string_view tl = TrimNewline(View(b));
          h.terminator_range = LineRange(b, b.begin, b.begin + tl.size());
          break;
        }
        if (!any_body) first_body = b;
        any_body = true;
      }
      RETURN_IF_ERROR(st);
      if (!terminated) return Fail(start_line, "unterminated heredoc");
      h.body = text_.substr(body_begin, last.begin - body_begin);
      if (any_body) {
        h.body_range.start = {first_body.number, 1};
        h.body_range.end = {last.number, 1};
      } else {
        h.body_range.start = h.body_range.end = {last.number, 1};
      }
      h.body_range.begin_offset = body_begin;
      h.body_range.end_offset = last.begin;
    }
    // An ONBUILD's heredocs are read for its triggered instruction.
    if (!ins.onbuild.empty() && !ins.heredocs.empty()) ins.onbuild[0].heredocs = ins.heredocs;

    std::string_view last_text = TrimNewline(View(last));
    ins.range.end = {last.number, ColumnOf(last.begin + last_text.size(), last)};
    ins.range.end_offset = last.begin + last_text.size();
    // A trigger ends where its ONBUILD does, at every depth (`ONBUILD
    // ONBUILD RUN x` parses, as in BuildKit, which rejects it later).
    for (Instruction* t = &ins; !t->onbuild.empty(); t = &t->onbuild[0]) {
      t->onbuild[0].range.end = ins.range.end;
      t->onbuild[0].range.end_offset = ins.range.end_offset;
    }
    ins.comments = std::move(pending_comments_);
    pending_comments_.clear();
    if (df_.instructions.empty()) df_.start_line = start_line;
    df_.end_line = last.number;
    df_.instructions.push_back(std::move(ins));
  }
  RETURN_IF_ERROR(st);
  if (df_.instructions.empty()) return Fail(line_count_, "file with no instructions");
  BuildStages();
  return std::move(df_);
}

Status Parser::BuildInstruction(std::string line, std::vector<LineSegment> segs, int depth,
                                int error_line, Instruction* ins) {
  ins->line = std::move(line);
  ins->segments = std::move(segs);
  std::string_view lv = ins->line;
  std::string_view trimmed = GoTrimSpace(lv);
  size_t lead = static_cast<size_t>(trimmed.data() - lv.data());
  size_t k = 0;
  while (k < trimmed.size() && !IsTokenWhitespace(trimmed[k])) ++k;
  std::string_view cmd = trimmed.substr(0, k);
  ins->keyword = AsciiUpper(cmd);
  ins->kind = KindOfKeyword(cmd);
  ins->keyword_range = ins->RangeOf(lead, lead + k);
  if (ins->keyword_range.end_offset - ins->keyword_range.begin_offset == cmd.size() &&
      text_.substr(ins->keyword_range.begin_offset, cmd.size()) == cmd) {
    ins->keyword_spelling = text_.substr(ins->keyword_range.begin_offset, cmd.size());
  } else {
    ins->keyword_spelling = Persist(std::string(cmd));
  }
  ins->range.start = ins->keyword_range.start;
  ins->range.begin_offset = ins->keyword_range.begin_offset;

  size_t args_offset = lead + k;
  std::string_view args;
  if (k < trimmed.size()) {
    size_t r = k;
    while (r < trimmed.size() && IsTokenWhitespace(trimmed[r])) ++r;
    std::string_view rest = trimmed.substr(r);
    size_t rest_offset = lead + r;
    std::vector<FlagWord> words;
    size_t a = internal::ExtractBuilderFlags(rest, &words);
    for (FlagWord& w : words) {
      Flag f;
      f.raw = std::move(w.raw);
      std::string_view clean = w.clean;
      if (clean.substr(0, 2) == "--") clean.remove_prefix(2);
      size_t eq = clean.find('=');
      f.name = std::string(clean.substr(0, eq));
      if (eq != std::string_view::npos) {
        f.has_value = true;
        f.value = std::string(clean.substr(eq + 1));
      }
      f.range = ins->RangeOf(rest_offset + w.begin, rest_offset + w.end);
      ins->flags.push_back(std::move(f));
    }
    std::string_view after = rest.substr(a);
    args = GoTrimSpace(after);
    args_offset = rest_offset + a + static_cast<size_t>(args.data() - after.data());
  }
  ins->args_offset = args_offset;
  ins->args_length = args.size();
  ins->args_range = ins->RangeOf(args_offset, args_offset + args.size());
  RETURN_IF_ERROR(BuildArguments(args, args_offset, depth, error_line, ins));
  if (depth == 0) FindHeredocs(ins);
  return Status::Ok();
}

// The argument grammars of BuildKit's dispatch table (parser.go), one
// function each; kGrammars picks one per instruction keyword.
enum class Grammar {
  kIgnore,            // parseIgnore: unknown instructions
  kSubCommand,        // parseSubCommand: ONBUILD
  kNameOrNameVal,     // parseNameOrNameVal: ARG
  kNameVal,           // parseNameVal: ENV, LABEL
  kMaybeJson,         // parseMaybeJSON: CMD, ENTRYPOINT, RUN, SHELL
  kMaybeJsonToList,   // parseMaybeJSONToList: ADD, COPY, VOLUME
  kWhitespaceWords,   // parseStringsWhitespaceDelimited: EXPOSE, FROM
  kString,            // parseString: MAINTAINER, STOPSIGNAL, USER, WORKDIR
  kHealthConfig,      // parseHealthConfig: HEALTHCHECK
};

Grammar GrammarOf(InstructionKind kind) {
  struct Row {
    InstructionKind kind;
    Grammar grammar;
  };
  static const Row kGrammars[] = {
      {InstructionKind::kOnbuild, Grammar::kSubCommand},
      {InstructionKind::kArg, Grammar::kNameOrNameVal},
      {InstructionKind::kEnv, Grammar::kNameVal},
      {InstructionKind::kLabel, Grammar::kNameVal},
      {InstructionKind::kCmd, Grammar::kMaybeJson},
      {InstructionKind::kEntrypoint, Grammar::kMaybeJson},
      {InstructionKind::kRun, Grammar::kMaybeJson},
      {InstructionKind::kShell, Grammar::kMaybeJson},
      {InstructionKind::kAdd, Grammar::kMaybeJsonToList},
      {InstructionKind::kCopy, Grammar::kMaybeJsonToList},
      {InstructionKind::kVolume, Grammar::kMaybeJsonToList},
      {InstructionKind::kExpose, Grammar::kWhitespaceWords},
      {InstructionKind::kFrom, Grammar::kWhitespaceWords},
      {InstructionKind::kMaintainer, Grammar::kString},
      {InstructionKind::kStopsignal, Grammar::kString},
      {InstructionKind::kUser, Grammar::kString},
      {InstructionKind::kWorkdir, Grammar::kString},
      {InstructionKind::kHealthcheck, Grammar::kHealthConfig},
  };
  for (const Row& r : kGrammars) {
    if (r.kind == kind) return r.grammar;
  }
  return Grammar::kIgnore;
}

Status Parser::BuildArguments(std::string_view args, size_t args_offset, int depth,
                              int error_line, Instruction* ins) {
  ArgsInput in{args, args_offset, depth, error_line, ins};
  switch (GrammarOf(ins->kind)) {
    case Grammar::kIgnore:
      ins->args.emplace_back();  // an empty node
      ins->form = args.empty() ? ArgForm::kNone : ArgForm::kShell;
      return Status::Ok();
    case Grammar::kSubCommand: return ParseSubCommand(in);
    case Grammar::kNameOrNameVal: return ParseNameOrNameVal(in);
    case Grammar::kNameVal: return ParseNameVal(in, ins->kind == InstructionKind::kEnv ? "ENV" : "LABEL");
    case Grammar::kMaybeJson: return ParseMaybeJson(in);
    case Grammar::kMaybeJsonToList: {
      bool is_json = false;
      RETURN_IF_ERROR(TryJson(in, &is_json));
      if (!is_json) SetWords(args, ins);
      return Status::Ok();
    }
    case Grammar::kWhitespaceWords:
      SetWords(args, ins);
      return Status::Ok();
    case Grammar::kString:
      if (!args.empty()) {
        ins->args.emplace_back(args);
        ins->form = ArgForm::kShell;
      }
      return Status::Ok();
    case Grammar::kHealthConfig: return ParseHealthConfig(in);
  }
  return Status::Ok();
}

void Parser::SetWords(std::string_view s, Instruction* ins) {
  if (s.empty()) return;
  for (const Word& w : SplitTokenWhitespace(s)) ins->args.emplace_back(s.substr(w.offset, w.length));
  ins->form = ArgForm::kShell;
}

Status Parser::TryJson(const ArgsInput& in, bool* is_json) {
  std::vector<std::string> values;
  JsonArrayStatus js = internal::ParseJsonStringArray(in.args, &values);
  *is_json = js == JsonArrayStatus::kOk;
  if (js == JsonArrayStatus::kNotStringArray) {
    return Fail(in.error_line, "when using JSON array syntax, arrays must be comprised of strings only");
  }
  if (*is_json) {
    in.ins->args = std::move(values);
    in.ins->form = ArgForm::kExec;
  }
  return Status::Ok();
}

Status Parser::ParseMaybeJson(const ArgsInput& in) {
  if (in.args.empty()) return Status::Ok();
  bool is_json = false;
  RETURN_IF_ERROR(TryJson(in, &is_json));
  if (!is_json) {
    in.ins->args.emplace_back(in.args);
    in.ins->form = ArgForm::kShell;
  }
  return Status::Ok();
}

Status Parser::ParseNameVal(const ArgsInput& in, const char* key) {
  std::string_view args = in.args;
  Instruction* ins = in.ins;
  std::vector<std::string> words = internal::ParseWords(args, escape_);
  if (words.empty()) return Status::Ok();
  ins->form = ArgForm::kShell;
  if (words[0].find('=') == std::string::npos) {
    // The legacy "ENV key value" form: one pair, the value is the rest.
    size_t k = 0;
    while (k < args.size() && !IsTokenWhitespace(args[k])) ++k;
    if (k == args.size()) return Fail(in.error_line, std::string(key) + " must have two arguments");
    size_t v = k;
    while (v < args.size() && IsTokenWhitespace(args[v])) ++v;
    KeyValue kv;
    kv.key = std::string(args.substr(0, k));
    kv.raw_value = std::string(args.substr(v));
    kv.value = internal::UnquoteWord(kv.raw_value, escape_);
    kv.has_value = true;
    kv.legacy = true;
    ins->args = {kv.key, kv.raw_value, ""};
    ins->key_values.push_back(std::move(kv));
    return Status::Ok();
  }
  for (std::string& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos) {
      return Fail(in.error_line,
                  "Syntax error - can't find = in " + GoQuote(w) + ". Must be of the form: name=value");
    }
    KeyValue kv;
    kv.key = w.substr(0, eq);
    kv.raw_value = w.substr(eq + 1);
    kv.value = internal::UnquoteWord(kv.raw_value, escape_);
    kv.has_value = true;
    ins->args.push_back(kv.key);
    ins->args.push_back(kv.raw_value);
    ins->args.emplace_back("=");
    ins->key_values.push_back(std::move(kv));
  }
  return Status::Ok();
}

Status Parser::ParseNameOrNameVal(const ArgsInput& in) {
  Instruction* ins = in.ins;
  for (std::string& w : internal::ParseWords(in.args, escape_)) {
    KeyValue kv;
    size_t eq = w.find('=');
    kv.key = w.substr(0, eq);
    if (eq != std::string::npos) {
      kv.has_value = true;
      kv.raw_value = w.substr(eq + 1);
      kv.value = internal::UnquoteWord(kv.raw_value, escape_);
    }
    ins->key_values.push_back(std::move(kv));
    ins->args.push_back(std::move(w));
  }
  if (!ins->args.empty()) ins->form = ArgForm::kShell;
  return Status::Ok();
}

Status Parser::ParseSubCommand(const ArgsInput& in) {
  Instruction* ins = in.ins;
  if (in.args.empty()) return Status::Ok();
  if (in.depth + 1 > kMaxOnbuildDepth) return Fail(in.error_line, "ONBUILD nested too deeply");
  // The trigger's segments, re-based so it parses like a line of its own.
  std::vector<LineSegment> sub;
  for (const LineSegment& s : ins->segments) {
    size_t b = std::max(s.line_offset, in.args_offset);
    size_t e = std::min(s.line_offset + s.length, in.args_offset + in.args.size());
    if (b >= e) continue;
    size_t d = b - s.line_offset;
    sub.push_back({b - in.args_offset, s.file_offset + d, e - b, s.line, s.column + static_cast<int>(d)});
  }
  Instruction child;
  RETURN_IF_ERROR(BuildInstruction(std::string(in.args), std::move(sub), in.depth + 1, in.error_line, &child));
  ins->onbuild.push_back(std::move(child));
  ins->form = ArgForm::kShell;
  return Status::Ok();
}

Status Parser::ParseHealthConfig(const ArgsInput& in) {
  std::string_view args = in.args;
  size_t sep = 0;
  while (sep < args.size() && !internal::IsGoSpaceByte(static_cast<unsigned char>(args[sep]))) ++sep;
  size_t next = sep;
  while (next < args.size() && internal::IsGoSpaceByte(static_cast<unsigned char>(args[next]))) ++next;
  if (sep == 0) return Status::Ok();
  std::string type(args.substr(0, sep));
  ArgsInput rest = in;
  rest.args = args.substr(next);
  RETURN_IF_ERROR(ParseMaybeJson(rest));
  in.ins->args.insert(in.ins->args.begin(), std::move(type));
  if (in.ins->form == ArgForm::kNone) in.ins->form = ArgForm::kShell;
  return Status::Ok();
}

void Parser::FindHeredocs(Instruction* ins) {
  const Instruction* target = ins;
  if (ins->kind == InstructionKind::kOnbuild && !ins->onbuild.empty()) target = &ins->onbuild[0];
  if (target->kind != InstructionKind::kRun && target->kind != InstructionKind::kCopy &&
      target->kind != InstructionKind::kAdd) {
    return;
  }
  if (target->form == ArgForm::kExec) return;
  if (ins->line.find("<<") == std::string::npos) return;
  std::vector<internal::ShellWord> words;
  if (!internal::LexShellWords(ins->line, true, true, &words)) return;
  for (const internal::ShellWord& w : words) {
    std::string_view digits;
    bool chomp = false;
    std::string_view rest;
    if (!MatchHeredocMarker(w.text, &digits, &chomp, &rest) || rest.empty()) continue;
    std::vector<internal::ShellWord> plain, raw;
    if (!internal::LexShellWords(rest, false, false, &plain) || plain.size() != 1) continue;
    if (!internal::LexShellWords(rest, true, false, &raw) || raw.size() != 1) continue;
    auto quotes = [](const std::string& s) {
      size_t n = 0;
      for (char c : s) n += (c == '\'' || c == '"');
      return n;
    };
    Heredoc h;
    h.name = plain[0].text;
    h.quoted = quotes(plain[0].text) != quotes(raw[0].text);
    h.strip_tabs = chomp;
    if (!digits.empty()) {
      // strconv.ParseUint failure (overflow) gives 0 in BuildKit.
      h.fd = digits.size() > 9 ? 0 : std::stoi(std::string(digits));
    }
    h.marker_range = ins->RangeOf(w.begin, w.end);
    ins->heredocs.push_back(std::move(h));
  }
}

void Parser::BuildStages() {
  bool seen_from = false;
  for (size_t i = 0; i < df_.instructions.size(); ++i) {
    const Instruction& ins = df_.instructions[i];
    if (ins.kind == InstructionKind::kArg && !seen_from) {
      for (const KeyValue& kv : ins.key_values) df_.global_args.push_back(kv);
      continue;
    }
    if (ins.kind != InstructionKind::kFrom) continue;
    seen_from = true;
    if (!df_.stages.empty()) df_.stages.back().end_instruction = i;
    Stage s;
    s.index = df_.stages.size();
    s.from_instruction = i;
    s.end_instruction = df_.instructions.size();
    std::vector<Word> words = SplitTokenWhitespace(ins.args_text());
    if (ins.args_text().empty()) words.clear();
    if (!words.empty()) {
      s.image = std::string(ins.args_text().substr(words[0].offset, words[0].length));
      s.image_range = ins.RangeOf(ins.args_offset + words[0].offset,
                                  ins.args_offset + words[0].offset + words[0].length);
    }
    if (words.size() == 3) {
      std::string_view as = ins.args_text().substr(words[1].offset, words[1].length);
      if (as.size() == 2 && (as[0] == 'a' || as[0] == 'A') && (as[1] == 's' || as[1] == 'S')) {
        s.name = std::string(ins.args_text().substr(words[2].offset, words[2].length));
        s.name_range = ins.RangeOf(ins.args_offset + words[2].offset,
                                   ins.args_offset + words[2].offset + words[2].length);
      } else {
        s.parse_ok = false;
      }
    } else if (words.size() != 1) {
      s.parse_ok = false;
    }
    for (char c : s.name) {
      s.name_lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (const Flag* p = ins.FindFlag("platform")) s.platform = p->value;
    s.image_expanded = ExpandVariables(s.image, LookupFromKeyValues(df_.global_args), escape_);
    df_.stages.push_back(std::move(s));
  }
}

}  // namespace

InstructionKind KindOfKeyword(std::string_view keyword) {
  struct Entry {
    const char* name;
    InstructionKind kind;
  };
  static const Entry kTable[] = {
      {"ADD", InstructionKind::kAdd},
      {"ARG", InstructionKind::kArg},
      {"CMD", InstructionKind::kCmd},
      {"COPY", InstructionKind::kCopy},
      {"ENTRYPOINT", InstructionKind::kEntrypoint},
      {"ENV", InstructionKind::kEnv},
      {"EXPOSE", InstructionKind::kExpose},
      {"FROM", InstructionKind::kFrom},
      {"HEALTHCHECK", InstructionKind::kHealthcheck},
      {"LABEL", InstructionKind::kLabel},
      {"MAINTAINER", InstructionKind::kMaintainer},
      {"ONBUILD", InstructionKind::kOnbuild},
      {"RUN", InstructionKind::kRun},
      {"SHELL", InstructionKind::kShell},
      {"STOPSIGNAL", InstructionKind::kStopsignal},
      {"USER", InstructionKind::kUser},
      {"VOLUME", InstructionKind::kVolume},
      {"WORKDIR", InstructionKind::kWorkdir},
  };
  if (keyword.size() < 3 || keyword.size() > 11) return InstructionKind::kUnknown;
  for (const Entry& e : kTable) {
    size_t n = std::strlen(e.name);
    if (n != keyword.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < n && eq; ++i) {
      char c = keyword[i];
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      eq = c == e.name[i];
    }
    if (eq) return e.kind;
  }
  return InstructionKind::kUnknown;
}

Result<Dockerfile> ParseDockerfile(std::string_view text, std::string_view filename) {
  Parser p(text, filename);
  return p.Run();
}

}  // namespace whittle::lint
