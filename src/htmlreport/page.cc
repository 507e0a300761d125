#include "htmlreport/page.h"

#include <cstddef>
#include <cstdint>

namespace whittle::htmlreport {

// The assets, embedded by the build (CMakeLists.txt, src/pkg/embed_file.cmake).
extern const unsigned char kReportTemplate[];
extern const size_t kReportTemplateSize;
extern const unsigned char kReportCss[];
extern const size_t kReportCssSize;
extern const unsigned char kReportJs[];
extern const size_t kReportJsSize;
extern const unsigned char kEchartsJs[];
extern const size_t kEchartsJsSize;

namespace {

std::string HexCodePoint(uint32_t cp) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string hex;
  do {
    hex.insert(hex.begin(), kHex[cp & 0xF]);
    cp >>= 4;
  } while (cp != 0);
  return hex;
}

std::string_view Asset(const unsigned char* bytes, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(bytes), size);
}

// The text as HTML, ASCII only: markup characters escaped, and each UTF-8
// sequence written as a character reference (an invalid byte as U+FFFD).
std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += static_cast<char>(c);
      }
      ++i;
      continue;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    uint32_t cp = len == 4 ? c & 0x07u : len == 3 ? c & 0x0Fu : c & 0x1Fu;
    bool ok = len != 0 && c <= 0xF4 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      unsigned char d = static_cast<unsigned char>(s[i + k]);
      ok = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3Fu);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are invalid.
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    ok = ok && cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    out += "&#x" + HexCodePoint(ok ? cp : 0xFFFD) + ";";
    i += ok ? len : 1;
  }
  return out;
}

// Replaces the first "{{NAME}}" at or after |*from| with |value| and moves
// |*from| past it: placeholders are filled in template order, so text
// inlined earlier (a path in the data) is never searched. The template is
// ours; a missing placeholder is a build defect, caught by page_test.
void Fill(std::string* tmpl, std::string_view name, std::string_view value, size_t* from) {
  std::string key = "{{" + std::string(name) + "}}";
  size_t at = tmpl->find(key, *from);
  if (at == std::string::npos) return;
  tmpl->replace(at, key.size(), value);
  *from = at + value.size();
}

}  // namespace

std::string EmbeddedJson(const nlohmann::json& data) {
  // ASCII only (\uXXXX escapes): a page that is all ASCII is decoded and
  // parsed by the browser as 8-bit text, several times faster than a page
  // with one character outside Latin-1 (which makes all of it 16-bit).
  std::string text = data.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  // '<' only occurs inside JSON strings, where \u003c means the same.
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderReportPage(const nlohmann::json& data) {
  std::string page(Asset(kReportTemplate, kReportTemplateSize));
  std::string title = "whittle report";
  if (data.contains("header") && data["header"].contains("image") && data["header"]["image"].is_string()) {
    title += ": " + data["header"]["image"].get<std::string>();
  }
  size_t from = 0;  // in the order the template holds them
  Fill(&page, "TITLE", HtmlEscape(title), &from);
  Fill(&page, "STYLE", Asset(kReportCss, kReportCssSize), &from);
  Fill(&page, "DATA", EmbeddedJson(data), &from);
  Fill(&page, "ECHARTS", Asset(kEchartsJs, kEchartsJsSize), &from);
  Fill(&page, "SCRIPT", Asset(kReportJs, kReportJsSize), &from);
  return page;
}

}  // namespace whittle::htmlreport
