#include "util/strings.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>

namespace whittle {

std::string StrFormat(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  va_list ap2;
  va_copy(ap2, ap);
  int n = std::vsnprintf(nullptr, 0, fmt, ap);
  va_end(ap);
  std::string out;
  if (n > 0) {
    out.resize(static_cast<size_t>(n) + 1);
    std::vsnprintf(out.data(), out.size(), fmt, ap2);
    out.resize(static_cast<size_t>(n));
  }
  va_end(ap2);
  return out;
}

std::string FormatSize(uint64_t bytes) {
  static const char* const kUnits[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  if (bytes < 1024) return std::to_string(bytes);
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024.0 && unit < 5) {
    v /= 1024.0;
    ++unit;
  }
  // Three significant digits; guard against rounding up to 1024.
  char buf[32];
  if (v < 9.995) {
    std::snprintf(buf, sizeof buf, "%.2f%s", v, kUnits[unit]);
  } else if (v < 99.95) {
    std::snprintf(buf, sizeof buf, "%.1f%s", v, kUnits[unit]);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f%s", v, kUnits[unit]);
  }
  return buf;
}

std::string FormatSignedSize(int64_t bytes) {
  if (bytes == 0) return "0";
  uint64_t mag = bytes < 0 ? static_cast<uint64_t>(-(bytes + 1)) + 1 : static_cast<uint64_t>(bytes);
  return (bytes < 0 ? "-" : "+") + FormatSize(mag);
}

std::string FormatSizeWithUnit(uint64_t bytes) {
  std::string s = FormatSize(bytes);
  if (bytes < 1024) return s + " B";
  s.insert(s.size() - 2, " ");
  return s + "B";
}

std::string NormalizePath(std::string_view path, bool* escaped) {
  // Fast path, the common case (tar member names, package file lists): no
  // "." or ".." component, so the result is the non-empty components joined
  // with one allocation and no component list.
  bool simple = true;
  size_t total = 0;
  for (size_t i = 0; i <= path.size() && simple;) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (part == "." || part == "..") simple = false;
    if (!part.empty()) total += part.size() + 1;
    i = j + 1;
  }
  if (simple) {
    if (total == 0) return "/";
    std::string out;
    out.reserve(total);
    for (size_t i = 0; i <= path.size();) {
      size_t j = path.find('/', i);
      if (j == std::string_view::npos) j = path.size();
      if (j > i) {
        out.push_back('/');
        out.append(path.data() + i, j - i);
      }
      i = j + 1;
    }
    return out;
  }
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == "..") {
      if (parts.empty()) {
        if (escaped) *escaped = true;
      } else {
        parts.pop_back();
      }
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  if (parts.empty()) return "/";
  std::string out;
  total = 0;
  for (auto p : parts) total += p.size() + 1;
  out.reserve(total);
  for (auto p : parts) {
    out.push_back('/');
    out.append(p);
  }
  return out;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (true) {
    size_t j = s.find(sep, i);
    if (j == std::string_view::npos) {
      out.push_back(s.substr(i));
      return out;
    }
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string_view BaseName(std::string_view path) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view TrimWhitespace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) --e;
  return s.substr(b, e - b);
}

std::string EscapeForMessage(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

std::string CollapseWhitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

namespace {

bool IsLeadByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

// Byte offset of the |cp|-th code point (s.size() past the end).
size_t ByteOffsetOf(std::string_view s, size_t cp) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsLeadByte(s[i])) {
      if (n == cp) return i;
      ++n;
    }
  }
  return s.size();
}

constexpr char kEllipsis[] = "\xE2\x80\xA6";  // U+2026

}  // namespace

size_t Utf8Width(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += IsLeadByte(c);
  return n;
}

std::string ElideMiddle(std::string_view s, size_t width) {
  size_t n = Utf8Width(s);
  if (width < 5 || n <= width) return std::string(s);
  size_t keep = width - 1;  // one column for the ellipsis
  size_t head = keep / 2;
  size_t tail = keep - head;
  return std::string(s.substr(0, ByteOffsetOf(s, head))) + kEllipsis + std::string(s.substr(ByteOffsetOf(s, n - tail)));
}

std::string ElideEnd(std::string_view s, size_t width) {
  if (width == 0 || Utf8Width(s) <= width) return std::string(s);
  return std::string(s.substr(0, ByteOffsetOf(s, width - 1))) + kEllipsis;
}

std::string CsvQuote(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string XmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic-programming table: d[i][j] is the distance
  // between the first i characters of a and the first j of b.
  std::vector<size_t> before(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        cur[j] = std::min(cur[j], before[j - 2] + 1);
      }
    }
    std::swap(before, prev);
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace whittle
