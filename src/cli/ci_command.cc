// whittle ci: a CI gate over dive's .dive-ci rules and whittle's own
// (.whittle.yaml ci:). Exit 0 pass, 1 a rule failed, 2 configuration or
// input error. Digests are always verified (issue 3).
#include <cstdio>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/image_loader.h"
#include "waste/ci_report.h"
#include "waste/ci_rules.h"
#include "waste/waste_report.h"

namespace whittle {

namespace {

const char kCiUsage[] =
    "usage: whittle ci [OPTION]... IMAGE\n"
    "\n"
    "Checks IMAGE against CI rules and exits 0 (pass), 1 (a rule failed) or 2\n"
    "(configuration or input error). Rules come from dive's .dive-ci (current\n"
    "directory, or --ci-config) and the ci: section of .whittle.yaml (current\n"
    "directory, or -c), which wins. A rule missing from the files is disabled;\n"
    "with no rules file at all, dive's defaults apply (0.9 / disabled / 0.1).\n"
    "Keys: lowestEfficiency, highestWastedBytes, highestUserWastedPercent (dive's),\n"
    "maxImageSize, maxBlobSize, maxReclaimableBytes, maxReclaimablePercent, maxLayers.\n"
    "\n"
    "  --ci-config FILE    dive rules file (default ./.dive-ci)\n"
    "  -c FILE             whittle config file (default ./.whittle.yaml)\n"
    "  --dive-defaults     start from dive's defaults instead of all rules disabled\n"
    "  --junit FILE        also write a JUnit XML report to FILE\n"
    "  --format F          tty or json (--json)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  -j N                layers scanned in parallel (default: all cores)\n";

}  // namespace

int RunCi(const Args& args) {
  ArgParser p(args);
  std::string image_ref, value, junit_path;
  CiConfigRequest request;
  OutputFormat format = OutputFormat::kTty;
  LoadOptions load;
  Status load_error;
  load.verify = true;  // ci always checks every digest
  auto usage_error = [](const std::string& msg) {
    PrintError(msg + " (see 'whittle ci --help')");
    return 2;
  };
  while (!p.Done()) {
    if (p.TryFlag("--help", "-h")) {
      std::fputs(kCiUsage, stdout);
      return 0;
    } else if (p.TryOption("--ci-config", nullptr, &value)) {
      request.dive_ci_path = value;
    } else if (p.TryOption("--config", "-c", &value)) {
      request.whittle_path = value;
    } else if (p.TryFlag("--dive-defaults")) {
      request.dive_defaults = true;
    } else if (p.TryOption("--junit", nullptr, &value)) {
      junit_path = value;
    } else if (p.TryOption("--format", nullptr, &value)) {
      auto f = ParseOutputFormat(value);
      if (!f || (*f != OutputFormat::kTty && *f != OutputFormat::kJson && *f != OutputFormat::kJunit)) {
        return usage_error("ci --format takes tty, json or junit");
      }
      format = *f;
    } else if (p.TryFlag("--json")) {
      format = OutputFormat::kJson;
    } else if (TryParseLoadOption(p, &load, &load_error)) {
      if (!load_error.ok()) return usage_error(load_error.message());
    } else if (p.TryPositional(&value)) {
      if (!image_ref.empty()) return usage_error("ci takes one IMAGE (got '" + image_ref + "' and '" + value + "')");
      image_ref = value;
    } else {
      return usage_error(p.UnexpectedMessage());
    }
    if (!p.error().ok()) return usage_error(p.error().message());
  }
  if (image_ref.empty()) return usage_error("ci needs an IMAGE");

  // Configuration first: a bad rules file fails before any image work.
  auto config = LoadCiConfig(request);
  if (!config) {
    PrintError(config.error());
    return 2;
  }
  for (const std::string& w : config->warnings) PrintWarning(w);

  auto loaded = LoadImage(image_ref, load);
  if (!loaded) {
    PrintError(loaded.error());
    return 2;
  }
  WasteReport report = AnalyzeWaste(image_ref, loaded->image, loaded->scan);
  CiOutcome outcome;
  outcome.image = image_ref;
  outcome.sources = config->sources;
  outcome.no_rules_file = config->no_rules_file;
  outcome.used_dive_defaults = config->used_dive_defaults;
  CiMetrics& m = outcome.metrics;
  m.efficiency = report.dive.efficiency;
  m.wasted_bytes = report.dive.wasted_bytes;
  m.user_wasted_percent = report.dive.user_wasted_percent;
  m.image_size = report.dive.size_bytes;
  m.blob_size = loaded->image.config_json.size();
  for (const LayerScan& l : loaded->scan.layers) m.blob_size += l.blob_size;
  m.reclaimable_bytes = report.waste.reclaimable_bytes;
  m.reclaimable_percent = report.waste.reclaimable_fraction;
  m.layers = loaded->scan.layers.size();
  outcome.results = EvaluateCiRules(config->rules, m);

  if (!junit_path.empty()) {
    Status st = WriteFileAtomically(junit_path, FormatCiJunit(outcome));
    if (!st.ok()) {
      PrintError(st);
      return 2;
    }
  }
  std::string text;
  switch (format) {
    case OutputFormat::kJson: text = FormatCiJson(outcome); break;
    case OutputFormat::kJunit: text = FormatCiJunit(outcome); break;
    default: text = FormatCiText(outcome); break;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return outcome.pass() ? 0 : 1;
}

}  // namespace whittle
