// A conservative POSIX-shell command splitter; see shell_split.h.
//
// Two layers: a lexer that turns the script into words (unquoted text plus
// the raw byte range) and operators, and a small state machine that groups
// words into simple commands. Whenever the input leaves the small subset we
// understand, ShellScript::uncertain is set with a reason; the commands
// found so far are still returned, but rules must not report on them.
#include "lint/shell_split.h"

#include <cstring>

namespace whittle::lint {
namespace {

constexpr int kMaxNesting = 4;  // sh -c 'sh -c "..."' levels re-split

enum class TokKind { kWord, kOp, kNewline, kEnd };

struct Token {
  TokKind kind = TokKind::kEnd;
  std::string text;       // word: unquoted text; op: the operator
  size_t begin = 0;
  size_t end = 0;
  bool quoted = false;     // some part was quoted or escaped
  bool expansion = false;  // contains $..., `...` or $(...)
  bool subst_first = false;  // starts with a command substitution
};

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }
bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool IsMeta(char c) {
  return c == '|' || c == '&' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' ||
         c == '\n' || IsBlank(c);
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  // Returns false (with reason_) on a construct the lexer cannot follow.
  bool Next(Token* t) {
    *t = Token();
    SkipBlanks();
    t->begin = i_;
    if (i_ >= s_.size()) {
      t->kind = TokKind::kEnd;
      t->end = i_;
      return true;
    }
    char c = s_[i_];
    if (c == '\n') {
      t->kind = TokKind::kNewline;
      t->text = "\n";
      ++i_;
      t->end = i_;
      return true;
    }
    if (c == '#') {  // comment to end of line
      while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      return Next(t);
    }
    // Redirection with an fd number: 2>file, 2>&1.
    size_t d = i_;
    while (d < s_.size() && s_[d] >= '0' && s_[d] <= '9') ++d;
    if (d > i_ && d < s_.size() && (s_[d] == '<' || s_[d] == '>')) {
      i_ = d;
      ReadOp(t);  // t->begin stays at the fd digits
      return true;
    }
    if (c != '\0' && std::strchr("|&;<>()", c) != nullptr) {
      ReadOp(t);
      return true;
    }
    t->kind = TokKind::kWord;
    return ReadWord(t);
  }

  const std::string& reason() const { return reason_; }
  size_t pos() const { return i_; }

 private:
  void SkipBlanks() {
    while (i_ < s_.size()) {
      if (IsBlank(s_[i_])) {
        ++i_;
      } else if (s_[i_] == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {
        i_ += 2;  // line continuation
      } else {
        break;
      }
    }
  }

  void ReadOp(Token* t) {
    static const char* const kOps[] = {"<<<", "<<-", "&>>", "&&", "||", ";;", "|&", ">>", ">|",
                                       ">&",  "<&",  "<>",  "<<", "&>", "|",  "&",  ";",  "<",
                                       ">",   "(",   ")"};
    t->kind = TokKind::kOp;
    for (const char* op : kOps) {
      size_t n = std::strlen(op);
      if (s_.substr(i_, n) == op) {
        t->text = op;
        i_ += n;
        break;
      }
    }
    if (t->text.empty()) ++i_;  // cannot happen for the callers' inputs; never loop
    t->end = i_;
  }

  // Skips `$(...)`/`${...}` with i_ at the opening '(' or '{'; quotes and
  // backslashes inside are honoured. False if it is not closed.
  bool SkipBalanced(char open, char close) {
    int level = 0;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\' && i_ + 1 < s_.size()) {
        i_ += 2;
        continue;
      }
      if (c == '\'') {
        size_t q = s_.find('\'', i_ + 1);
        if (q == std::string_view::npos) return false;
        i_ = q + 1;
        continue;
      }
      if (c == '"') {
        ++i_;
        while (i_ < s_.size() && s_[i_] != '"') i_ += (s_[i_] == '\\') ? 2 : 1;
        if (i_ >= s_.size()) return false;
        ++i_;
        continue;
      }
      ++i_;
      if (c == open) {
        ++level;
      } else if (c == close && --level == 0) {
        return true;
      }
    }
    return false;
  }

