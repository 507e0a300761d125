// whittle profile: the bloaty-style hierarchical size report (issue 2).
#include <cstdio>
#include <optional>
#include <regex>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/image_loader.h"
#include "model/profile.h"
#include "sources/data_source.h"
#include "report/printers.h"
#include "report/raw_map.h"
#include "util/strings.h"

namespace whittle {

namespace {

const char kProfileUsage[] =
    "usage: whittle profile [OPTION]... IMAGE\n"
    "\n"
    "Where the bytes of IMAGE are: a size tree over data sources, in compressed\n"
    "(BLOB, as stored and pulled) and uncompressed (TAR) bytes. TOTAL is exactly the\n"
    "sum of the layer blobs and of the layer tars.\n"
    "\n"
    "  -d SOURCES          data sources, comma-separated (default: layers);\n"
    "                      see --list-sources\n"
    "  -n NUM              rows per level before folding into [N Others]\n"
    "                      (default 20, 0 = unlimited)\n"
    "  -s blob|tar|both    sort by this size (both: the larger; default both)\n"
    "  --domain D          show blob, tar or both columns (default both)\n"
    "  --depth N           components kept by the paths source (default 3)\n"
    "  --source-filter RE  keep only bytes whose last-source label matches the\n"
    "                      regex (ECMAScript); what it leaves out is printed\n"
    "  -w                  wide: never cut labels (default: cut at 80 columns)\n"
    "  --format F          tty, json, csv, tsv (--json, --csv, --tsv)\n"
    "  --platform P        os/arch[/variant] in a multi-platform index\n"
    "  --verify            also check digests of blobs that are skipped, not read,\n"
    "                      and the diff_ids of decompressed layers\n"
    "  -j N                layers scanned in parallel (default: all cores)\n"
    "  --list-sources      list the data sources and exit\n"
    "  --raw-map           print every byte range of every layer with its label\n"
    "                      (TAR and BLOB), instead of the table\n";

}  // namespace

int RunProfile(const Args& args) {
  ArgParser p(args);
  std::string image_ref, value;
  std::vector<const DataSourceDef*> sources = *ParseDataSources("layers");
  size_t max_rows = 20;
  SortBy sort = SortBy::kBoth;
  TableOptions table;
  ProfileOptions profile;
  int depth = 3;
  OutputFormat format = OutputFormat::kTty;
  std::optional<std::regex> source_filter;
  LoadOptions load;
  Status load_error;
  bool raw_map = false;
  auto usage_error = [](const std::string& msg) {
    PrintError(msg + " (see 'whittle profile --help')");
    return 2;
  };
  while (!p.Done()) {
    if (p.TryFlag("--help", "-h")) {
      std::fputs(kProfileUsage, stdout);
      return 0;
    } else if (p.TryFlag("--list-sources")) {
      for (const DataSourceDef& s : DataSourceTable()) std::printf("%-8s %s\n", s.name, s.description);
      return 0;
    } else if (p.TryOption("--data-sources", "-d", &value)) {
      auto parsed = ParseDataSources(value);
      if (!parsed) return usage_error(parsed.error().message());
      sources = *parsed;
    } else if (p.TryOption("--max-rows", "-n", &value)) {
      char* end = nullptr;
      long v = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end || v < 0) return usage_error("-n needs a number >= 0, got '" + value + "'");
      max_rows = static_cast<size_t>(v);
    } else if (p.TryOption("--sort", "-s", &value)) {
      if (value == "blob") sort = SortBy::kBlob;
      else if (value == "tar") sort = SortBy::kTar;
      else if (value == "both") sort = SortBy::kBoth;
      else return usage_error("-s takes blob, tar or both, got '" + value + "'");
    } else if (p.TryOption("--domain", nullptr, &value)) {
      if (value == "blob") table.domain = Domain::kBlob;
      else if (value == "tar") table.domain = Domain::kTar;
      else if (value == "both") table.domain = Domain::kBoth;
      else return usage_error("--domain takes blob, tar or both, got '" + value + "'");
    } else if (p.TryOption("--depth", nullptr, &value)) {
      char* end = nullptr;
      long v = std::strtol(value.c_str(), &end, 10);
      if (value.empty() || *end || v < 0 || v > 4096) return usage_error("--depth needs a number >= 0");
      depth = static_cast<int>(v);
    } else if (p.TryOption("--source-filter", nullptr, &value)) {
      // std::regex reports a bad pattern by throwing; contain it here.
      try {
        source_filter.emplace(value, std::regex::ECMAScript | std::regex::optimize);
      } catch (const std::regex_error& e) {
        return usage_error("--source-filter: invalid regex '" + value + "': " + e.what());
      }
    } else if (p.TryFlag("--raw-map")) {
      raw_map = true;
    } else if (p.TryFlag("--wide", "-w")) {
      table.label_width = 0;
    } else if (p.TryOption("--format", nullptr, &value)) {
      auto f = ParseOutputFormat(value);
      if (!f || *f == OutputFormat::kSarif || *f == OutputFormat::kJunit || *f == OutputFormat::kCheckstyle) {
        return usage_error("profile --format takes tty, json, csv or tsv");
      }
      format = *f;
    } else if (p.TryFlag("--json")) {
      format = OutputFormat::kJson;
    } else if (p.TryFlag("--csv")) {
      format = OutputFormat::kCsv;
    } else if (p.TryFlag("--tsv")) {
      format = OutputFormat::kTsv;
    } else if (TryParseLoadOption(p, &load, &load_error)) {
      if (!load_error.ok()) return usage_error(load_error.message());
    } else if (p.TryPositional(&value)) {
      if (!image_ref.empty()) return usage_error("profile takes one IMAGE (got '" + image_ref + "' and '" + value + "')");
      image_ref = value;
    } else {
      return usage_error(p.UnexpectedMessage());
    }
    if (!p.error().ok()) return usage_error(p.error().message());
  }
  if (image_ref.empty()) return usage_error("profile needs an IMAGE");

