#include "waste/ci_rules.h"

#include <sys/stat.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "util/strings.h"
#include "util/yaml.h"

namespace whittle {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// strconv.ParseFloat, minus what makes no sense as a threshold (inf, nan,
// hex floats): the whole string must be a decimal number.
bool ParseDecimal(std::string_view s, double* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
      return false;
    }
  }
  std::string copy(s);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

struct Unit {
  const char* name;
  uint64_t mult;
};
constexpr uint64_t kKi = 1024, kK = 1000;
const Unit kUnits[] = {
    {"b", 1},        {"", 1},
    {"kib", kKi},    {"ki", kKi},    {"kb", kK},   {"k", kK},
    {"mib", kKi * kKi}, {"mi", kKi * kKi}, {"mb", kK * kK}, {"m", kK * kK},
    {"gib", kKi * kKi * kKi}, {"gi", kKi * kKi * kKi}, {"gb", kK * kK * kK}, {"g", kK * kK * kK},
    {"tib", kKi * kKi * kKi * kKi}, {"ti", kKi * kKi * kKi * kKi}, {"tb", kK * kK * kK * kK}, {"t", kK * kK * kK * kK},
    {"pib", kKi * kKi * kKi * kKi * kKi}, {"pi", kKi * kKi * kKi * kKi * kKi},
    {"pb", kK * kK * kK * kK * kK}, {"p", kK * kK * kK * kK * kK},
    {"eib", kKi * kKi * kKi * kKi * kKi * kKi}, {"ei", kKi * kKi * kKi * kKi * kKi * kKi},
    {"eb", kK * kK * kK * kK * kK * kK}, {"e", kK * kK * kK * kK * kK * kK},
};

// A YAML scalar as dive's viper.GetString would give it.
bool ScalarText(const nlohmann::json& v, std::string* out) {
  if (v.is_null()) {
    *out = "";
  } else if (v.is_string()) {
    *out = v.get<std::string>();
  } else if (v.is_boolean()) {
    *out = v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    *out = v.dump();
  } else if (v.is_number_float()) {
    *out = ShortestDoubleText(v.get<double>());
  } else {
    return false;
  }
  return true;
}

struct RuleSpec {
  const char* key;
  RuleValueKind kind;
  bool dive;
};
const RuleSpec kSpecs[] = {
    {"lowestEfficiency", RuleValueKind::kFraction, true},
    {"highestWastedBytes", RuleValueKind::kBytes, true},
    {"highestUserWastedPercent", RuleValueKind::kFraction, true},
    {"maxImageSize", RuleValueKind::kBytes, false},
    {"maxBlobSize", RuleValueKind::kBytes, false},
    {"maxReclaimableBytes", RuleValueKind::kBytes, false},
    {"maxReclaimablePercent", RuleValueKind::kFraction, false},
    {"maxLayers", RuleValueKind::kCount, false},
};

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::string ShortestDoubleText(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, res.ptr);
}

Result<uint64_t> ParseHumanBytes(std::string_view s) {
  size_t digits = 0;
  std::string num;
  while (digits < s.size() && (std::isdigit(static_cast<unsigned char>(s[digits])) || s[digits] == '.' ||
                               s[digits] == ',')) {
    if (s[digits] != ',') num += s[digits];
    ++digits;
  }
  double f = 0;
  char* end = nullptr;
  if (!num.empty()) f = std::strtod(num.c_str(), &end);
  if (num.empty() || end != num.c_str() + num.size()) {
    return Error(Errc::kUsage, "'" + EscapeForMessage(s) + "' is not a size (a number, then B, kB, MB, KiB, MiB...)");
  }
  std::string unit = Lower(TrimWhitespace(s.substr(digits)));
  for (const Unit& u : kUnits) {
    if (unit == u.name) {
      f *= static_cast<double>(u.mult);
      if (f >= 18446744073709551615.0) return Error(Errc::kUsage, "size '" + EscapeForMessage(s) + "' is too large");
      return static_cast<uint64_t>(f);
    }
  }
  return Error(Errc::kUsage, "unknown size unit '" + EscapeForMessage(unit) + "' in '" + EscapeForMessage(s) + "'");
}

bool IsDisabledRuleValue(std::string_view raw) {
  std::string v = Lower(TrimWhitespace(raw));
  return v.empty() || v == "disabled" || v == "off" || v == "false";
}

