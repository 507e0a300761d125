#include "fleet/image_analysis.h"

#include <algorithm>

#include "explain/explain.h"
#include "explain/image_facts.h"
#include "sources/data_source.h"
#include "sources/package_attribution.h"
#include "waste/waste_report.h"

namespace whittle::fleet {

const CaptureRules& FleetCaptureRules() {
  static const CaptureRules* rules = [] {
    auto* r = new CaptureRules();
    AddPackageCaptureRules(r);
    return r;
  }();
  return *rules;
}

std::string TagOfReference(const std::string& reference) {
  // "HOST/REPO:TAG": the tag follows the last ':' after the last '/'.
  if (reference.find('@') != std::string::npos) return "";
  const size_t slash = reference.rfind('/');
  const size_t colon = reference.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return reference.substr(colon + 1);
}

Result<ImageScan> ScanForFleet(Image& image, LayerScanCache* cache) {
  ScanOptions options;
  options.threads = 1;
  options.capture = &FleetCaptureRules();
  return ScanImage(image, options, cache);
}

Result<ImageRow> AnalyzeImage(const WorkItem& item, const Image& image, const ImageScan& scan) {
  ImageRow row;
  row.repository = item.repository;
  row.digest = image.manifest.digest;
  if (std::string tag = TagOfReference(item.reference); !tag.empty()) row.tags.push_back(tag);
  row.pull_size = static_cast<uint64_t>(std::max<int64_t>(image.manifest.size, 0)) +
                  static_cast<uint64_t>(std::max<int64_t>(image.config.size, 0));
  for (size_t i = 0; i < image.layers.size() && i < scan.layers.size(); ++i) {
    const LayerScan& ls = scan.layers[i];
    LayerRow layer;
    layer.digest = image.layers[i].blob.digest;
    layer.diff_id = image.layers[i].diff_id;
    layer.size = ls.tar_size;
    layer.pull_size = ls.blob_size;
    layer.files = ls.entries.size();
    row.size += layer.size;
    row.pull_size += layer.pull_size;
    row.layers.push_back(std::move(layer));
  }
  WasteReport waste = AnalyzeWaste(item.reference, image, scan);
  row.reclaimable = waste.waste.reclaimable_bytes;

  SourceInputs inputs(image, scan, 3);
  inputs.set_capture_rules(&FleetCaptureRules());
  explain::ImageFacts facts(image, scan, inputs);
  explain::ExplainInput in;
  in.facts = &facts;
  in.image_name = item.reference;
  ASSIGN_OR_RETURN(explain::ExplainReport report, explain::Explain(in));
  for (const explain::Finding& f : report.findings) {
    if (!f.measured() || f.bytes.tar == 0) continue;
    row.findings.push_back({f.id, explain::LeverName(f.lever), f.message, f.bytes.tar});
  }
  // Explain ranks by bytes already; a stable sort keeps its order on ties.
  std::stable_sort(row.findings.begin(), row.findings.end(),
                   [](const FindingRow& a, const FindingRow& b) { return a.bytes > b.bytes; });
  if (row.findings.size() > kTopFindings) row.findings.resize(kTopFindings);
  return row;
}

}  // namespace whittle::fleet
