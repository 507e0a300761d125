// BuildKit Node.Dump() reproduction; see ast_dump.h.
//
// BuildKit dumps an instruction node as
//   lower(value) [+ " " + %q(flags)] + for each Next node: " " + strconv.Quote(value)
//                                      (or the child's dump for ONBUILD)
// trimmed of whitespace, and the root as "(" + child + ")\n" per child,
// trimmed. Instruction::args holds exactly the Next values, so this is a
// straight printer.
#include "lint/ast_dump.h"

#include "lint/dockerfile_parser_text.h"

namespace whittle::lint {
namespace {

// Go's strconv.IsPrint for runes >= 0x80, approximated: everything is
// printable except the categories Go excludes that real Dockerfiles can
// contain (C1 controls, non-ASCII spaces, line/paragraph separators,
// format characters, private use, noncharacters). Unassigned code points
// (which Go also escapes) are printed as is.
bool IsPrintNonAscii(uint32_t r) {
  if (r < 0xA0) return false;  // C1 controls
  if (r == 0xA0 || r == 0xAD || r == 0x1680 || r == 0x180E) return false;
  if (r >= 0x600 && r <= 0x605) return false;
  if (r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x8E2) return false;
  if (r >= 0x2000 && r <= 0x200F) return false;
  if (r >= 0x2028 && r <= 0x202F) return false;
  if (r >= 0x205F && r <= 0x206F) return false;
  if (r == 0x3000 || r == 0xFEFF) return false;
  if (r >= 0xFFF9 && r <= 0xFFFB) return false;
  if (r >= 0xFDD0 && r <= 0xFDEF) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;  // U+xxFFFE / U+xxFFFF
  if (r >= 0xE000 && r <= 0xF8FF) return false;
  if (r >= 0xF0000) return false;  // private use planes
  if (r == 0x110BD || r == 0x110CD || (r >= 0x1D173 && r <= 0x1D17A)) return false;
  if (r >= 0xE0000 && r <= 0xE007F) return false;
  return true;
}

void AppendHex(std::string* out, uint32_t v, int digits) {
  static const char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out->push_back(kHex[(v >> (4 * i)) & 0xF]);
}

void AppendInstruction(const Instruction& ins, std::string* out) {
  std::string s;
  for (char c : ins.keyword) s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (!ins.flags.empty()) {
    s += " [";
    for (size_t i = 0; i < ins.flags.size(); ++i) {
      if (i) s += ' ';
      s += GoQuote(ins.flags[i].raw);
    }
    s += ']';
  }
  if (!ins.onbuild.empty()) {
    s += " (";
    AppendInstruction(ins.onbuild[0], &s);
    s += ')';
  } else {
    for (const std::string& a : ins.args) {
      s += ' ';
      s += GoQuote(a);
    }
  }
  out->append(internal::GoTrimSpace(s));
}

}  // namespace

std::string GoQuote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '\a': out += "\\a"; continue;
        case '\b': out += "\\b"; continue;
        case '\f': out += "\\f"; continue;
        case '\n': out += "\\n"; continue;
        case '\r': out += "\\r"; continue;
        case '\t': out += "\\t"; continue;
        case '\v': out += "\\v"; continue;
        case '\\': out += "\\\\"; continue;
        case '"': out += "\\\""; continue;
        default: break;
      }
      if (c < 0x20 || c == 0x7F) {
        out += "\\x";
        AppendHex(&out, c, 2);
      } else {
        out.push_back(static_cast<char>(c));
      }
      continue;
    }
    size_t w;
    uint32_t r = internal::DecodeRune(s, i, &w);
    if (r == 0xFFFD && w == 1) {
      out += "\\x";
      AppendHex(&out, c, 2);
    } else if (IsPrintNonAscii(r)) {
      out.append(s.substr(i, w));
    } else if (r < 0x10000) {
      out += "\\u";
      AppendHex(&out, r, 4);
    } else {
      out += "\\U";
      AppendHex(&out, r, 8);
    }
    i += w;
  }
  out.push_back('"');
  return out;
}

std::string DumpInstruction(const Instruction& instruction) {
  std::string out;
  AppendInstruction(instruction, &out);
  return out;
}

std::string DumpAst(const Dockerfile& dockerfile) {
  std::string out;
  for (const Instruction& ins : dockerfile.instructions) {
    out += '(';
    AppendInstruction(ins, &out);
    out += ")\n";
  }
  return std::string(internal::GoTrimSpace(out));
}

}  // namespace whittle::lint
