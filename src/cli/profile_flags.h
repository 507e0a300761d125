// The flags `profile` and `diff` share: the data sources and how the tree is
// cut and laid out. Parsing only; the work is in sources/image_profile.h.
#ifndef WHITTLE_CLI_PROFILE_FLAGS_H_
#define WHITTLE_CLI_PROFILE_FLAGS_H_

#include <optional>
#include <regex>
#include <string>

#include "cli/flags.h"
#include "cli/image_loader.h"
#include "report/printers.h"
#include "sources/image_profile.h"

namespace whittle {

struct ProfileFlags {
  ProfileSpec spec;  // sources default to {layers}
  DiffOptions diff;  // -n, -s, --domain (what counts as a change), --all
  TableOptions table;
  std::optional<std::regex> source_filter;
  CaptureRules capture;

  ProfileFlags();
  /// -d, -n, -s, --domain, --depth, --source-filter, -w, --list-sources.
  void AddTo(FlagSet& flags);
  /// After parsing: the capture rules the sources need, set on |load| so
  /// the scan collects them in its one pass.
  void PrepareLoad(LoadOptions* load);
  /// The names of the chosen sources, for the printers.
  std::vector<std::string> SourceNames() const;
};

/// --list-sources: one line per data source.
std::string ListDataSources();

}  // namespace whittle

#endif  // WHITTLE_CLI_PROFILE_FLAGS_H_