CiRules::CiRules() {
  for (const RuleSpec& s : kSpecs) {
    CiRule r;
    r.key = s.key;
    r.kind = s.kind;
    r.dive = s.dive;
    r.raw = "disabled";
    rules_.push_back(r);
  }
}

bool CiRules::Has(const std::string& key) const {
  for (const CiRule& r : rules_) {
    if (r.key == key) return true;
  }
  return false;
}

bool CiRules::IsDiveKey(const std::string& key) const {
  for (const CiRule& r : rules_) {
    if (r.key == key) return r.dive;
  }
  return false;
}

void CiRules::ApplyDiveDefaults(const std::string& source) {
  (void)Set("lowestEfficiency", 0.9, source);
  (void)Set("highestWastedBytes", "disabled", source);
  (void)Set("highestUserWastedPercent", 0.1, source);
}

Status CiRules::Set(const std::string& key, const nlohmann::json& value, const std::string& source) {
  CiRule* rule = nullptr;
  for (CiRule& r : rules_) {
    if (r.key == key) rule = &r;
  }
  if (rule == nullptr) return Error(Errc::kUsage, source + ": unknown rule '" + EscapeForMessage(key) + "'");
  std::string raw;
  if (!ScalarText(value, &raw)) {
    return Error(Errc::kUsage, source + ": " + key + ": expected a value, got a " +
                                   (value.is_object() ? "mapping" : "list"));
  }
  CiRule updated = *rule;
  updated.configured = true;
  updated.source = source;
  if (IsDisabledRuleValue(raw)) {
    updated.enabled = false;
    updated.raw = "disabled";
    *rule = updated;
    return Status::Ok();
  }
  updated.enabled = true;
  updated.raw = std::string(TrimWhitespace(raw));
  switch (rule->kind) {
    case RuleValueKind::kFraction: {
      double f = 0;
      if (!ParseDecimal(updated.raw, &f)) {
        return Error(Errc::kUsage, source + ": " + key + ": '" + EscapeForMessage(raw) + "' is not a number");
      }
      if (f < 0 || f > 1) {
        return Error(Errc::kUsage, source + ": " + key + ": " + updated.raw +
                                       " is outside the allowed range 0-1 (a fraction: 0.5 means 50%)");
      }
      updated.fraction = f;
      break;
    }
    case RuleValueKind::kBytes: {
      auto b = ParseHumanBytes(updated.raw);
      if (!b) return Error(Errc::kUsage, source + ": " + key + ": " + b.error().message());
      updated.count = *b;
      break;
    }
    case RuleValueKind::kCount: {
      uint64_t n = 0;
      const std::string& t = updated.raw;
      auto res = std::from_chars(t.data(), t.data() + t.size(), n);
      if (res.ec != std::errc() || res.ptr != t.data() + t.size()) {
        return Error(Errc::kUsage, source + ": " + key + ": '" + EscapeForMessage(raw) + "' is not a whole number");
      }
      updated.count = n;
      break;
    }
  }
  *rule = updated;
  return Status::Ok();
}

Status ApplyDiveCiDocument(const nlohmann::json& doc, const std::string& name, CiRules* rules,
                           std::vector<std::string>* warnings) {
  if (doc.is_null()) return Status::Ok();
  if (!doc.is_object()) return Error(Errc::kUsage, name + ": expected a mapping with a 'rules:' section");
  for (const auto& [key, value] : doc.items()) {
    if (key != "rules") {
      warnings->push_back(name + ": ignoring unknown key '" + EscapeForMessage(key) + "'");
      continue;
    }
    if (value.is_null()) continue;
    if (!value.is_object()) return Error(Errc::kUsage, name + ": rules: expected a mapping");
    for (const auto& [rkey, rvalue] : value.items()) {
      if (!rules->IsDiveKey(rkey)) {
        warnings->push_back(name + ": ignoring unknown rule 'rules." + EscapeForMessage(rkey) + "'");
        continue;
      }
      RETURN_IF_ERROR(rules->Set(rkey, rvalue, name + ": rules"));
    }
  }
  return Status::Ok();
}

