#include "explain/created_by.h"

#include <cctype>
#include <cstdint>

#include "explain/text_util.h"
#include "lint/dockerfile_parser.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

bool IsHexDigit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsUpperWord(std::string_view w) {
  if (w.empty()) return false;
  for (char c : w) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// "|12 " at the start: the build-arg count, or -1.
int BuildArgCount(std::string_view s, size_t* after) {
  if (s.size() < 2 || s[0] != '|' || !std::isdigit(static_cast<unsigned char>(s[1]))) return -1;
  size_t i = 1;
  int n = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    n = n * 10 + (s[i] - '0');
    if (n > 100000) return -1;
    ++i;
  }
  if (i < s.size() && s[i] != ' ') return -1;
  *after = i < s.size() ? i + 1 : i;
  return n;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

// Splits "|N K=V K2=V2 <rest>" (|s| starts after "|N "): fills |args| and
// returns where <rest> starts. The prefix ends after N tokens unless a
// value held spaces, which shows as a shell invocation starting later.
size_t SplitBuildArgs(std::string_view s, int n, std::vector<std::string>* args) {
  std::vector<size_t> starts;  // token starts
  size_t i = 0;
  while (i < s.size()) {
    starts.push_back(i);
    while (i < s.size() && s[i] != ' ') ++i;
    while (i < s.size() && s[i] == ' ') ++i;
  }
  size_t end = static_cast<size_t>(n) < starts.size() ? starts[static_cast<size_t>(n)] : s.size();
  if (end < s.size() && ShellPrefixLength(s.substr(end)) == 0) {
    for (size_t k = static_cast<size_t>(n) + 1; k < starts.size(); ++k) {
      if (ShellPrefixLength(s.substr(starts[k])) > 0) {
        end = starts[k];
        break;
      }
    }
  }
  for (std::string_view tok : Split(TrimWhitespace(s.substr(0, end)), ' ')) {
    if (tok.empty()) continue;
    size_t eq = tok.find('=');
    if (args->empty() || (eq != std::string_view::npos && IsIdentifier(tok.substr(0, eq)))) {
      args->emplace_back(tok);
    } else {
      args->back() += " ";
      args->back() += tok;
    }
  }
  return end;
}

// Fills the RUN fields from |c->raw|.
void ParseRun(CreatedBy* c) {
  std::string_view rest = c->raw;
  size_t after = 0;
  int n = BuildArgCount(rest, &after);
  if (n >= 0) {
    rest = rest.substr(after);
    rest = rest.substr(SplitBuildArgs(rest, n, &c->build_args));
  }
  size_t shell = ShellPrefixLength(rest);
  if (shell > 0) {
    c->shell = std::string(TrimWhitespace(rest.substr(0, shell)));
    rest = rest.substr(shell);
  }
  std::vector<std::string> list;
  if (!rest.empty() && rest[0] == '[' && rest.find('"') != std::string_view::npos && ParseBracketList(rest, &list)) {
    c->exec_json = true;
    c->args = JoinWords(list);
  } else {
    c->args = std::string(rest);
  }
}

// "<kind>:<64 hex>" or a bare "<64 hex>" (an ADD of a URL) ending at |end|.
bool EndsWithContentHash(std::string_view s) {
  if (s.size() < 64) return false;
  for (size_t k = s.size() - 64; k < s.size(); ++k) {
    if (!IsHexDigit(s[k])) return false;
  }
  std::string_view head = s.substr(0, s.size() - 64);
  if (head.empty() || head.back() == ' ') return true;  // URL: hash of the download
  for (std::string_view kind : {"dir:", "file:", "multi:"}) {
    if (EndsWith(head, kind)) return true;
  }
  return false;
}

// Fills the COPY/ADD fields from |c->args|.
void ParseCopy(CreatedBy* c) {
  std::string_view a = c->args;
  // Classic/buildah: "[--chown=u:g]<kind>:<hash> in <dest>". The classic
  // builder glues --chown to the hash without a space.
  for (size_t in = a.find(" in "); in != std::string_view::npos; in = a.find(" in ", in + 1)) {
    if (EndsWithContentHash(a.substr(0, in))) {
      c->hashed_sources = true;
      c->copy_dest = std::string(TrimWhitespace(a.substr(in + 4)));
      return;
    }
  }
  std::vector<std::string_view> words;
  for (std::string_view w : Split(a, ' ')) {
    if (w.empty()) continue;
    if (words.empty() && StartsWith(w, "--")) continue;  // --chown=, --chmod= (newer BuildKit)
    words.push_back(w);
  }
  if (words.empty()) return;
  c->copy_dest = std::string(words.back());
  for (size_t k = 0; k + 1 < words.size(); ++k) c->copy_sources.emplace_back(words[k]);
}

Producer ShellFormProducer(const HistoryEntry& e) {
  return StartsWith(e.comment, "FROM ") ? Producer::kBuildah : Producer::kClassic;
}

void SetKind(CreatedBy* c, std::string_view keyword) {
  c->kind = lint::KindOfKeyword(keyword);
  c->keyword = std::string(keyword);
}

// Reads one string of a quoted list at |*i| (on the opening quote).
bool ReadQuoted(std::string_view s, size_t* i, std::string* out) {
  size_t k = *i + 1;
  while (k < s.size() && s[k] != '"') {
    char ch = s[k];
    if (ch != '\\') {
      out->push_back(ch);
      ++k;
      continue;
    }
    if (k + 1 >= s.size()) return false;
    char e = s[k + 1];
    k += 2;
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case '\'':
        out->push_back(e);
        break;
      case 'n':
        out->push_back('\n');
        break;
      case 't':
        out->push_back('\t');
        break;
      case 'r':
        out->push_back('\r');
        break;
      case 'a':
        out->push_back('\a');
        break;
      case 'b':
        out->push_back('\b');
        break;
      case 'f':
        out->push_back('\f');
        break;
      case 'v':
        out->push_back('\v');
        break;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (k + digits > s.size()) return false;
        uint32_t cp = 0;
        for (size_t d = 0; d < digits; ++d) {
          char h = static_cast<char>(std::tolower(static_cast<unsigned char>(s[k + d])));
          if (!IsHexDigit(h)) return false;
          cp = cp * 16 + static_cast<uint32_t>(h <= '9' ? h - '0' : h - 'a' + 10);
        }
        k += digits;
        if (e == 'x') {
          out->push_back(static_cast<char>(cp));
        } else {
          AppendUtf8(cp, out);
        }
        break;
      }
      default:
        return false;
    }
  }
  if (k >= s.size()) return false;
  *i = k + 1;
  return true;
}

}  // namespace