  // Skips `...` with i_ at the opening backtick.
  bool SkipBacktick() {
    ++i_;
    while (i_ < s_.size()) {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
        i_ += 2;
        continue;
      }
      if (s_[i_] == '`') {
        ++i_;
        return true;
      }
      ++i_;
    }
    return false;
  }

  bool ReadDollar(Token* t) {
    // At '$'. Keeps the raw text of the expansion in the word.
    size_t start = i_;
    t->expansion = true;
    if (i_ + 1 < s_.size() && s_[i_ + 1] == '(') {
      if (t->text.empty() && !t->quoted) t->subst_first = true;
      ++i_;
      if (!SkipBalanced('(', ')')) return Fail("unterminated $(");
    } else if (i_ + 1 < s_.size() && s_[i_ + 1] == '{') {
      ++i_;
      if (!SkipBalanced('{', '}')) return Fail("unterminated ${");
    } else {
      ++i_;
      while (i_ < s_.size() && IsNameChar(s_[i_])) ++i_;
      if (i_ == start + 1 && i_ < s_.size() && s_[i_] != '\0' &&
          std::strchr("@*#?$!-0123456789", s_[i_]) != nullptr) {
        ++i_;
      }
    }
    t->text.append(s_.substr(start, i_ - start));
    return true;
  }

  bool ReadWord(Token* t) {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (IsMeta(c)) break;
      if (c == '\\') {
        if (i_ + 1 >= s_.size()) {
          ++i_;
          break;
        }
        if (s_[i_ + 1] == '\n') {  // continuation inside a word
          i_ += 2;
          continue;
        }
        t->quoted = true;
        t->text.push_back(s_[i_ + 1]);
        i_ += 2;
        continue;
      }
      if (c == '\'') {
        size_t q = s_.find('\'', i_ + 1);
        if (q == std::string_view::npos) return Fail("unterminated single quote");
        t->quoted = true;
        t->text.append(s_.substr(i_ + 1, q - i_ - 1));
        i_ = q + 1;
        continue;
      }
      if (c == '$' && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {  // $'...'
        t->quoted = true;
        i_ += 2;
        while (i_ < s_.size() && s_[i_] != '\'') {
          if (s_[i_] == '\\' && i_ + 1 < s_.size()) {
            char e = s_[i_ + 1];
            const char* from = "ntr\\'\"";
            const char* to = "\n\t\r\\'\"";
            const char* p = std::strchr(from, e);
            if (p != nullptr && e != '\0') {
              t->text.push_back(to[p - from]);
            } else {
              t->text.push_back('\\');
              t->text.push_back(e);
            }
            i_ += 2;
            continue;
          }
          t->text.push_back(s_[i_]);
          ++i_;
        }
        if (i_ >= s_.size()) return Fail("unterminated $'");
        ++i_;
        continue;
      }
      if (c == '"') {
        t->quoted = true;
        ++i_;
        bool closed = false;
        while (i_ < s_.size()) {
          char q = s_[i_];
          if (q == '"') {
            closed = true;
            ++i_;
            break;
          }
          if (q == '\\' && i_ + 1 < s_.size()) {
            char n = s_[i_ + 1];
            if (n == '\n') {
              i_ += 2;
              continue;
            }
            if (n == '"' || n == '\\' || n == '$' || n == '`') {
              t->text.push_back(n);
            } else {
              t->text.push_back('\\');
              t->text.push_back(n);
            }
            i_ += 2;
            continue;
          }
          if (q == '$') {
            if (!ReadDollar(t)) return false;
            continue;
          }
          if (q == '`') {
            size_t st = i_;
            t->expansion = true;
            if (!SkipBacktick()) return Fail("unterminated backtick");
            t->text.append(s_.substr(st, i_ - st));
            continue;
          }
          t->text.push_back(q);
          ++i_;
        }
        if (!closed) return Fail("unterminated double quote");
        continue;
      }
      if (c == '$') {
        if (!ReadDollar(t)) return false;
        continue;
      }
      if (c == '`') {
        if (t->text.empty() && !t->quoted) t->subst_first = true;
        size_t st = i_;
        t->expansion = true;
        if (!SkipBacktick()) return Fail("unterminated backtick");
        t->text.append(s_.substr(st, i_ - st));
        continue;
      }
      t->text.push_back(c);
      ++i_;
    }
    t->end = i_;
    return true;
  }

  bool Fail(const char* why) {
    reason_ = why;
    i_ = s_.size();
    return false;
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string reason_;
};

