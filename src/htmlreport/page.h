// The report page: one self-contained HTML file, the template, style and
// script of src/htmlreport/assets/ and the vendored Apache ECharts
// (third_party/echarts/) inlined, with the report data embedded as JSON.
// The build embeds the assets (assets.cmake -> report_assets.cc), so the
// binary needs no install path, and the page makes no network request.
#ifndef WHITTLE_HTMLREPORT_PAGE_H_
#define WHITTLE_HTMLREPORT_PAGE_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace whittle::htmlreport {

/// The page for |data| (report_data.h). Deterministic: the same data gives
/// the same bytes. The JSON sits in a <script type="application/json">
/// with every '<' written as \u003c, so no path can end the element, and
/// every character outside ASCII written as \uXXXX, so the page is ASCII.
std::string RenderReportPage(const nlohmann::json& data);

/// The JSON exactly as the page embeds it (compact), for tests.
std::string EmbeddedJson(const nlohmann::json& data);

}  // namespace whittle::htmlreport

#endif  // WHITTLE_HTMLREPORT_PAGE_H_
