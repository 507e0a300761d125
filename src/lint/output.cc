#include "lint/output.h"

#include <nlohmann/json.hpp>

#include "lint/output_internal.h"
#include "util/code_quality.h"
#include "util/strings.h"

namespace whittle::lint {
namespace {

const char* Colour(Severity s) {
  switch (s) {
    case Severity::kError: return "\033[1;31m";
    case Severity::kWarning: return "\033[1;33m";
    case Severity::kInfo: return "\033[1;36m";
    case Severity::kStyle: return "\033[1;35m";
    case Severity::kNone: return "";
  }
  return "";
}

// Checkstyle knows error, warning and info.
const char* CheckstyleSeverity(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    default: return "info";
  }
}

}  // namespace

std::string ErrorText(const FileReport& r) {
  const std::string& m = r.error.message();
  std::string prefix = r.path + ":";
  if (!StartsWith(m, prefix)) return m;
  size_t i = prefix.size();
  while (i < m.size() && m[i] >= '0' && m[i] <= '9') ++i;
  if (i < m.size() && m[i] == ':') ++i;
  while (i < m.size() && m[i] == ' ') ++i;
  return m.substr(i);
}

std::string FormatTty(const std::vector<FileReport>& reports, bool color) {
  std::string out;
  for (const FileReport& r : reports) {
    if (!r.error.ok()) {
      if (color) out += "\033[1;31m";
      out += r.error.message();
      if (color) out += "\033[0m";
      out += '\n';
      continue;
    }
    for (const Finding& f : r.findings) {
      out += StrFormat("%s:%d:%d ", r.path.c_str(), f.line, f.column);
      if (color) out += Colour(f.severity);
      out += SeverityName(f.severity);
      if (color) out += "\033[0m";
      out += ' ';
      out += f.code;
      out += ' ';
      out += f.message;
      out += '\n';
    }
  }
  return out;
}

namespace {

// The json entries of one file: one per finding, or one DL1000 entry for a
// file that failed to read or parse.
nlohmann::json JsonEntries(const FileReport& r) {
  nlohmann::json arr = nlohmann::json::array();
  if (!r.error.ok()) {
    arr.push_back({{"code", "DL1000"},
                   {"column", 1},
                   {"file", r.path},
                   {"level", "error"},
                   {"line", r.error_line > 0 ? r.error_line : 1},
                   {"message", ErrorText(r)}});
    return arr;
  }
  for (const Finding& f : r.findings) {
    arr.push_back({{"code", f.code},
                   {"column", f.column},
                   {"file", r.path},
                   {"level", SeverityName(f.severity)},
                   {"line", f.line},
                   {"message", f.message}});
  }
  return arr;
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string FormatJson(const std::vector<FileReport>& reports) {
  nlohmann::json arr = nlohmann::json::array();
  for (const FileReport& r : reports) {
    for (auto& e : JsonEntries(r)) arr.push_back(std::move(e));
  }
  return DumpJson(arr) + "\n";
}

std::string JsonStream::Add(const FileReport& report) {
  std::string out;
  for (const auto& e : JsonEntries(report)) {
    if (!first_) out += ',';
    first_ = false;
    out += DumpJson(e);
  }
  return out;
}

std::string FormatCodeQuality(const std::vector<FileReport>& reports) {
  std::vector<CodeQualityIssue> issues;
  for (const FileReport& r : reports) {
    if (!r.error.ok()) {
      issues.push_back({"DL1000", ErrorText(r), r.path, r.error_line, CodeQualitySeverity("error")});
      continue;
    }
    for (const Finding& f : r.findings) {
      issues.push_back({f.code, f.message, r.path, f.line, CodeQualitySeverity(SeverityName(f.severity))});
    }
  }
  return whittle::FormatCodeQuality(issues);
}

std::string FormatCheckstyle(const std::vector<FileReport>& reports) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n";
  for (const FileReport& r : reports) {
    out += "  <file name=\"" + XmlEscape(r.path) + "\">\n";
    if (!r.error.ok()) {
      out += StrFormat("    <error line=\"%d\" column=\"1\" severity=\"error\" message=\"%s\" source=\"DL1000\"/>\n",
                       r.error_line > 0 ? r.error_line : 1, XmlEscape(ErrorText(r)).c_str());
    }
    for (const Finding& f : r.findings) {
      out += StrFormat("    <error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"%s\" source=\"%s\"/>\n",
                       f.line, f.column, CheckstyleSeverity(f.severity), XmlEscape(f.message).c_str(),
                       XmlEscape(f.code).c_str());
    }
    out += "  </file>\n";
  }
  out += "</checkstyle>\n";
  return out;
}

std::string FormatJunit(const std::vector<FileReport>& reports) {
  size_t tests = 0, failures = 0, errors = 0;
  std::string body;
  for (const FileReport& r : reports) {
    std::string name = XmlEscape(r.path);
    if (!r.error.ok()) {
      ++tests;
      ++errors;
      body += StrFormat("  <testsuite name=\"%s\" tests=\"1\" failures=\"0\" errors=\"1\">\n", name.c_str());
      body += StrFormat("    <testcase name=\"parse\" classname=\"%s\">\n", name.c_str());
      body += "      <error message=\"" + XmlEscape(ErrorText(r)) + "\">" + XmlEscape(r.error.message()) +
              "</error>\n";
      body += "    </testcase>\n  </testsuite>\n";
      continue;
    }
    size_t n = r.findings.empty() ? 1 : r.findings.size();
    tests += n;
    failures += r.findings.size();
    body += StrFormat("  <testsuite name=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", name.c_str(), n,
                      r.findings.size());
    if (r.findings.empty()) body += StrFormat("    <testcase name=\"lint\" classname=\"%s\"/>\n", name.c_str());
    for (const Finding& f : r.findings) {
      std::string where = StrFormat("%s:%d:%d", r.path.c_str(), f.line, f.column);
      body += StrFormat("    <testcase name=\"%s %s\" classname=\"%s\">\n", XmlEscape(f.code).c_str(),
                        XmlEscape(where).c_str(), name.c_str());
      body += StrFormat("      <failure message=\"%s\" type=\"%s\">%s %s %s %s</failure>\n",
                        XmlEscape(f.message).c_str(), SeverityName(f.severity), XmlEscape(where).c_str(),
                        SeverityName(f.severity), XmlEscape(f.code).c_str(), XmlEscape(f.message).c_str());
      body += "    </testcase>\n";
    }
    body += "  </testsuite>\n";
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += StrFormat("<testsuites name=\"whittle lint\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n", tests,
                   failures, errors);
  out += body;
  out += "</testsuites>\n";
  return out;
}

}  // namespace whittle::lint