const char* ProducerName(Producer producer) {
  switch (producer) {
    case Producer::kUnknown:
      return "unknown";
    case Producer::kClassic:
      return "classic builder";
    case Producer::kBuildKit:
      return "BuildKit";
    case Producer::kBuildah:
      return "buildah";
    case Producer::kKaniko:
      return "kaniko";
  }
  return "unknown";
}

bool ParseBracketList(std::string_view text, std::vector<std::string>* out) {
  std::string_view t = TrimWhitespace(text);
  if (t.size() < 2 || t.front() != '[' || t.back() != ']') return false;
  std::string_view inner = t.substr(1, t.size() - 2);
  std::vector<std::string> items;
  std::string_view lead = TrimWhitespace(inner);
  if (!lead.empty() && lead[0] == '"') {
    size_t i = 0;
    bool need_sep = false;
    while (true) {
      bool sep = false;
      while (i < inner.size() && (inner[i] == ' ' || inner[i] == ',' || inner[i] == '\t' || inner[i] == '\n')) {
        sep = true;
        ++i;
      }
      if (i >= inner.size()) break;
      if (inner[i] != '"' || (need_sep && !sep)) return false;
      std::string item;
      if (!ReadQuoted(inner, &i, &item)) return false;
      items.push_back(std::move(item));
      need_sep = true;
    }
  } else {
    for (std::string_view w : Split(inner, ' ')) {
      if (!w.empty()) items.emplace_back(w);
    }
  }
  *out = std::move(items);
  return true;
}

CreatedBy ParseCreatedBy(const HistoryEntry& entry) {
  CreatedBy c;
  std::string text = CollapseWhitespace(entry.created_by);
  bool buildkit = entry.comment == "buildkit.dockerfile.v0";
  if (EndsWith(text, " # buildkit")) {
    text.resize(text.size() - 11);
    buildkit = true;
  }
  std::string_view s = text;

  // 1. Classic/buildah nop instruction: "<shell> #(nop) KEYWORD args".
  size_t nop = s.find("#(nop)");
  if (nop != std::string_view::npos) {
    std::string_view before = TrimWhitespace(s.substr(0, nop));
    if (before.empty() || ShellPrefixLength(std::string(before) + " ") == before.size() + 1) {
      std::string_view rest = TrimWhitespace(s.substr(nop + 6));
      size_t sp = rest.find(' ');
      std::string_view word = rest.substr(0, sp);
      if (lint::KindOfKeyword(word) != lint::InstructionKind::kUnknown) {
        SetKind(&c, word);
        c.args = std::string(sp == std::string_view::npos ? "" : TrimWhitespace(rest.substr(sp)));
      } else {
        c.args = std::string(rest);
      }
      c.producer = buildkit ? Producer::kBuildKit : ShellFormProducer(entry);
      if (c.kind == lint::InstructionKind::kRun) {
        c.raw = c.args;
        ParseRun(&c);
      } else if (c.kind == lint::InstructionKind::kCopy || c.kind == lint::InstructionKind::kAdd) {
        ParseCopy(&c);
      }
      return c;
    }
  }

  size_t ignored = 0;
  size_t sp = s.find(' ');
  std::string_view first = s.substr(0, sp);
  if (BuildArgCount(s, &ignored) >= 0 || ShellPrefixLength(s) > 0) {
    // 2. Classic/buildah RUN: "[|N K=V...] <shell> command".
    SetKind(&c, "RUN");
    c.raw = std::string(s);
    c.producer = buildkit ? Producer::kBuildKit : ShellFormProducer(entry);
    ParseRun(&c);
  } else if (IsUpperWord(first) && lint::KindOfKeyword(first) != lint::InstructionKind::kUnknown) {
    // 3. BuildKit / kaniko: "KEYWORD args".
    SetKind(&c, first);
    c.args = std::string(sp == std::string_view::npos ? "" : TrimWhitespace(s.substr(sp)));
    c.producer = buildkit ? Producer::kBuildKit : Producer::kKaniko;
    if (c.kind == lint::InstructionKind::kRun) {
      c.raw = c.args;
      ParseRun(&c);
    } else if (c.kind == lint::InstructionKind::kCopy || c.kind == lint::InstructionKind::kAdd) {
      ParseCopy(&c);
    }
  } else {
    // 4. Anything else: a classic exec-form RUN, `docker commit`, an import.
    c.raw = std::string(s);
    c.args = c.raw;
    c.producer = buildkit ? Producer::kBuildKit : Producer::kUnknown;
  }
  return c;
}

}  // namespace whittle::explain
