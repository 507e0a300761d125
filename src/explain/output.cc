#include "explain/output.h"

#include <nlohmann/json.hpp>

#include "util/code_quality.h"
#include "util/markdown.h"
#include "util/strings.h"

namespace whittle::explain {

namespace {

using Json = nlohmann::ordered_json;

std::string Where(const ExplainReport& r, const Finding& f) {
  if (!r.dockerfile.empty() && f.line > 0) return StrFormat("%s:%d", r.dockerfile.c_str(), f.line);
  if (!f.history_text.empty()) return "`" + ElideEnd(CollapseWhitespace(f.history_text), 50) + "`";
  return "-";
}

std::string Indent(const std::string& text, const std::string& pad) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t nl = text.find('\n', i);
    if (nl == std::string::npos) nl = text.size();
    out += pad + text.substr(i, nl - i) + "\n";
    i = nl + 1;
  }
  return out;
}

std::string Layers(const Finding& f) {
  std::string s;
  for (size_t i = 0; i < f.layers.size(); ++i) {
    if (i == 6) {
      s += StrFormat(" +%zu", f.layers.size() - i);
      break;
    }
    s += StrFormat("%s#%zu", s.empty() ? "" : ",", f.layers[i] + 1);
  }
  return s.empty() ? "-" : s;
}

}  // namespace

bool AnyFindingReaches(const ExplainReport& report, lint::Severity threshold) {
  for (const Finding& f : report.findings) {
    if (lint::ReachesThreshold(f.severity, threshold)) return true;
  }
  return false;
}

std::string FormatExplainTable(const ExplainReport& r) {
  std::string s = StrFormat("image %s: %s, pull %s", r.image.c_str(), FormatSizeWithUnit(r.size.tar).c_str(),
                            FormatSizeWithUnit(r.size.blob).c_str());
  s += r.dockerfile.empty() ? " (no Dockerfile: lines from the history)\n" : StrFormat(", built from %s\n", r.dockerfile.c_str());
  s += StrFormat("layers to instructions: %s", VerdictName(r.mapping.summary.verdict));
  if (r.mapping.has_dockerfile) {
    s += StrFormat(" (%zu exact, %zu normalised, %zu by position, %zu missing, %zu extra)", r.mapping.summary.exact,
                   r.mapping.summary.normalized, r.mapping.summary.positional, r.mapping.summary.missing,
                   r.mapping.summary.extra);
  }
  s += "\n";
  for (const std::string& n : r.notes) s += "note: " + n + "\n";
  s += "\n";
  size_t rank = 0;
  bool any_lint = false;
  for (const Finding& f : r.findings) {
    if (!f.measured()) {
      any_lint = true;
      continue;
    }
    ++rank;
    std::string after = f.projected ? StrFormat("-> %s (pull %s)", FormatSizeWithUnit(f.projected->tar).c_str(),
                                                FormatSizeWithUnit(f.projected->blob).c_str())
                                    : "-> not measured (use --try-base)";
    s += StrFormat("%2zu. %9s  %s  %s  [%s, %s confidence, layers %s]\n", rank, FormatSizeWithUnit(f.bytes.tar).c_str(),
                   Where(r, f).c_str(), after.c_str(), LeverName(f.lever), ConfidenceName(f.confidence),
                   Layers(f).c_str());
    s += Indent(f.message, "      ");
    s += Indent(f.edit, "      edit: ").substr(0);
  }
  if (rank == 0) s += "no measured findings\n";
  if (r.projected_all) {
    s += StrFormat("\nall findings together: %s -> %s, pull %s -> %s\n", FormatSizeWithUnit(r.size.tar).c_str(),
                   FormatSizeWithUnit(r.projected_all->tar).c_str(), FormatSizeWithUnit(r.size.blob).c_str(),
                   FormatSizeWithUnit(r.projected_all->blob).c_str());
  }
  if (any_lint) {
    s += "\nlint findings (no bytes):\n";
    for (const Finding& f : r.findings) {
      if (f.measured()) continue;
      s += StrFormat("  %s %s %s: %s\n", Where(r, f).c_str(), f.id.c_str(), lint::SeverityName(f.severity),
                     f.message.c_str());
    }
  }
  return s;
}

