#include "waste/ci_report.h"

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace whittle {

namespace {

struct Tally {
  int pass = 0, fail = 0, skip = 0;
};

Tally Count(const CiOutcome& o) {
  Tally t;
  for (const RuleResult& r : o.results) {
    if (r.status == RuleStatus::kPass) ++t.pass;
    if (r.status == RuleStatus::kFail) ++t.fail;
    if (r.status == RuleStatus::kSkip) ++t.skip;
  }
  return t;
}

std::string RulesLine(const CiOutcome& o) {
  if (o.no_rules_file) {
    return "rules: dive's defaults (no .dive-ci or .whittle.yaml ci: section found): "
           "lowestEfficiency 0.9, highestWastedBytes disabled, highestUserWastedPercent 0.1";
  }
  std::string s = "rules: ";
  if (o.used_dive_defaults) s += "dive's defaults (--dive-defaults)";
  for (size_t i = 0; i < o.sources.size(); ++i) {
    if (i > 0 || o.used_dive_defaults) s += ", then ";
    s += o.sources[i];
  }
  return s;
}

}  // namespace

bool CiOutcome::pass() const {
  for (const RuleResult& r : results) {
    if (r.status == RuleStatus::kFail) return false;
  }
  return true;
}

std::string FormatCiText(const CiOutcome& o) {
  std::string out = "whittle ci: " + o.image + "\n" + RulesLine(o) + "\n";
  for (const RuleResult& r : o.results) {
    out += StrFormat("  %s  %-26s %s\n", std::string(RuleStatusName(r.status)).c_str(), r.key.c_str(),
                     r.message.c_str());
  }
  Tally t = Count(o);
  out += StrFormat("Result: %s [pass:%d fail:%d skip:%d]\n", o.pass() ? "PASS" : "FAIL", t.pass, t.fail, t.skip);
  return out;
}

std::string FormatCiJson(const CiOutcome& o) {
  using nlohmann::json;
  json j = json::object();
  j["image"] = o.image;
  j["pass"] = o.pass();
  j["ruleSources"] = o.sources;
  j["diveDefaults"] = o.used_dive_defaults;
  json metrics = {{"efficiency", o.metrics.efficiency},
                  {"wastedBytes", o.metrics.wasted_bytes},
                  {"userWastedPercent", o.metrics.user_wasted_percent},
                  {"imageSize", o.metrics.image_size},
                  {"blobSize", o.metrics.blob_size},
                  {"reclaimableBytes", o.metrics.reclaimable_bytes},
                  {"reclaimablePercent", o.metrics.reclaimable_percent},
                  {"layers", o.metrics.layers}};
  j["metrics"] = std::move(metrics);
  json rules = json::array();
  for (const RuleResult& r : o.results) {
    std::string status(RuleStatusName(r.status));
    for (char& c : status) c = static_cast<char>(c - 'A' + 'a');
    rules.push_back({{"rule", r.key}, {"status", status}, {"value", r.value}, {"threshold", r.threshold},
                     {"message", r.message}});
  }
  j["rules"] = std::move(rules);
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string FormatCiJunit(const CiOutcome& o) {
  Tally t = Count(o);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += StrFormat("<testsuites>\n  <testsuite name=\"whittle ci\" tests=\"%zu\" failures=\"%d\" skipped=\"%d\" errors=\"0\">\n",
                   o.results.size(), t.fail, t.skip);
  out += "    <properties><property name=\"image\" value=\"" + XmlEscape(o.image) + "\"/></properties>\n";
  for (const RuleResult& r : o.results) {
    out += "    <testcase classname=\"whittle.ci\" name=\"" + XmlEscape(r.key) + "\"";
    if (r.status == RuleStatus::kPass) {
      out += "/>\n";
      continue;
    }
    out += ">\n";
    if (r.status == RuleStatus::kFail) {
      out += "      <failure message=\"" + XmlEscape(r.message) + "\">" + XmlEscape(r.key + ": " + r.message) +
             "</failure>\n";
    } else {
      out += "      <skipped message=\"rule disabled\"/>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace whittle
