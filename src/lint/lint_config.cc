#include "lint/lint_config.h"

#include <sys/stat.h>

#include "util/strings.h"
#include "util/yaml.h"

namespace whittle::lint {
namespace {

using nlohmann::json;

Status ReadStringList(const json& v, std::string_view where, std::vector<std::string>* out) {
  if (v.is_null()) return Status::Ok();  // `info:` with nothing after it
  if (v.is_string()) {  // a single id is accepted as a one-element list
    out->push_back(v.get<std::string>());
    return Status::Ok();
  }
  if (!v.is_array()) {
    return Error(Errc::kUsage, std::string(where) + ": expected a list of strings");
  }
  for (const json& e : v) {
    if (!e.is_string()) return Error(Errc::kUsage, std::string(where) + ": expected a list of strings");
    out->push_back(e.get<std::string>());
  }
  return Status::Ok();
}

bool FileExists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

Status LintConfig::Merge(const json& j, std::string_view name) {
  std::string n(name);
  if (j.is_null()) return Status::Ok();
  if (!j.is_object()) return Error(Errc::kUsage, n + ": expected a mapping of lint settings");
  if (auto it = j.find("ignored"); it != j.end()) {
    std::vector<std::string> ids;
    RETURN_IF_ERROR(ReadStringList(*it, n + ": ignored", &ids));
    ignored.insert(ids.begin(), ids.end());
  }
  if (auto it = j.find("override"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) return Error(Errc::kUsage, n + ": override: expected a mapping");
    for (auto lv = it->begin(); lv != it->end(); ++lv) {
      auto sev = ParseSeverity(lv.key());
      if (!sev || *sev == Severity::kNone) {
        return Error(Errc::kUsage, n + ": override: unknown level '" + EscapeForMessage(lv.key()) +
                                       "' (error, warning, info, style)");
      }
      std::vector<std::string> ids;
      RETURN_IF_ERROR(ReadStringList(lv.value(), n + ": override." + lv.key(), &ids));
      for (const std::string& id : ids) overrides[id] = *sev;
    }
  }
  if (auto it = j.find("failure-threshold"); it != j.end() && !it->is_null()) {
    std::optional<Severity> sev;
    if (it->is_string()) sev = ParseSeverity(it->get<std::string>());
    if (!sev) {
      return Error(Errc::kUsage, n + ": failure-threshold: expected error, warning, info, style or none");
    }
    failure_threshold = *sev;
  }
  if (auto it = j.find("trustedRegistries"); it != j.end()) {
    RETURN_IF_ERROR(ReadStringList(*it, n + ": trustedRegistries", &trusted_registries));
  }
  return Status::Ok();
}

Severity LintConfig::SeverityOf(std::string_view code, Severity rule_default) const {
  auto it = overrides.find(std::string(code));
  return it == overrides.end() ? rule_default : it->second;
}

Result<LintConfig> LoadLintConfig(const std::string& path) {
  ASSIGN_OR_RETURN(json j, ParseYamlFile(path));
  return LintConfigFromDocument(j, path);
}

Result<LintConfig> LintConfigFromDocument(const json& j, const std::string& path) {
  LintConfig c;
  c.source = path;
  if (j.is_object() && j.contains("lint")) {
    RETURN_IF_ERROR(c.Merge(j["lint"], path + ": lint"));
  } else if (j.is_object() && (j.contains("ci") || j.contains("sources"))) {
    // A .whittle.yaml without a lint section: defaults.
  } else {
    RETURN_IF_ERROR(c.Merge(j, path));
  }
  return c;
}

Result<LintConfig> DiscoverLintConfig(const std::string& dir) {
  std::string base = dir.empty() ? "." : dir;
  for (const char* name : {".whittle.yaml", ".hadolint.yaml", ".hadolint.yml"}) {
    std::string p = base + "/" + name;
    if (FileExists(p)) return LoadLintConfig(p);
  }
  return LintConfig();
}

bool InlineIgnores::Ignores(std::string_view code, size_t instruction) const {
  std::string c(code);
  if (global.count(c)) return true;
  auto it = per_instruction.find(instruction);
  return it != per_instruction.end() && it->second.count(c) > 0;
}

bool ParseIgnorePragma(std::string_view text, bool* global, std::vector<std::string>* ids) {
  text = TrimWhitespace(text);
  if (StartsWith(text, "hadolint")) {
    text.remove_prefix(8);
  } else if (StartsWith(text, "whittle")) {
    text.remove_prefix(7);
  } else {
    return false;
  }
  if (text.empty() || (text[0] != ' ' && text[0] != '\t')) return false;
  text = TrimWhitespace(text);
  *global = false;
  if (StartsWith(text, "global") && text.size() > 6 && (text[6] == ' ' || text[6] == '\t')) {
    *global = true;
    text = TrimWhitespace(text.substr(6));
  }
  if (!StartsWith(text, "ignore")) return false;
  text = TrimWhitespace(text.substr(6));
  if (text.empty() || text[0] != '=') return false;
  text.remove_prefix(1);
  ids->clear();
  for (std::string_view part : Split(text, ',')) {
    part = TrimWhitespace(part);
    // Stop at trailing prose: "ignore=DL3009 reason here".
    size_t sp = part.find_first_of(" \t");
    if (sp != std::string_view::npos) part = part.substr(0, sp);
    if (!part.empty()) ids->emplace_back(part);
  }
  return !ids->empty();
}

InlineIgnores ReadInlineIgnores(const Dockerfile& df) {
  InlineIgnores out;
  std::vector<std::string> ids;
  bool global = false;
  for (const Comment& c : df.comments) {
    if (ParseIgnorePragma(c.text, &global, &ids) && global) out.global.insert(ids.begin(), ids.end());
  }
  for (size_t i = 0; i < df.instructions.size(); ++i) {
    for (const Comment& c : df.instructions[i].comments) {
      if (ParseIgnorePragma(c.text, &global, &ids) && !global) {
        out.per_instruction[i].insert(ids.begin(), ids.end());
      }
    }
  }
  return out;
}

}  // namespace whittle::lint