bool IsReservedWord(std::string_view w) {
  static const char* const kWords[] = {"if",   "then",  "else",   "elif", "fi",
                                       "for",  "while", "until",  "do",   "done",
                                       "case", "esac",  "select", "function", "!",
                                       "[[",   "]]",    "in",     "coproc"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return false;
}

bool IsAssignment(std::string_view raw) {
  if (raw.empty() || !IsNameStart(raw[0])) return false;
  size_t i = 1;
  while (i < raw.size() && IsNameChar(raw[i])) ++i;
  return i < raw.size() && raw[i] == '=';
}

bool IsShellName(std::string_view n) {
  size_t slash = n.rfind('/');
  if (slash != std::string_view::npos) n = n.substr(slash + 1);
  return n == "sh" || n == "bash" || n == "dash" || n == "ash" || n == "zsh" || n == "ksh";
}

bool IsErrexitSet(const std::vector<std::string>& argv) {
  if (argv.empty() || argv[0] != "set") return false;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.size() > 1 && a[0] == '-' && a[1] != 'o' && a.find('e') != std::string::npos) return true;
    if (a == "-o" && i + 1 < argv.size() && argv[i + 1] == "errexit") return true;
    if (a.size() > 2 && a[0] == '-' && a[1] != '-' && a.back() == 'o' &&
        a.find('e') != std::string::npos) {
      return true;
    }
  }
  return false;
}

class Splitter {
 public:
  Splitter(std::string_view s, int nested, ShellScript* out) : s_(s), nested_(nested), out_(out) {}

  void Run() {
    Lexer lex(s_);
    Token t;
    while (true) {
      if (!lex.Next(&t)) {
        Uncertain(lex.reason());
        Flush(ShellOp::kEnd);
        break;
      }
      if (t.kind == TokKind::kEnd) {
        Flush(ShellOp::kEnd);
        break;
      }
      if (t.kind == TokKind::kNewline) {
        if (expect_ == Expect::kForHead) expect_ = Expect::kCommand;
        if (started_) Flush(ShellOp::kNewline);
        continue;
      }
      if (t.kind == TokKind::kOp) {
        Op(t, lex);
      } else {
        Word(t);
      }
    }
    if (pending_redirect_ || block_redirect_) Uncertain("redirection without a target");
    // The last command at this level is not joined to anything.
    for (size_t i = out_->commands.size(); i-- > 0;) {
      if (out_->commands[i].nested == nested_) {
        if (out_->commands[i].op != ShellOp::kBackground) out_->commands[i].op = ShellOp::kEnd;
        break;
      }
    }
    if (group_depth_ != 0) Uncertain("unbalanced ( ) or { }");
    if (!blocks_.empty() || expect_ != Expect::kCommand) Uncertain("unterminated if/for/while/case");
    if (in_test_) Uncertain("unterminated [[");
  }

 private:
  void Uncertain(const std::string& why) {
    if (!out_->uncertain) {
      out_->uncertain = true;
      out_->reason = why;
    }
  }

  void Touch(const Token& t) {
    if (!started_) cur_.begin = t.begin;
    started_ = true;
    cur_.end = t.end;
    after_group_ = false;
  }

