#include "explain/text_util.h"

#include <cctype>

#include "util/strings.h"

namespace whittle::explain {

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool IsShellProgram(std::string_view word) {
  size_t slash = word.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? word : word.substr(slash + 1);
  if (EndsWith(base, ".exe") || EndsWith(base, ".EXE")) base.remove_suffix(4);
  for (std::string_view sh : {"sh", "bash", "ash", "dash", "zsh", "ksh", "mksh", "cmd", "powershell", "pwsh"}) {
    if (IEquals(base, sh)) return true;
  }
  return false;
}

// The option that introduces the command: -c, -ec, -euxc, /C, -Command.
bool TakesCommand(std::string_view opt) {
  if (IEquals(opt, "/c") || IEquals(opt, "-command") || IEquals(opt, "-c")) return true;
  if (opt.size() >= 2 && opt[0] == '-' && opt[1] != '-' && opt.back() == 'c') {
    for (char c : opt.substr(1)) {
      if (!std::isalpha(static_cast<unsigned char>(c))) return false;
    }
    return true;
  }
  return false;
}

}  // namespace

size_t ShellPrefixLength(std::string_view s) {
  size_t i = 0;
  auto next_word = [&](std::string_view* w) {
    if (i >= s.size() || s[i] == ' ') return false;
    size_t b = i;
    while (i < s.size() && s[i] != ' ') ++i;
    *w = s.substr(b, i - b);
    if (i < s.size()) ++i;  // the one space after it
    return true;
  };
  std::string_view word;
  if (!next_word(&word) || !IsShellProgram(word)) return 0;
  for (int options = 0; options < 8; ++options) {
    if (!next_word(&word)) return 0;
    if (TakesCommand(word)) return i;
    if (word == "-o" || word == "+o") {
      if (!next_word(&word)) return 0;
      continue;
    }
    if (word.empty() || (word[0] != '-' && word[0] != '+' && word[0] != '/')) return 0;
  }
  return 0;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string CleanPath(std::string_view path) {
  bool absolute = !path.empty() && path[0] == '/';
  std::vector<std::string_view> segs;
  for (std::string_view seg : Split(path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == ".." && !segs.empty() && segs.back() != "..") {
      segs.pop_back();
    } else if (seg != ".." || !absolute) {
      segs.push_back(seg);
    }
  }
  std::string out;
  for (std::string_view seg : segs) {
    if (!out.empty() || absolute) out += '/';
    out += seg;
  }
  if (out.empty()) return absolute ? "/" : ".";
  return out;
}

std::string ResolvePath(std::string_view dir, std::string_view path) {
  if (!path.empty() && path[0] == '/') return CleanPath(path);
  return CleanPath(std::string(dir) + "/" + std::string(path));
}

}  // namespace whittle::explain