std::string FormatExplainJson(const ExplainReport& r) {
  Json j;
  j["image"] = r.image;
  j["dockerfile"] = r.dockerfile.empty() ? Json() : Json(r.dockerfile);
  j["sizeBytes"] = r.size.tar;
  j["blobBytes"] = r.size.blob;
  Json findings = Json::array();
  for (const Finding& f : r.findings) {
    Json o;
    o["id"] = f.id;
    o["lever"] = LeverName(f.lever);
    o["file"] = r.dockerfile.empty() || f.line <= 0 ? Json() : Json(r.dockerfile);
    o["line"] = f.line > 0 ? Json(f.line) : Json();
    Json layers = Json::array();
    for (size_t l : f.layers) layers.push_back(l + 1);
    o["layers"] = std::move(layers);
    o["bytes"] = f.bytes.tar;
    o["projectedSizeBytes"] = f.projected ? Json(f.projected->tar) : Json();
    o["projectedBlobBytes"] = f.projected ? Json(f.projected->blob) : Json();
    o["confidence"] = ConfidenceName(f.confidence);
    o["message"] = f.message;
    o["edit"] = f.edit;
    findings.push_back(std::move(o));
  }
  j["findings"] = std::move(findings);
  j["projectedAll"] = r.projected_all ? Json{{"sizeBytes", r.projected_all->tar}, {"blobBytes", r.projected_all->blob}}
                                      : Json();
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string FormatExplainSarif(const ExplainReport& r, const std::string& version) {
  Json rules = Json::array();
  std::vector<std::string> ids;
  Json results = Json::array();
  for (const Finding& f : r.findings) {
    size_t rule_index = ids.size();
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == f.id) rule_index = i;
    }
    if (rule_index == ids.size()) {
      ids.push_back(f.id);
      Json rule;
      rule["id"] = f.id;
      rule["shortDescription"] = {{"text", f.measured() ? std::string("whittle explain: ") + LeverName(f.lever)
                                                        : "lint rule " + f.id}};
      rules.push_back(std::move(rule));
    }
    Json res;
    res["ruleId"] = f.id;
    res["ruleIndex"] = rule_index;
    res["level"] = f.severity == lint::Severity::kError ? "error"
                   : f.severity == lint::Severity::kWarning ? "warning" : "note";
    std::string text = f.measured() ? FormatSizeWithUnit(f.bytes.tar) + ": " + f.message : f.message;
    if (!f.edit.empty()) text += "\nEdit: " + f.edit;
    res["message"] = {{"text", text}};
    if (!r.dockerfile.empty() && f.line > 0) {
      Json loc;
      loc["physicalLocation"] = {{"artifactLocation", {{"uri", r.dockerfile}}},
                                 {"region", {{"startLine", f.line}}}};
      res["locations"] = Json::array({loc});
    }
    if (f.measured()) {
      Json props;
      props["bytes"] = f.bytes.tar;
      props["lever"] = LeverName(f.lever);
      props["confidence"] = ConfidenceName(f.confidence);
      if (f.projected) props["projectedSizeBytes"] = f.projected->tar;
      res["properties"] = std::move(props);
    }
    results.push_back(std::move(res));
  }
  Json run;
  run["tool"] = {{"driver",
                  {{"name", "whittle"}, {"version", version}, {"informationUri", "https://github.com/whittle-dev/whittle"},
                   {"rules", std::move(rules)}}}};
  run["results"] = std::move(results);
  Json doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string FormatExplainMarkdown(const ExplainReport& r) {
  std::string s = StrFormat("**%s**: %s, pull %s", MarkdownCell(r.image).c_str(),
                            FormatSizeWithUnit(r.size.tar).c_str(), FormatSizeWithUnit(r.size.blob).c_str());
  s += r.dockerfile.empty() ? " (no Dockerfile: lines from the history)"
                            : StrFormat(", built from `%s`", MarkdownCell(r.dockerfile).c_str());
  if (r.projected_all) {
    s += StrFormat("; with every finding applied: **%s**, pull %s", FormatSizeWithUnit(r.projected_all->tar).c_str(),
                   FormatSizeWithUnit(r.projected_all->blob).c_str());
  }
  s += "\n\n";
  for (const std::string& n : r.notes) s += "> " + MarkdownCell(n) + "\n";
  if (!r.notes.empty()) s += "\n";
  std::vector<std::vector<std::string>> rows;
  for (const Finding& f : r.findings) {
    if (!f.measured()) continue;
    std::string where = !r.dockerfile.empty() && f.line > 0 ? StrFormat("line %d", f.line)
                        : !f.history_text.empty() ? MarkdownCell(ElideEnd(CollapseWhitespace(f.history_text), 50))
                                                  : "-";
    rows.push_back({std::to_string(rows.size() + 1), FormatSizeWithUnit(f.bytes.tar), where, LeverName(f.lever),
                    MarkdownCell(CollapseWhitespace(f.message)),
                    f.projected ? FormatSizeWithUnit(f.projected->tar) : "not measured", ConfidenceName(f.confidence)});
  }
  if (rows.empty()) {
    s += "No measured findings.\n";
  } else {
    s += MarkdownTable({"#", "Bytes", "Where", "Lever", "Finding", "Image after", "Confidence"},
                       {true, true, false, false, false, true, false}, rows);
  }
  std::vector<std::vector<std::string>> lint_rows;
  for (const Finding& f : r.findings) {
    if (f.measured()) continue;
    lint_rows.push_back({f.line > 0 ? std::to_string(f.line) : "-", MarkdownCell(f.id),
                         lint::SeverityName(f.severity), MarkdownCell(CollapseWhitespace(f.message))});
  }
  if (!lint_rows.empty()) {
    s += "\nLint findings (no bytes):\n\n";
    s += MarkdownTable({"Line", "Rule", "Severity", "Message"}, {true, false, false, false}, lint_rows);
  }
  return s;
}

std::string FormatExplainCodeQuality(const ExplainReport& r) {
  std::vector<CodeQualityIssue> issues;
  const std::string path = r.dockerfile.empty() ? "Dockerfile" : r.dockerfile;
  for (const Finding& f : r.findings) {
    std::string text = f.measured() ? FormatSizeWithUnit(f.bytes.tar) + ": " + CollapseWhitespace(f.message)
                                    : CollapseWhitespace(f.message);
    if (!f.edit.empty()) text += (text.ends_with('.') ? " Edit: " : ". Edit: ") + CollapseWhitespace(f.edit);
    issues.push_back({f.id, text, path, f.line, CodeQualitySeverity(lint::SeverityName(f.severity))});
  }
  return FormatCodeQuality(issues);
}

}  // namespace whittle::explain
