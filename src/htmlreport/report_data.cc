#include "htmlreport/report_data.h"

#include <string_view>
#include <utility>

#include "explain/output.h"
#include "htmlreport/fs_tree.h"
#include "pkg/kinds.h"
#include "report/printers.h"
#include "scan/history_labels.h"
#include "sources/image_profile.h"
#include "sources/package_attribution.h"
#include "waste/waste_report.h"

namespace whittle::htmlreport {

namespace {

using nlohmann::json;

// [name, bytes, files, kind, layer(1-based)] for a file, then a 6th element
// for the rest: null for a fold, the children (maybe none: cut away) for a
// directory. Arrays, not objects: the tree is most of the page's bytes.
json TreeJson(const TreeNode& n) {
  json j = json::array({n.name, n.bytes, n.files, n.kind, n.layer + 1});
  if (n.fold) {
    j.push_back(nullptr);
  } else if (n.dir) {
    json children = json::array();
    for (const TreeNode& c : n.children) children.push_back(TreeJson(c));
    j.push_back(std::move(children));
  }
  return j;
}

// Another printer's JSON, embedded as is. Those printers write valid JSON
// (invalid UTF-8 replaced); a failure here is a bug, not bad input.
Result<json> Embed(const std::string& text, const char* what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(Errc::kInternal, std::string("report: unreadable ") + what + " JSON");
  return j;
}

bool IsReclaimable(std::string_view fate_label) {
  return fate_label == FateName(Fate::kOverwritten) || fate_label == FateName(Fate::kDeleted) ||
         fate_label == FateName(Fate::kHiddenByOpaque);
}

// Per layer: live against reclaimable, BLOB and TAR, from the same rollup
// `profile -d layers,waste` prints.
Result<json> LayersJson(const ReportInput& in, const WasteReport& waste, uint64_t* total_blob, uint64_t* total_tar,
                        std::vector<std::string>* warnings) {
  ASSIGN_OR_RETURN(std::vector<const DataSourceDef*> sources, ParseDataSources("layers,waste"));
  ProfileSpec spec;
  spec.sources = sources;
  spec.capture = in.capture;
  ASSIGN_OR_RETURN(Profile profile, ProfileImage(*in.image, *in.scan, spec, nullptr, warnings));
  *total_blob = profile.rollup.blob();
  *total_tar = profile.rollup.tar();
  std::vector<int> history = MatchHistoryToLayers(*in.image);
  json layers = json::array();
  for (size_t i = 0; i < in.scan->layers.size(); ++i) {
    const std::string& label = waste.layer_labels[i];
    uint64_t blob = 0, tar = 0, dead_blob = 0, dead_tar = 0;
    if (const Rollup* layer = profile.rollup.FindChild(label)) {
      blob = layer->blob();
      tar = layer->tar();
      layer->ForEachChild([&](std::string_view fate, const Rollup& r) {
        if (IsReclaimable(fate)) {
          dead_blob += r.blob();
          dead_tar += r.tar();
        }
      });
    }
    std::string instruction;
    if (i < history.size() && history[i] >= 0) {
      instruction = CleanCreatedBy(in.image->history[static_cast<size_t>(history[i])].created_by);
    }
    const LayerWaste& w = waste.waste.layers[i];
    layers.push_back({{"layer", i + 1},
                      {"label", label},
                      {"instruction", instruction},
                      {"digest", in.image->layers[i].blob.digest.empty() ? waste.layer_digests[i]
                                                                          : in.image->layers[i].blob.digest},
                      {"blobBytes", blob},
                      {"tarBytes", tar},
                      {"liveBlobBytes", blob - dead_blob},
                      {"reclaimableBlobBytes", dead_blob},
                      {"liveTarBytes", tar - dead_tar},
                      {"reclaimableTarBytes", dead_tar},
                      {"contentBytes", w.stored_bytes},
                      {"deadBytes", w.dead_bytes},
                      {"killedBytes", w.killed_bytes}});
  }
  return layers;
}

// The final filesystem: every live member with content bytes, its kind as
// the `kinds` source labels it, cut to the budget.
json TreeSection(const ReportInput& in, size_t max_nodes) {
  const std::vector<std::string_view>& kinds = pkg::KindNames();
  const pkg::KindTable& table = pkg::KindTable::BuiltIn();
  const auto& fates = in.inputs->fates();
  const PackageAttribution& packages = in.inputs->packages();
  FsTreeBuilder builder(kinds.size(), in.scan->layers.size());
  for (size_t l = 0; l < in.scan->layers.size(); ++l) {
    const LayerScan& layer = in.scan->layers[l];
    for (size_t e = 0; e < layer.entries.size(); ++e) {
      const LayerEntry& entry = layer.entries[e];
      if (fates[l][e].fate != Fate::kLive || entry.size == 0) continue;
      std::string_view path = in.scan->paths->Get(entry.path);
      std::string_view kind = table.Classify(path, packages.OwnerLabel(l, e));
      uint32_t kind_index = 0;
      for (size_t k = 0; k < kinds.size(); ++k) {
        if (kinds[k] == kind) kind_index = static_cast<uint32_t>(k);
      }
      builder.AddFile(path, entry.size, kind_index, static_cast<uint32_t>(l));
    }
  }
  FsTree tree = builder.Finish(max_nodes);
  json kind_names = json::array();
  for (std::string_view k : kinds) kind_names.push_back(std::string(k));
  return {{"kinds", std::move(kind_names)},
          {"budget", {{"maxNodes", max_nodes},
                      {"nodes", tree.nodes},
                      {"allNodes", tree.all_nodes},
                      {"thresholdBytes", tree.threshold},
                      {"foldedFiles", tree.folded_files}}},
          {"root", TreeJson(tree.root)}};
}

json WasteSection(const WasteReport& waste, size_t max_rows) {
  json rows = json::array();
  uint64_t other_groups = 0, other_files = 0, other_bytes = 0;
  for (size_t i = 0; i < waste.waste.groups.size(); ++i) {
    const DeadGroup& g = waste.waste.groups[i];
    if (i >= max_rows) {
      ++other_groups;
      other_files += g.files;
      other_bytes += g.bytes;
      continue;
    }
    rows.push_back({{"path", g.path},
                    {"storedIn", g.layer + 1},
                    {"killedBy", g.killer == kNoLayer ? json(nullptr) : json(g.killer + 1)},
                    {"reason", std::string(FateName(g.reason))},
                    {"files", g.files},
                    {"sizeBytes", g.bytes}});
  }
  json out = {{"paths", std::move(rows)}};
  out["others"] = other_groups == 0 ? json(nullptr)
                                    : json{{"groups", other_groups}, {"files", other_files}, {"sizeBytes", other_bytes}};
  return out;
}

Result<json> DiffSection(const ReportInput& in, size_t max_rows, std::vector<std::string>* warnings) {
  json out = {{"base", in.base_reference}};
  for (const char* name : {"kinds", "paths"}) {
    ASSIGN_OR_RETURN(std::vector<const DataSourceDef*> sources, ParseDataSources(name));
    ProfileSpec spec;
    spec.sources = sources;
    spec.capture = in.capture;
    DiffOptions options;
    options.max_rows = std::string_view(name) == "kinds" ? 0 : max_rows;
    ASSIGN_OR_RETURN(DiffOutput diff, DiffImages(*in.base_image, *in.base_scan, *in.image, *in.scan, spec, options,
                                                 warnings));
    ASSIGN_OR_RETURN(out[name], Embed(FormatDiffJson(diff), "diff"));
  }
  return out;
}

}  // namespace

Result<json> BuildReportData(const ReportInput& in, std::vector<std::string>* warnings) {
  WasteReport waste = AnalyzeWaste(in.reference, *in.image, *in.scan);
  uint64_t blob = 0, tar = 0;
  ASSIGN_OR_RETURN(json layers, LayersJson(in, waste, &blob, &tar, warnings));
  uint64_t reclaimable_blob = 0, reclaimable_tar = 0;
  for (const json& l : layers) {
    reclaimable_blob += l["reclaimableBlobBytes"].get<uint64_t>();
    reclaimable_tar += l["reclaimableTarBytes"].get<uint64_t>();
  }
  const Image& image = *in.image;
  json doc = json::object();
  doc["schema"] = 1;
  doc["header"] = {{"image", in.reference},
                   {"name", image.name},
                   {"digest", image.manifest.digest},
                   {"configDigest", image.config.digest},
                   {"platform", image.os + "/" + image.architecture + (image.variant.empty() ? "" : "/" + image.variant)},
                   {"layerCount", image.layers.size()},
                   {"blobBytes", blob},
                   {"tarBytes", tar},
                   {"reclaimableBlobBytes", reclaimable_blob},
                   {"reclaimableTarBytes", reclaimable_tar},
                   {"contentBytes", waste.waste.total_bytes},
                   {"reclaimableBytes", waste.waste.reclaimable_bytes},
                   {"reclaimablePercent", waste.waste.reclaimable_fraction},
                   {"liveBytes", waste.waste.total_bytes - waste.waste.reclaimable_bytes},
                   {"efficiency", waste.dive.efficiency},
                   {"sizeBytes", waste.dive.size_bytes},
                   {"wastedBytes", waste.dive.wasted_bytes},
                   {"userWastedPercent", waste.dive.user_wasted_percent}};
  doc["layers"] = std::move(layers);
  doc["tree"] = TreeSection(in, in.budget.tree_nodes);
  for (std::string& w : in.inputs->TakeWarnings()) warnings->push_back(std::move(w));
  doc["waste"] = WasteSection(waste, in.budget.waste_rows);
  if (in.explain != nullptr) {
    ASSIGN_OR_RETURN(doc["explain"], Embed(explain::FormatExplainJson(*in.explain), "explain"));
  } else {
    doc["explain"] = nullptr;
  }
  if (in.base_image != nullptr) {
    ASSIGN_OR_RETURN(doc["diff"], DiffSection(in, in.budget.diff_rows, warnings));
  } else {
    doc["diff"] = nullptr;
  }
  return doc;
}

std::string FormatReportJson(const json& data) {
  return data.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace whittle::htmlreport
