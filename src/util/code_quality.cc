#include "util/code_quality.h"

#include <nlohmann/json.hpp>

#include "util/sha256.h"

namespace whittle {

const char* CodeQualitySeverity(const std::string& lint_level) {
  if (lint_level == "error") return "critical";
  if (lint_level == "warning") return "major";
  if (lint_level == "style") return "minor";
  return "info";
}

std::string FormatCodeQuality(const std::vector<CodeQualityIssue>& issues) {
  using ojson = nlohmann::ordered_json;
  ojson arr = ojson::array();
  for (const CodeQualityIssue& i : issues) {
    const int line = i.line > 0 ? i.line : 1;
    std::string key = i.check_name + '\0' + i.path + '\0' + std::to_string(line) + '\0' + i.description;
    std::string digest = Sha256::DigestOf(key);  // "sha256:<hex>"
    ojson o;
    o["description"] = i.description;
    o["check_name"] = i.check_name;
    o["fingerprint"] = digest.substr(digest.find(':') + 1);
    o["severity"] = i.severity;
    o["location"] = {{"path", i.path}, {"lines", {{"begin", line}}}};
    arr.push_back(std::move(o));
  }
  return arr.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

}  // namespace whittle
