#include "cli/profile_flags.h"

#include <utility>

#include "util/strings.h"

namespace whittle {

namespace {

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

}  // namespace

std::string ListDataSources() {
  std::string out;
  for (const DataSourceDef& s : DataSourceTable()) out += StrFormat("%-8s %s\n", s.name, s.description);
  return out;
}

ProfileFlags::ProfileFlags() { spec.sources = *ParseDataSources("layers"); }

void ProfileFlags::AddTo(FlagSet& flags) {
  flags.Info("--list-sources", nullptr, ListDataSources);
  flags.Value("--data-sources", "-d", [this](const std::string& v) -> Status {
    ASSIGN_OR_RETURN(spec.sources, ParseDataSources(v));
    return Status::Ok();
  });
  flags.Value("--max-rows", "-n", [this](const std::string& v) { return ParseMaxRows(v, &diff.max_rows); });
  flags.Value("--sort", "-s", [this](const std::string& v) {
    return ParseBlobTarBoth("-s", v, SortBy::kBlob, SortBy::kTar, SortBy::kBoth, &diff.sort);
  });
  flags.Value("--domain", nullptr, [this](const std::string& v) {
    RETURN_IF_ERROR(ParseBlobTarBoth("--domain", v, Domain::kBlob, Domain::kTar, Domain::kBoth, &table.domain));
    // A diff shown in one domain counts changes in that domain only.
    return ParseBlobTarBoth("--domain", v, SortBy::kBlob, SortBy::kTar, SortBy::kBoth, &diff.compare);
  });
  flags.Value("--depth", nullptr, [this](const std::string& v) {
    long depth = 0;
    if (!TryParseInt(v, 0, 4096, &depth)) return Error(Errc::kUsage, "--depth needs a number >= 0");
    spec.depth = static_cast<int>(depth);
    return Status::Ok();
  });
  flags.Value("--source-filter", nullptr, [this](const std::string& re) {
    // std::regex reports a bad pattern by throwing; contain it here.
    try {
      source_filter.emplace(re, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
      return Error(Errc::kUsage, "--source-filter: invalid regex '" + re + "': " + e.what());
    }
    spec.source_filter = &*source_filter;
    return Status::Ok();
  });
  flags.Action("--wide", "-w", [this] { table.label_width = 0; });
}

void ProfileFlags::PrepareLoad(LoadOptions* load) {
  capture = CaptureRulesFor(spec.sources);
  spec.capture = &capture;
  if (!capture.empty()) load->capture = &capture;
  // `-d layers` needs each layer's totals only: a warm run then decodes no
  // entry from the layer cache (as `history`).
  load->totals_only = AllPerLayer(spec.sources);
}

std::vector<std::string> ProfileFlags::SourceNames() const {
  std::vector<std::string> names;
  for (const DataSourceDef* d : spec.sources) names.push_back(d->name);
  return names;
}

}  // namespace whittle