Status ApplyWhittleCiDocument(const nlohmann::json& doc, const std::string& name, CiRules* rules,
                              std::vector<std::string>* warnings, bool* found) {
  *found = false;
  if (doc.is_null()) return Status::Ok();
  if (!doc.is_object()) return Error(Errc::kUsage, name + ": expected a mapping of sections (ci:, lint:, sources:)");
  auto it = doc.find("ci");
  if (it == doc.end()) return Status::Ok();
  *found = true;
  if (it->is_null()) return Status::Ok();
  if (!it->is_object()) return Error(Errc::kUsage, name + ": ci: expected a mapping of rules");
  for (const auto& [key, value] : it->items()) {
    if (!rules->Has(key)) {
      warnings->push_back(name + ": ignoring unknown key 'ci." + EscapeForMessage(key) + "'");
      continue;
    }
    RETURN_IF_ERROR(rules->Set(key, value, name + ": ci"));
  }
  return Status::Ok();
}

Result<CiConfig> LoadCiConfig(const CiConfigRequest& request) {
  CiConfig config;
  if (request.dive_defaults) {
    config.rules.ApplyDiveDefaults("--dive-defaults");
    config.used_dive_defaults = true;
  }
  bool have_rules = false;
  std::string dive_path = request.dive_ci_path;
  if (dive_path.empty() && FileExists(request.directory + "/.dive-ci")) dive_path = request.directory + "/.dive-ci";
  if (!dive_path.empty()) {
    ASSIGN_OR_RETURN(nlohmann::json doc, ParseYamlFile(dive_path));
    RETURN_IF_ERROR(ApplyDiveCiDocument(doc, dive_path, &config.rules, &config.warnings));
    config.sources.push_back(dive_path);
    have_rules = true;
  }
  std::string whittle_path = request.whittle_path;
  if (whittle_path.empty() && FileExists(request.directory + "/.whittle.yaml")) {
    whittle_path = request.directory + "/.whittle.yaml";
  }
  if (!whittle_path.empty()) {
    ASSIGN_OR_RETURN(nlohmann::json doc, ParseYamlFile(whittle_path));
    bool found = false;
    RETURN_IF_ERROR(ApplyWhittleCiDocument(doc, whittle_path, &config.rules, &config.warnings, &found));
    if (found) {
      config.sources.push_back(whittle_path + " (ci:)");
      have_rules = true;
    }
  }
  if (!have_rules && !request.dive_defaults) {
    config.rules.ApplyDiveDefaults("dive defaults");
    config.used_dive_defaults = true;
    config.no_rules_file = true;
  }
  return config;
}

std::string_view RuleStatusName(RuleStatus s) {
  switch (s) {
    case RuleStatus::kPass: return "PASS";
    case RuleStatus::kFail: return "FAIL";
    case RuleStatus::kSkip: return "SKIP";
  }
  return "SKIP";
}

std::vector<RuleResult> EvaluateCiRules(const CiRules& rules, const CiMetrics& m) {
  std::vector<RuleResult> out;
  for (const CiRule& r : rules.rules()) {
    if (!r.dive && !r.configured) continue;
    RuleResult res;
    res.key = r.key;
    res.threshold = r.raw;
    if (!r.enabled) {
      res.status = RuleStatus::kSkip;
      res.message = "disabled";
      out.push_back(res);
      continue;
    }
    bool fail = false;
    std::string op;
    auto count_rule = [&](uint64_t value) {
      res.value = std::to_string(value);
      fail = value > r.count;
      op = fail ? " > " : " <= ";
      res.message = res.value + op + std::to_string(r.count);
      if (r.raw != std::to_string(r.count)) res.message += " (" + r.raw + ")";
    };
    auto fraction_max = [&](double value) {
      res.value = ShortestDoubleText(value);
      fail = value > r.fraction;
      res.message = res.value + (fail ? " > " : " <= ") + r.raw;
    };
    if (r.key == "lowestEfficiency") {
      res.value = ShortestDoubleText(m.efficiency);
      fail = r.fraction > m.efficiency;
      res.message = res.value + (fail ? " < " : " >= ") + r.raw;
    } else if (r.key == "highestWastedBytes") {
      count_rule(m.wasted_bytes);
    } else if (r.key == "highestUserWastedPercent") {
      fraction_max(m.user_wasted_percent);
    } else if (r.key == "maxImageSize") {
      count_rule(m.image_size);
    } else if (r.key == "maxBlobSize") {
      count_rule(m.blob_size);
    } else if (r.key == "maxReclaimableBytes") {
      count_rule(m.reclaimable_bytes);
    } else if (r.key == "maxReclaimablePercent") {
      fraction_max(m.reclaimable_percent);
    } else if (r.key == "maxLayers") {
      count_rule(m.layers);
    }
    res.status = fail ? RuleStatus::kFail : RuleStatus::kPass;
    out.push_back(res);
  }
  return out;
}

}  // namespace whittle
