#include "compact/config_rewrite.h"

#include <nlohmann/json.hpp>

#include "scan/history_labels.h"
#include "util/strings.h"

namespace whittle {

using OJson = nlohmann::ordered_json;

Result<std::string> RewriteConfig(const Image& image, int base, const std::vector<std::pair<int, int>>& groups,
                                  const std::vector<std::string>& diff_ids) {
  OJson config = OJson::parse(image.config_json, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    return Error(Errc::kCorrupt, image.config.location + ": config is not a JSON object");
  }
  OJson ids = OJson::array();
  for (int i = 0; i < base; ++i) ids.push_back(image.diff_ids[i]);
  for (const std::string& d : diff_ids) ids.push_back(d);
  if (!config.contains("rootfs") || !config["rootfs"].is_object()) config["rootfs"] = OJson::object();
  config["rootfs"]["type"] = "layers";
  config["rootfs"]["diff_ids"] = ids;

  std::vector<std::string> labels = LayerLabels(image);
  // One history entry per group, saying what it replaced.
  std::vector<OJson> squash;
  for (const auto& [first, last] : groups) {
    std::string replaced;
    for (int i = first; i <= last; ++i) {
      if (!replaced.empty()) replaced += "; ";
      replaced += labels[i];
    }
    std::string what = first == last ? StrFormat("whittle compact: layer %d rewritten, dead bytes dropped", first + 1)
                                     : StrFormat("whittle compact: layers %d-%d squashed into one, dead bytes dropped",
                                                 first + 1, last + 1);
    squash.push_back({{"created_by", what}, {"comment", "replaced: " + replaced}});
  }
  std::vector<int> match = MatchHistoryToLayers(image);
  const bool matched = !match.empty() && match[0] >= 0;
  const OJson* old = config.contains("history") && config["history"].is_array() ? &config["history"] : nullptr;
  OJson history = OJson::array();
  if (matched && old != nullptr) {
    // Entries of replaced layers go; each group's entry takes the place of
    // its last layer's entry (and its created time); the rest stay in order.
    std::vector<int> group_at(old->size(), -1);
    std::vector<bool> replaced(old->size(), false);
    for (size_t g = 0; g < groups.size(); ++g) {
      for (int i = groups[g].first; i <= groups[g].second; ++i) replaced[match[i]] = true;
      group_at[match[groups[g].second]] = static_cast<int>(g);
    }
    for (size_t h = 0; h < old->size(); ++h) {
      if (group_at[h] >= 0) {
        OJson e = OJson::object();
        if (old->at(h).is_object() && old->at(h).contains("created")) e["created"] = old->at(h)["created"];
        e["created_by"] = squash[group_at[h]]["created_by"];
        e["comment"] = squash[group_at[h]]["comment"];
        history.push_back(e);
      } else if (!replaced[h]) {
        history.push_back(old->at(h));
      }
    }
  } else {
    // No usable history: keep what there is and append the new entries.
    if (old != nullptr) history = *old;
    for (OJson& e : squash) history.push_back(e);
  }
  config["history"] = history;
  return config.dump();
}

}  // namespace whittle