  void Word(const Token& t) {
    std::string_view raw = s_.substr(t.begin, t.end - t.begin);
    if (pending_redirect_) {
      pending_redirect_ = false;
      Touch(t);
      return;
    }
    if (block_redirect_) {  // the target of a block's redirection
      block_redirect_ = false;
      return;
    }
    switch (expect_) {
      case Expect::kCommand: break;
      case Expect::kForHead: return;  // `for NAME in WORDS`: no command runs
      case Expect::kCaseWord:
        expect_ = Expect::kCaseIn;
        return;
      case Expect::kCaseIn:
        if (t.quoted || raw != "in") Uncertain("case without 'in'");
        expect_ = Expect::kCasePattern;
        return;
      case Expect::kCasePattern:
        if (!t.quoted && raw == "esac") CloseBlock('c');
        return;  // a pattern word (`amd64`, `arm*`)
    }
    if (in_test_) {  // `[[ ... ]]` takes every word up to `]]`
      if (!t.quoted && raw == "]]") in_test_ = false;
      cur_.argv.push_back(t.text);
      cur_.argv_ranges.push_back({t.begin, t.end});
      Touch(t);
      return;
    }
    if (!started_ && !t.quoted && Keyword(raw)) return;
    if (cur_.argv.empty()) {
      if (IsAssignment(raw)) {
        cur_.env.push_back(t.text);
        Touch(t);
        return;
      }
      if (!started_ && !t.quoted && (raw == "{" || raw == "}")) {
        if (raw == "{") {
          ++group_depth_;
        } else if (group_depth_ == 0) {
          Uncertain("unbalanced }");
        } else {
          --group_depth_;
          after_group_ = true;
        }
        return;
      }
      if (!t.quoted && raw == "[[") in_test_ = true;
      else if (!t.quoted && IsReservedWord(raw)) Uncertain("shell keyword '" + std::string(raw) + "'");
      if (t.subst_first) Uncertain("command substitution used as a command");
      if (t.expansion) Uncertain("command name from an expansion");
    }
    cur_.argv.push_back(t.text);
    cur_.argv_ranges.push_back({t.begin, t.end});
    Touch(t);
  }

  void Op(const Token& t, const Lexer& lex) {
    const std::string& op = t.text;
    if (in_test_ && (op == "&&" || op == "||" || op == "<" || op == ">" || op == "(" || op == ")")) {
      cur_.argv.push_back(op);  // operators of the test expression
      cur_.argv_ranges.push_back({t.begin, t.end});
      Touch(t);
      return;
    }
    switch (expect_) {
      case Expect::kCommand: break;
      case Expect::kForHead:
        if (op == ";") {
          expect_ = Expect::kCommand;
        } else {
          Uncertain(op == "(" ? "arithmetic for" : "operator '" + op + "' in a for list");
        }
        return;
      case Expect::kCaseWord:
      case Expect::kCaseIn:
        Uncertain("operator '" + op + "' in a case head");
        return;
      case Expect::kCasePattern:
        if (op == ")") expect_ = Expect::kCommand;  // the branch's commands follow
        else if (op != "|" && op != "(") Uncertain("operator '" + op + "' in a case pattern");
        return;
    }
    if (op == ";;") {
      if (blocks_.empty() || blocks_.back() != 'c') {
        Uncertain("';;' outside case");
        return;
      }
      if (started_) Flush(ShellOp::kSemicolon);
      expect_ = Expect::kCasePattern;
      after_group_ = false;
      return;
    }
    if (op == "<<<") {
      Uncertain("here-string");
      Redirect(t);
      return;
    }
    if (op == "<<" || op == "<<-") {
      // A heredoc body would follow on the next lines; we would read it as
      // commands. On a single line (a Dockerfile RUN whose bodies the
      // Dockerfile parser took away) it is just a redirection.
      if (s_.find('\n', lex.pos()) != std::string_view::npos) Uncertain("heredoc inside the script");
      Redirect(t);
      return;
    }
    if (op == ">" || op == ">>" || op == "<" || op == ">|" || op == ">&" || op == "<&" ||
        op == "<>" || op == "&>" || op == "&>>") {
      Redirect(t);
      return;
    }
    if (op == "(") {
      if (started_) {
        Uncertain("function definition or '(' after words");
        return;
      }
      if (!lex_paren_ok(t)) Uncertain("arithmetic command");
      ++group_depth_;
      return;
    }
    if (op == ")") {
      if (group_depth_ == 0) {
        Uncertain("unbalanced )");
        return;
      }
      Flush(ShellOp::kSemicolon);
      --group_depth_;
      after_group_ = true;
      return;
    }
    ShellOp sop = op == "&&"   ? ShellOp::kAnd
                  : op == "||" ? ShellOp::kOr
                  : op == ";"  ? ShellOp::kSemicolon
                  : op == "&"  ? ShellOp::kBackground
                               : ShellOp::kPipe;  // | and |&
    if (sop == ShellOp::kOr) out_->has_or = true;
    if (!started_) {
      // `( a; b ) && c`: the operator after a group joins its last command.
      if (after_group_ && !out_->commands.empty()) {
        out_->commands[last_flushed_].op = sop;
        after_group_ = false;
        return;
      }
      Uncertain("operator '" + op + "' without a command");
      return;
    }
    Flush(sop);
  }

