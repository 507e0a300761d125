// Fuzz target for the configuration files whittle reads from a repository:
// .whittle.yaml, .hadolint.yaml and dive's .dive-ci. The input is one YAML
// file; it goes through the YAML loader (util/yaml.h) and then through every
// consumer of its document: the lint config (as a .hadolint.yaml, or the
// `lint:` section of a .whittle.yaml), the .dive-ci `rules:` and the
// .whittle.yaml `ci:` section. Must never crash, hang or blow up (anchors
// and aliases are capped). Checked:
//  - errors and warnings: one non-empty line that names the file.
//  - the loader is stable: the same text parses to the same document.
//  - a document that loads survives a dump and re-parse as YAML (JSON is
//    YAML): the consumers give the same outcome on it.
// Replayed over tests/fuzz/corpus/config by fuzz_replay_config.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "lint/lint_config.h"
#include "util/yaml.h"
#include "waste/ci_rules.h"

namespace {

constexpr char kName[] = "fuzz.yaml";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "config invariant broken: %s\n", what.c_str());
  std::abort();
}

void CheckLine(const std::string& m, const char* what) {
  if (m.empty() || m.find('\n') != std::string::npos || m.find('\r') != std::string::npos) {
    Fail(std::string(what) + " is empty or not one line: " + m);
  }
  if (m.rfind(kName, 0) != 0) Fail(std::string(what) + " does not name the file: " + m);
}

// Every consumer over |doc|; returns their outcomes as one string.
std::string Consume(const nlohmann::json& doc) {
  std::string outcome;
  auto lint = whittle::lint::LintConfigFromDocument(doc, kName);
  if (!lint) {
    CheckLine(lint.error().message(), "lint config error");
    outcome += "lint: " + lint.error().message() + "\n";
  } else {
    outcome += "lint: ok " + std::to_string(lint->ignored.size()) + " " + std::to_string(lint->overrides.size()) + "\n";
  }
  std::vector<std::string> warnings;
  whittle::CiRules dive;
  whittle::Status st = whittle::ApplyDiveCiDocument(doc, kName, &dive, &warnings);
  if (!st.ok()) CheckLine(st.message(), ".dive-ci error");
  outcome += "dive: " + st.message() + "\n";
  whittle::CiRules ci;
  bool found = false;
  st = whittle::ApplyWhittleCiDocument(doc, kName, &ci, &warnings, &found);
  if (!st.ok()) CheckLine(st.message(), ".whittle.yaml ci error");
  outcome += "ci: " + st.message() + (found ? " found\n" : "\n");
  for (const auto& w : warnings) {
    CheckLine(w, "warning");
    outcome += w + "\n";
  }
  return outcome;
}


// The length of the longest object key anywhere in |v|, as dump() writes
// it: quoted and escaped.
size_t LongestKey(const nlohmann::json& v) {
  size_t n = 0;
  if (v.is_object()) {
    for (const auto& [key, value] : v.items()) {
      n = std::max({n, nlohmann::json(key).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size(),
                    LongestKey(value)});
    }
  } else if (v.is_array()) {
    for (const auto& e : v) n = std::max(n, LongestKey(e));
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = whittle::ParseYaml(text, kName);
  if (!doc) {
    CheckLine(doc.error().message(), "YAML error");
    auto again = whittle::ParseYaml(text, kName);
    if (again || again.error().message() != doc.error().message()) Fail("YAML error differs on a second parse");
    return 0;
  }
  auto again = whittle::ParseYaml(text, kName);
  if (!again || *again != *doc) Fail("YAML document differs on a second parse");
  std::string outcome = Consume(*doc);
  // JSON is YAML: the dumped document loads back to the same value. Except
  // with a key of 1,024 characters or more as written (quoted, escaped): YAML
  // allows no longer an implicit key (YAML 1.2, 7.4.2; libyaml and PyYAML
  // both refuse it in a flow mapping), so such a dump is not YAML
  // (regressions/config/key-over-1024-chars).
  if (LongestKey(*doc) >= 1024) return 0;
  std::string dumped = doc->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto reloaded = whittle::ParseYaml(dumped, kName);
  if (!reloaded) {
    // Invalid UTF-8 replaced on the way is the one allowed difference.
    if (dumped.find("\xEF\xBF\xBD") == std::string::npos) Fail("dumped document does not load: " + reloaded.error().message());
    return 0;
  }
  if (*reloaded == *doc && Consume(*reloaded) != outcome) Fail("consumers disagree on the re-loaded document");
  return 0;
}
