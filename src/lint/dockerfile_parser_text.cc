// Character-level helpers of the Dockerfile parser; see
// dockerfile_parser_text.h. Each function states which BuildKit/Go behaviour
// it reproduces; quirks are reproduced on purpose so the AST matches.
#include "lint/dockerfile_parser_text.h"

namespace whittle::lint::internal {

uint32_t DecodeRune(std::string_view s, size_t pos, size_t* width) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  size_t n = s.size() - pos;
  unsigned char c0 = p[0];
  *width = 1;
  if (c0 < 0x80) return c0;
  auto cont = [&](size_t i) { return i < n && (p[i] & 0xC0) == 0x80; };
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (!cont(1)) return 0xFFFD;
    *width = 2;
    return ((c0 & 0x1Fu) << 6) | (p[1] & 0x3Fu);
  }
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0xFFFD;
    if (c0 == 0xE0 && p[1] < 0xA0) return 0xFFFD;  // overlong
    if (c0 == 0xED && p[1] >= 0xA0) return 0xFFFD;  // surrogate
    *width = 3;
    return ((c0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0xFFFD;
    if (c0 == 0xF0 && p[1] < 0x90) return 0xFFFD;  // overlong
    if (c0 == 0xF4 && p[1] >= 0x90) return 0xFFFD;  // > U+10FFFF
    *width = 4;
    return ((c0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
           (p[3] & 0x3Fu);
  }
  return 0xFFFD;
}

void AppendRune(std::string* out, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool IsGoSpace(uint32_t r) {
  switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ':
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool IsGoSpaceByte(unsigned char b) { return IsGoSpace(b); }

std::string_view GoTrimLeftSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t w;
    uint32_t r = DecodeRune(s, i, &w);
    if (!IsGoSpace(r)) break;
    i += w;
  }
  return s.substr(i);
}

std::string_view GoTrimRightSpace(std::string_view s) {
  size_t end = s.size();
  while (end > 0) {
    // Find the start of the last rune (at most 4 bytes back).
    size_t start = end - 1;
    while (start > 0 && end - start < 4 &&
           (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) {
      --start;
    }
    size_t w;
    uint32_t r = DecodeRune(s.substr(0, end), start, &w);
    if (start + w != end) {  // not a whole rune ending here: a lone byte
      start = end - 1;
      r = DecodeRune(s.substr(0, end), start, &w);
    }
    if (!IsGoSpace(r)) break;
    end = start;
  }
  return s.substr(0, end);
}

std::string_view GoTrimSpace(std::string_view s) { return GoTrimRightSpace(GoTrimLeftSpace(s)); }

// --- JSON (Go encoding/json semantics for a top-level array) -------------

namespace {

constexpr int kMaxJsonDepth = 10000;  // encoding/json's maxNestingDepth

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class JsonReader {
 public:
  explicit JsonReader(std::string_view s) : s_(s) {}

  void SkipSpace() {
    while (pos_ < s_.size() && IsJsonSpace(s_[pos_])) ++pos_;
  }
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  size_t pos() const { return pos_; }

  // Reads a string at pos_ (which holds '"'); decodes into |out| if given.
  bool ReadString(std::string* out) {
    ++pos_;  // opening quote
    while (pos_ < s_.size()) {
      unsigned char c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return false;
        char e = s_[pos_ + 1];
        pos_ += 2;
        switch (e) {
          case '"': case '\\': case '/':
            if (out) out->push_back(e);
            break;
          case 'b': if (out) out->push_back('\b'); break;
          case 'f': if (out) out->push_back('\f'); break;
          case 'n': if (out) out->push_back('\n'); break;
          case 'r': if (out) out->push_back('\r'); break;
          case 't': if (out) out->push_back('\t'); break;
          case 'u': {
            int cp = ReadHex4();
            if (cp < 0) return false;
            uint32_t r = static_cast<uint32_t>(cp);
            if (r >= 0xD800 && r < 0xDC00) {
              // A high surrogate pairs only with an immediately following
              // \uDC00-\uDFFF; otherwise it decodes to U+FFFD.
              if (pos_ + 1 < s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
                size_t save = pos_;
                pos_ += 2;
                int lo = ReadHex4();
                if (lo < 0) return false;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                  r = 0x10000 + ((r - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
                } else {
                  pos_ = save;  // the second escape is decoded on its own
                  r = 0xFFFD;
                }
              } else {
                r = 0xFFFD;
              }
            } else if (r >= 0xDC00 && r <= 0xDFFF) {
              r = 0xFFFD;
            }
            if (out) AppendRune(out, r);
            break;
          }
          default:
            return false;
        }
        continue;
      }
      if (c < 0x80) {
        if (out) out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      size_t w;
      uint32_t r = DecodeRune(s_, pos_, &w);
      if (out) {
        if (r == 0xFFFD && w == 1) {
          AppendRune(out, 0xFFFD);
        } else {
          out->append(s_.substr(pos_, w));
        }
      }
      pos_ += w;
    }
    return false;
  }

  bool ReadNumber() {
    if (Peek() == '-') ++pos_;
    if (Peek() == '0') {
      ++pos_;
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    } else {
      return false;
    }
    if (Peek() == '.') {
      ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return false;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!(Peek() >= '0' && Peek() <= '9')) return false;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
    }
    return true;
  }

  bool ReadLiteral(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }

  void Advance() { ++pos_; }

 private:
  int ReadHex4() {
    if (pos_ + 4 > s_.size()) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(s_[pos_ + static_cast<size_t>(i)]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    pos_ += 4;
    return v;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

JsonArrayStatus ParseJsonStringArray(std::string_view s, std::vector<std::string>* out) {
  out->clear();
  s = GoTrimLeftSpace(s);
  if (s.empty() || s[0] != '[') return JsonArrayStatus::kNotJson;
  JsonReader r(s);
  // Explicit stack of open containers ('[' or '{'); no recursion, so deep
  // nesting cannot overflow our stack.
  std::vector<char> stack;
  bool non_string = false;
  // States: expecting a value, or after a value (expect ',' or close).
  enum class Want { kValue, kValueOrClose, kCommaOrClose, kKey, kKeyOrClose, kColon };
  Want want = Want::kValue;
  bool done = false;
  while (!done) {
    r.SkipSpace();
    if (r.AtEnd()) return JsonArrayStatus::kNotJson;
    char c = r.Peek();
    switch (want) {
      case Want::kValue:
      case Want::kValueOrClose: {
        if (want == Want::kValueOrClose && c == ']') {
          r.Advance();
          stack.pop_back();
          if (stack.empty()) done = true;
          want = Want::kCommaOrClose;
          break;
        }
        bool top_element = stack.size() == 1 && stack[0] == '[';
        if (c == '[' || c == '{') {
          if (static_cast<int>(stack.size()) + 1 > kMaxJsonDepth) return JsonArrayStatus::kNotJson;
          if (top_element) non_string = true;
          stack.push_back(c);
          r.Advance();
          want = c == '[' ? Want::kValueOrClose : Want::kKeyOrClose;
          break;
        }
        if (c == '"') {
          std::string value;
          if (!r.ReadString(top_element ? &value : nullptr)) return JsonArrayStatus::kNotJson;
          if (top_element) out->push_back(std::move(value));
        } else if (c == '-' || (c >= '0' && c <= '9')) {
          if (!r.ReadNumber()) return JsonArrayStatus::kNotJson;
          if (top_element) non_string = true;
        } else if (c == 't' || c == 'f' || c == 'n') {
          if (!r.ReadLiteral(c == 't' ? "true" : c == 'f' ? "false" : "null")) {
            return JsonArrayStatus::kNotJson;
          }
          if (top_element) non_string = true;
        } else {
          return JsonArrayStatus::kNotJson;
        }
        want = Want::kCommaOrClose;
        break;
      }
      case Want::kCommaOrClose: {
        char open = stack.back();
        if (c == ',') {
          r.Advance();
          want = open == '[' ? Want::kValue : Want::kKey;
        } else if ((open == '[' && c == ']') || (open == '{' && c == '}')) {
          r.Advance();
          stack.pop_back();
          if (stack.empty()) done = true;
        } else {
          return JsonArrayStatus::kNotJson;
        }
        break;
      }
      case Want::kKey:
      case Want::kKeyOrClose:
        if (want == Want::kKeyOrClose && c == '}') {
          r.Advance();
          stack.pop_back();
          want = Want::kCommaOrClose;
          break;
        }
        if (c != '"' || !r.ReadString(nullptr)) return JsonArrayStatus::kNotJson;
        want = Want::kColon;
        break;
      case Want::kColon:
        if (c != ':') return JsonArrayStatus::kNotJson;
        r.Advance();
        want = Want::kValue;
        break;
    }
  }
  r.SkipSpace();
  if (!r.AtEnd()) return JsonArrayStatus::kNotJson;  // json.Unmarshal: trailing data
  if (non_string) {
    out->clear();
    return JsonArrayStatus::kNotStringArray;
  }
  return JsonArrayStatus::kOk;
}

// --- parseWords ------------------------------------------------------------

std::vector<std::string> ParseWords(std::string_view s, char escape) {
  enum { kInSpaces, kInWord, kInQuote } phase = kInSpaces;
  std::vector<std::string> words;
  std::string word;
  uint32_t quote = 0;
  bool blank_ok = false;
  uint32_t ch = 0;
  size_t width = 1;
  const uint32_t esc = static_cast<unsigned char>(escape);
  auto put = [&](uint32_t r) { AppendRune(&word, r); };
  for (size_t pos = 0; pos <= s.size(); pos += width) {
    if (pos != s.size()) ch = DecodeRune(s, pos, &width);
    if (phase == kInSpaces) {
      if (pos == s.size()) break;
      if (IsGoSpace(ch)) continue;
      phase = kInWord;
    }
    if (pos == s.size()) {
      if (blank_ok || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == kInWord) {
      if (IsGoSpace(ch)) {
        phase = kInSpaces;
        if (blank_ok || !word.empty()) words.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
        blank_ok = true;
        phase = kInQuote;
      }
      if (ch == esc) {
        if (pos + width == s.size()) continue;  // a trailing escape is dropped
        put(ch);
        pos += width;
        ch = DecodeRune(s, pos, &width);
      }
      put(ch);
      continue;
    }
    // kInQuote
    if (ch == quote) phase = kInWord;
    if (ch == esc && quote != '\'') {
      if (pos + width == s.size()) {
        phase = kInWord;
        continue;
      }
      pos += width;
      put(ch);
      ch = DecodeRune(s, pos, &width);
    }
    put(ch);
  }
  return words;
}

// --- extractBuilderFlags ------------------------------------------------------

size_t ExtractBuilderFlags(std::string_view s, std::vector<FlagWord>* flags) {
  enum { kInSpaces, kInWord, kInQuote } phase = kInSpaces;
  FlagWord word;
  char quote = 0;
  bool blank_ok = false;
  unsigned char ch = 0;
  // BuildKit indexes bytes and appends each as a rune: bytes >= 0x80 come
  // out re-encoded as two-byte UTF-8 in its flag strings.
  auto put = [&](unsigned char b) {
    AppendRune(&word.raw, b);
    word.clean.push_back(static_cast<char>(b));
  };
  auto is_dashdash = [&] { return word.clean == "--"; };
  for (size_t pos = 0; pos <= s.size(); ++pos) {
    if (pos != s.size()) ch = static_cast<unsigned char>(s[pos]);
    if (phase == kInSpaces) {
      if (pos == s.size()) break;
      if (IsGoSpaceByte(ch)) continue;
      if (ch != '-' || pos + 1 == s.size() || s[pos + 1] != '-') return pos;
      phase = kInWord;
      word = FlagWord();
      word.begin = pos;
    }
    if (pos == s.size()) {
      if (!is_dashdash() && (blank_ok || !word.clean.empty())) {
        word.end = pos;
        flags->push_back(std::move(word));
      }
      break;
    }
    if (phase == kInWord) {
      if (IsGoSpaceByte(ch)) {
        phase = kInSpaces;
        if (is_dashdash()) return pos;
        if (blank_ok || !word.clean.empty()) {
          word.end = pos;
          flags->push_back(std::move(word));
        }
        word = FlagWord();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = static_cast<char>(ch);
        blank_ok = true;
        phase = kInQuote;
        continue;
      }
      if (ch == '\\') {
        if (pos + 1 == s.size()) continue;
        ++pos;
        ch = static_cast<unsigned char>(s[pos]);
      }
      put(ch);
      continue;
    }
    // kInQuote
    if (ch == static_cast<unsigned char>(quote)) {
      phase = kInWord;
      continue;
    }
    if (ch == '\\') {
      if (pos + 1 == s.size()) {
        phase = kInWord;
        continue;
      }
      ++pos;
      ch = static_cast<unsigned char>(s[pos]);
    }
    put(ch);
  }
  return s.size();
}

// --- shell words (heredoc detection) -----------------------------------------

bool LexShellWords(std::string_view s, bool raw_quotes, bool raw_escapes,
                   std::vector<ShellWord>* words) {
  words->clear();
  size_t i = 0;
  while (i < s.size()) {
    size_t w;
    uint32_t r = DecodeRune(s, i, &w);
    if (IsGoSpace(r)) {
      i += w;
      continue;
    }
    ShellWord word;
    word.begin = i;
    while (i < s.size()) {
      r = DecodeRune(s, i, &w);
      if (IsGoSpace(r)) break;
      char c = s[i];
      if (c == '\'') {
        size_t close = s.find('\'', i + 1);
        if (close == std::string_view::npos) return false;
        if (raw_quotes) {
          word.text.append(s.substr(i, close + 1 - i));
        } else {
          word.text.append(s.substr(i + 1, close - i - 1));
        }
        i = close + 1;
      } else if (c == '"') {
        if (raw_quotes) word.text.push_back('"');
        ++i;
        bool closed = false;
        while (i < s.size()) {
          char d = s[i];
          if (d == '"') {
            closed = true;
            ++i;
            break;
          }
          if (d == '\\' && i + 1 < s.size()) {
            char n = s[i + 1];
            if (raw_escapes || !(n == '"' || n == '\\' || n == '$' || n == '`')) {
              word.text.push_back('\\');
            }
            word.text.push_back(n);
            i += 2;
            continue;
          }
          word.text.push_back(d);
          ++i;
        }
        if (!closed) return false;
        if (raw_quotes) word.text.push_back('"');
      } else if (c == '\\') {
        if (i + 1 >= s.size()) {
          ++i;  // a trailing backslash escapes nothing
          continue;
        }
        if (raw_escapes) word.text.push_back('\\');
        size_t nw;
        DecodeRune(s, i + 1, &nw);
        word.text.append(s.substr(i + 1, nw));
        i += 1 + nw;
      } else {
        word.text.append(s.substr(i, w));
        i += w;
      }
    }
    word.end = i;
    words->push_back(std::move(word));
  }
  return true;
}

std::string UnquoteWord(std::string_view s, char escape) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\'') {
      size_t close = s.find('\'', i + 1);
      if (close == std::string_view::npos) close = s.size();
      out.append(s.substr(i + 1, close - i - 1));
      i = close + 1;
    } else if (c == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == escape && i + 1 < s.size()) {
          char n = s[i + 1];
          if (n == '"' || n == '$' || n == escape || n == '\n') {
            if (n != '\n') out.push_back(n);
            i += 2;
            continue;
          }
        }
        out.push_back(s[i]);
        ++i;
      }
      ++i;  // closing quote (or past the end)
    } else if (c == escape) {
      if (i + 1 < s.size()) out.push_back(s[i + 1]);
      i += 2;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  return out;
}

}  // namespace whittle::lint::internal
