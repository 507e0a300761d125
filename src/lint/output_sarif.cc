// SARIF 2.1.0 (OASIS) for code-scanning services. One run; the driver lists
// the rules that have results (in first-use order) and each result points
// at its rule by id and index. Severities map to SARIF levels: error ->
// "error", warning -> "warning", info and style -> "note". A file that
// failed to parse becomes an error notification in
// invocations[0].toolExecutionNotifications and makes executionSuccessful
// false. Artifact URIs are the paths as given, percent-encoded.
#include <map>

#include <nlohmann/json.hpp>

#include "lint/output.h"
#include "lint/output_internal.h"
#include "util/strings.h"

namespace whittle::lint {
namespace {

using nlohmann::json;

const char* SarifLevel(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    default: return "note";
  }
}

// RFC 3986 URI reference for a relative or absolute file path.
std::string PathToUri(std::string_view p) {
  std::string out;
  for (unsigned char c : p) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += StrFormat("%%%02X", c);
    }
  }
  if (!out.empty() && out[0] == '/') out = "file://" + out;
  return out;
}

json Location(const std::string& path, int line, int column) {
  json region = {{"startLine", line > 0 ? line : 1}};
  if (column > 0) region["startColumn"] = column;
  return {{"physicalLocation", {{"artifactLocation", {{"uri", PathToUri(path)}}}, {"region", region}}}};
}

}  // namespace

std::string FormatSarif(const std::vector<FileReport>& reports, std::string_view tool_version) {
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  json results = json::array();
  json notifications = json::array();
  for (const FileReport& r : reports) {
    if (!r.error.ok()) {
      notifications.push_back({{"level", "error"},
                               {"message", {{"text", r.error.message()}}},
                               {"locations", json::array({Location(r.path, r.error_line, 0)})}});
      continue;
    }
    for (const Finding& f : r.findings) {
      auto it = rule_index.find(f.code);
      if (it == rule_index.end()) {
        const Rule* rule = FindRule(f.code);
        json jr = {{"id", f.code}};
        if (rule != nullptr) {
          jr["shortDescription"] = {{"text", rule->title}};
          jr["defaultConfiguration"] = {{"level", SarifLevel(rule->severity)}};
        }
        it = rule_index.emplace(f.code, rules.size()).first;
        rules.push_back(std::move(jr));
      }
      results.push_back({{"ruleId", f.code},
                         {"ruleIndex", it->second},
                         {"level", SarifLevel(f.severity)},
                         {"message", {{"text", f.message}}},
                         {"locations", json::array({Location(r.path, f.line, f.column)})}});
    }
  }
  json driver = {{"name", "whittle"},
                 {"version", std::string(tool_version)},
                 {"informationUri", "https://github.com/whittle-dev/whittle"},
                 {"rules", rules}};
  json invocation = {{"executionSuccessful", notifications.empty()}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  json run = {{"tool", {{"driver", driver}}}, {"invocations", json::array({invocation})}, {"results", results}};
  json doc = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"version", "2.1.0"},
              {"runs", json::array({run})}};
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace whittle::lint
