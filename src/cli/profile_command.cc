// whittle profile: the bloaty-style hierarchical size report (issue 2). The
// data sources are in model/profile.h, the printers in report/.
#include <optional>
#include <regex>
#include <utility>

#include "cli/commands.h"
#include "model/profile.h"
#include "report/printers.h"
#include "report/raw_map.h"
#include "util/strings.h"
#include "waste/entry_fate.h"

namespace whittle {

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

namespace {

std::string ListSources() {
  std::string out;
  for (const auto& s : DataSources()) out += StrFormat("%-8s %s\n", s.name, s.description);
  return out;
}

// "blob", "tar" or "both" for -s and --domain.
template <typename T>
Status ParseBlobTarBoth(const char* flag, const std::string& v, T blob, T tar, T both, T* out) {
  const std::pair<const char*, T> kChoices[] = {{"blob", blob}, {"tar", tar}, {"both", both}};
  for (const auto& [name, value] : kChoices) {
    if (v == name) {
      *out = value;
      return Status::Ok();
    }
  }
  return Error(Errc::kUsage, StrFormat("%s takes blob, tar or both, got '%s'", flag, v.c_str()));
}

class ProfileVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions&) override {
    flags.Info("--list-sources", nullptr, ListSources);
    flags.Value("--data-sources", "-d", [this](const std::string& v) { return SetSources(v); });
    flags.Value("--max-rows", "-n", [this](const std::string& v) { return ParseMaxRows(v, &max_rows_); });
    flags.Value("--sort", "-s", [this](const std::string& v) {
      return ParseBlobTarBoth("-s", v, SortBy::kBlob, SortBy::kTar, SortBy::kBoth, &sort_);
    });
    flags.Value("--domain", nullptr, [this](const std::string& v) {
      return ParseBlobTarBoth("--domain", v, Domain::kBlob, Domain::kTar, Domain::kBoth, &table_.domain);
    });
    flags.Value("--depth", nullptr, [this](const std::string& v) {
      long depth = 0;
      if (!TryParseInt(v, 0, 4096, &depth)) return Error(Errc::kUsage, "--depth needs a number >= 0");
      profile_.depth = static_cast<int>(depth);
      return Status::Ok();
    });
    flags.Value("--source-filter", nullptr, [this](const std::string& v) { return SetFilter(v); });
    flags.Bool("--raw-map", nullptr, &raw_map_);
    flags.Action("--wide", "-w", [this] { table_.label_width = 0; });
  }

  Status Prepare(VerbContext& ctx) override {
    // TODO(issue7): diff mode: the rollup of ctx.image minus that of
    // ctx.base, instead of refusing. The framework already loads both.
    if (!ctx.base_ref.empty()) {
      return Error(Errc::kUnsupported, "profile IMAGE -- BASE (diff mode) is not available yet");
    }
    return Status::Ok();
  }

  Result<ExitCode> Run(VerbContext& ctx) override {
    if (raw_map_) {
      ctx.Write(FormatRawMap(ctx.image->image, ctx.image->scan));
      return ExitCode::kOk;
    }
    ASSIGN_OR_RETURN(RollupOutput out, Roll(ctx));
    if (ctx.format == OutputFormat::kTty && table_.label_width != 0) {
      table_.line_width = ctx.console.terminal_width();  // 0 when not a terminal
    }
    switch (ctx.format) {
      case OutputFormat::kJson:
        ctx.Write(FormatJson(out));
        break;
      case OutputFormat::kCsv:
        ctx.Write(FormatDelimited(out, ','));
        break;
      case OutputFormat::kTsv:
        ctx.Write(FormatDelimited(out, '\t'));
        break;
      default:
        ctx.Write(FormatTable(out, table_));
        break;
    }
    return ExitCode::kOk;
  }

 private:
  Status SetSources(const std::string& spec) {
    ASSIGN_OR_RETURN(profile_.sources, ParseDataSources(spec));
    source_names_.clear();
    for (DataSource s : profile_.sources) {
      for (const auto& info : DataSources()) {
        if (info.source == s) source_names_.push_back(info.name);
      }
    }
    return Status::Ok();
  }

  Status SetFilter(const std::string& re) {
    // std::regex reports a bad pattern by throwing; contain it here.
    try {
      source_filter_.emplace(re, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return Error(Errc::kUsage, "--source-filter: invalid regex '" + re + "': " + e.what());
    }
    return Status::Ok();
  }

  // The rollup over the chosen sources, with what --source-filter left out.
  Result<RollupOutput> Roll(VerbContext& ctx) {
    const LoadedImage& in = *ctx.image;
    ProfileOptions options = profile_;
    EntryFateLabels fates;
    for (DataSource s : options.sources) {
      if (s == DataSource::kWaste) {
        fates = ClassifyEntryLabels(in.scan);
        options.fates = &fates;
        break;
      }
    }
    if (source_filter_) options.source_filter = &*source_filter_;
    ASSIGN_OR_RETURN(Profile rollup, BuildProfile(in.image, in.scan, options));
    RollupOutput out = rollup.rollup.Finish(source_names_, max_rows_, sort_);
    if (!source_filter_) return out;
    out.filtered = true;
    out.omitted_blob = rollup.omitted_blob;
    out.omitted_tar = rollup.omitted_tar;
    if (ctx.format == OutputFormat::kCsv || ctx.format == OutputFormat::kTsv) {
      ctx.console.Warning(StrFormat("--source-filter left out %llu BLOB and %llu TAR bytes",
                                    static_cast<unsigned long long>(out.omitted_blob),
                                    static_cast<unsigned long long>(out.omitted_tar)));
    }
    return out;
  }

  ProfileOptions profile_;  // sources default to {layers}
  std::vector<std::string> source_names_{"layers"};
  size_t max_rows_ = 20;
  SortBy sort_ = SortBy::kBoth;
  TableOptions table_;
  std::optional<std::regex> source_filter_;
  bool raw_map_ = false;
};

}  // namespace

std::unique_ptr<Verb> NewProfileVerb() { return MakeVerb<ProfileVerb>(); }

}  // namespace whittle
