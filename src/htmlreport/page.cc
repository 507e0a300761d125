#include "htmlreport/page.h"

#include <cstddef>

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

std::string_view Asset(const unsigned char* bytes, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(bytes), size);
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
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
  std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
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
