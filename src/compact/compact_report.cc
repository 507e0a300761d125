#include "compact/compact_report.h"

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace whittle {

namespace {

std::string Percent(uint64_t after, uint64_t before) {
  if (before == 0) return "0.0%";
  double p = 100.0 * (static_cast<double>(after) - static_cast<double>(before)) / static_cast<double>(before);
  return StrFormat("%+.1f%%", p);
}

std::string Short(const std::string& digest) { return digest.size() > 19 ? digest.substr(0, 19) : digest; }

}  // namespace

std::string FormatCompactText(const CompactResult& r) {
  std::string s = "whittle compact " + r.input + " -> " + r.output + "\n";
  s += StrFormat("base: %d layer%s (%s)\n\n", r.base_layers, r.base_layers == 1 ? "" : "s", r.base_reason.c_str());
  s += StrFormat("  %-9s %-19s %9s %9s  %s\n", "LAYER", "DIGEST", "BLOB", "TAR", "INSTRUCTION");
  for (const CompactLayerRow& l : r.layers) {
    std::string label = l.label.size() > 60 ? l.label.substr(0, 59) + "…" : l.label;
    s += StrFormat("  %-9s %-19s %9s %9s  %s\n", l.action.c_str(), Short(l.digest).c_str(),
                   FormatSize(l.blob_size).c_str(), FormatSize(l.tar_size).c_str(), label.c_str());
  }
  s += StrFormat("\n  %-9s %-19s %9s %9s\n", "before", "", FormatSize(r.before_blob).c_str(),
                 FormatSize(r.before_tar).c_str());
  s += StrFormat("  %-9s %-19s %9s %9s\n", "after", "", FormatSize(r.after_blob).c_str(),
                 FormatSize(r.after_tar).c_str());
  s += StrFormat("  %-9s %-19s %9s %9s\n\n", "change", "", Percent(r.after_blob, r.before_blob).c_str(),
                 Percent(r.after_tar, r.before_tar).c_str());
  if (r.nothing_dropped) {
    s += "nothing to compact: no dead bytes above the base; layers written as they are\n";
  } else {
    s += StrFormat("squashed layer: %llu of %llu members kept, %s of tar dropped (%s compressed)",
                   static_cast<unsigned long long>(r.members_kept), static_cast<unsigned long long>(r.members_total),
                   FormatSizeWithUnit(r.dropped_tar_bytes).c_str(), r.compression.c_str());
    if (r.kept_for_links) {
      s += StrFormat(", %llu dead kept as hard-link targets", static_cast<unsigned long long>(r.kept_for_links));
    }
    s += "\n";
  }
  s += StrFormat("%s (%llu paths, %s)\n",
                 r.nothing_dropped ? "unchanged: the same layers, copied with their digests checked"
                                   : "verified: same final filesystem",
                 static_cast<unsigned long long>(r.tree_paths), r.tree_hash.c_str());
  return s;
}

std::string FormatCompactJson(const CompactResult& r) {
  nlohmann::ordered_json j;
  j["input"] = r.input;
  j["output"] = r.output;
  j["base_layers"] = r.base_layers;
  j["base_reason"] = r.base_reason;
  j["compression"] = r.compression;
  auto layers = nlohmann::ordered_json::array();
  for (const CompactLayerRow& l : r.layers) {
    layers.push_back({{"action", l.action},
                      {"label", l.label},
                      {"digest", l.digest},
                      {"blob_size", l.blob_size},
                      {"tar_size", l.tar_size}});
  }
  j["layers"] = layers;
  j["before"] = {{"blob_size", r.before_blob}, {"tar_size", r.before_tar}};
  j["after"] = {{"blob_size", r.after_blob}, {"tar_size", r.after_tar}};
  j["nothing_dropped"] = r.nothing_dropped;
  j["members"] = {{"total", r.members_total},
                  {"kept", r.members_kept},
                  {"dropped_tar_bytes", r.dropped_tar_bytes},
                  {"kept_for_links", r.kept_for_links}};
  j["verified"] = {{"tree_hash", r.tree_hash}, {"paths", r.tree_paths}};
  return j.dump(2) + "\n";
}

}  // namespace whittle