  CaptureRules capture = CaptureRulesFor(sources);
  if (!capture.empty()) load.capture = &capture;
  auto loaded = LoadImage(image_ref, load);
  if (!loaded) {
    PrintError(loaded.error());
    return 2;
  }
  if (raw_map) {
    std::string text = FormatRawMap(loaded->image, loaded->scan);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  SourceInputs inputs(loaded->image, loaded->scan, depth);
  inputs.set_capture_rules(&capture);
  auto labelers = MakeLabelSources(sources, inputs);
  if (!labelers) {
    PrintError(labelers.error());
    return 2;
  }
  for (auto& l : *labelers) profile.sources.push_back(l.get());
  for (const std::string& w : inputs.TakeWarnings()) PrintWarning(w);
  profile.image_name = loaded->image.reference;
  if (source_filter) profile.source_filter = &*source_filter;
  auto rollup = BuildProfile(loaded->scan, profile);
  if (!rollup) {
    PrintError(rollup.error());
    return 2;
  }
  std::vector<std::string> source_names;
  for (const DataSourceDef* d : sources) source_names.push_back(d->name);
  RollupOutput out = rollup->rollup.Finish(source_names, max_rows, sort);
  if (source_filter) {
    out.filtered = true;
    out.omitted_blob = rollup->omitted_blob;
    out.omitted_tar = rollup->omitted_tar;
    if (format == OutputFormat::kCsv || format == OutputFormat::kTsv) {
      PrintWarning(StrFormat("--source-filter left out %llu BLOB and %llu TAR bytes",
                             static_cast<unsigned long long>(out.omitted_blob),
                             static_cast<unsigned long long>(out.omitted_tar)));
    }
  }
  if (format == OutputFormat::kTty && table.label_width != 0) {
    table.line_width = static_cast<size_t>(TerminalWidth());  // 0 when not a terminal
  }
  std::string text;
  switch (format) {
    case OutputFormat::kJson: text = FormatJson(out); break;
    case OutputFormat::kCsv: text = FormatDelimited(out, ','); break;
    case OutputFormat::kTsv: text = FormatDelimited(out, '\t'); break;
    default: text = FormatTable(out, table); break;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace whittle