  // A reserved word at the start of a command. Compound commands are
  // followed, not executed: their bodies' simple commands are listed in
  // order (with in_compound set), the conditions included, since any of
  // them may run. Returns true when |w| was consumed as a keyword.
  bool Keyword(std::string_view w) {
    if (w == "if" || w == "while" || w == "until") {
      blocks_.push_back(w == "if" ? 'i' : 'l');
      return true;
    }
    if (w == "for" || w == "select") {
      blocks_.push_back('l');
      expect_ = Expect::kForHead;
      return true;
    }
    if (w == "case") {
      blocks_.push_back('c');
      expect_ = Expect::kCaseWord;
      return true;
    }
    if (w == "then" || w == "else" || w == "elif") {
      if (blocks_.empty() || blocks_.back() != 'i') Uncertain("'" + std::string(w) + "' outside if");
      return true;
    }
    if (w == "do") {
      if (blocks_.empty() || blocks_.back() != 'l') Uncertain("'do' outside a loop");
      return true;
    }
    if (w == "fi") return CloseBlock('i');
    if (w == "done") return CloseBlock('l');
    if (w == "esac") return CloseBlock('c');
    if (w == "!") return true;  // negation: the command still runs
    return false;
  }

  bool CloseBlock(char kind) {
    if (blocks_.empty() || blocks_.back() != kind) {
      Uncertain("unbalanced if/for/while/case");
      return true;
    }
    blocks_.pop_back();
    expect_ = Expect::kCommand;
    after_group_ = true;  // `fi && x`: the operator joins the block's last command
    return true;
  }

  // "((" is arithmetic, not two subshells.
  bool lex_paren_ok(const Token& t) const { return !(t.end < s_.size() && s_[t.end] == '('); }

  void Redirect(const Token& t) {
    if (!started_ && after_group_) {
      // `done < list`, `) > log`: the redirection belongs to the block.
      block_redirect_ = true;
      return;
    }
    Touch(t);
    pending_redirect_ = true;
  }

  void Flush(ShellOp op) {
    if (pending_redirect_) Uncertain("redirection without a target");
    pending_redirect_ = false;
    if (!started_) return;
    cur_.op = op;
    cur_.in_compound = !blocks_.empty();
    cur_.in_group = group_depth_ > 0 || cur_.in_compound;
    cur_.nested = nested_;
    if (IsErrexitSet(cur_.argv)) out_->errexit = true;
    out_->commands.push_back(std::move(cur_));
    last_flushed_ = out_->commands.size() - 1;
    cur_ = ShellCommand();
    started_ = false;
    MaybeResplit(last_flushed_);
  }

  // `sh -c 'script'`, `bash -ec "script"`: split the script as well.
  void MaybeResplit(size_t index) {
    std::vector<std::string> argv = out_->commands[index].argv;
    if (argv.size() < 3 || !IsShellName(argv[0])) return;
    size_t i = 1;
    bool has_c = false;
    for (; i < argv.size(); ++i) {
      const std::string& a = argv[i];
      if (a.size() < 2 || a[0] != '-' || a == "--") break;
      if (a[1] != '-' && a.find('c') != std::string::npos) has_c = true;
      if (a == "-o" || a == "+o") ++i;  // takes an option name
    }
    if (!has_c || i >= argv.size()) return;
    if (nested_ + 1 > kMaxNesting) {
      Uncertain("sh -c nested too deeply");
      return;
    }
    const std::string& script = argv[i];
    size_t cmd_begin = out_->commands[index].begin;
    size_t cmd_end = out_->commands[index].end;
    bool group = out_->commands[index].in_group;
    bool compound = out_->commands[index].in_compound;
    // Where does the script sit in our text? Only a simply quoted word
    // ('...' or "..." without escapes or expansions) maps byte for byte;
    // otherwise inner commands get the range of the whole sh command.
    std::string_view text = s_.substr(cmd_begin, cmd_end - cmd_begin);
    size_t base = std::string_view::npos;
    for (char q : {'\'', '"'}) {
      std::string quoted = std::string(1, q) + script + std::string(1, q);
      size_t at = text.rfind(quoted);
      if (at != std::string_view::npos &&
          (q == '\'' || script.find_first_of("\\$`") == std::string::npos)) {
        base = cmd_begin + at + 1;
        break;
      }
    }
    if (base == std::string_view::npos && script.find_first_of(" \t\\'\"$`") == std::string::npos) {
      size_t at = text.rfind(script);
      if (at != std::string_view::npos) base = cmd_begin + at;
    }
    ShellScript inner;
    Splitter sub(script, nested_ + 1, &inner);
    sub.Run();
    if (inner.uncertain) Uncertain("in sh -c: " + inner.reason);
    if (inner.errexit) out_->errexit = true;
    if (inner.has_or) out_->has_or = true;
    for (ShellCommand& c : inner.commands) {
      if (base != std::string_view::npos) {
        c.begin += base;
        c.end += base;
        for (WordRange& r : c.argv_ranges) {
          r.begin += base;
          r.end += base;
        }
      } else {
        c.begin = cmd_begin;
        c.end = cmd_end;
        for (WordRange& r : c.argv_ranges) r = {cmd_begin, cmd_end};
        c.ranges_exact = false;
      }
      c.in_group = c.in_group || group;
      c.in_compound = c.in_compound || compound;
      out_->commands.push_back(std::move(c));
    }
  }

  std::string_view s_;
  int nested_;
  ShellScript* out_;
  ShellCommand cur_;
  bool started_ = false;
  bool pending_redirect_ = false;
  bool after_group_ = false;
  int group_depth_ = 0;
  // Compound commands: what the next word is, and the open blocks
  // ('i' if, 'l' for/while/until/select, 'c' case), innermost last.
  enum class Expect { kCommand, kForHead, kCaseWord, kCaseIn, kCasePattern };
  Expect expect_ = Expect::kCommand;
  std::string blocks_;
  bool in_test_ = false;  // inside `[[ ... ]]`
  bool block_redirect_ = false;  // a block's redirection awaits its target
  size_t last_flushed_ = 0;
};

}  // namespace

ShellScript SplitShell(std::string_view script) {
  ShellScript out;
  Splitter s(script, 0, &out);
  s.Run();
  return out;
}

const char* ShellOpName(ShellOp op) {
  switch (op) {
    case ShellOp::kEnd: return "end";
    case ShellOp::kAnd: return "&&";
    case ShellOp::kOr: return "||";
    case ShellOp::kSemicolon: return ";";
    case ShellOp::kNewline: return "newline";
    case ShellOp::kPipe: return "|";
    case ShellOp::kBackground: return "&";
  }
  return "?";
}

}  // namespace whittle::lint
