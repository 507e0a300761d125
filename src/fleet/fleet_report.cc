#include "fleet/fleet_report.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace whittle::fleet {
namespace {

std::string ImageName(const ImageRow& row) {
  std::string tags;
  for (const std::string& t : row.tags) tags += (tags.empty() ? ":" : ",") + t;
  return row.repository + tags;
}

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& t : tags) out += (out.empty() ? "" : " ") + t;
  return out;
}

size_t Cut(size_t n, size_t rows) { return rows == 0 ? n : std::min(n, rows); }

}  // namespace

FleetReport BuildFleetReport(const std::vector<ImageRow>& images) {
  FleetReport r;
  r.images = images.size();
  std::map<std::string, SharedLayer> layers;
  std::map<std::string, FleetFinding> findings;
  for (const ImageRow& image : images) {
    r.size += image.size;
    r.pull_size += image.pull_size;
    r.reclaimable += image.reclaimable;
    r.top_images.push_back(image);
    // A layer twice in one image counts the image once.
    std::vector<std::string> seen;
    for (const LayerRow& l : image.layers) {
      if (std::find(seen.begin(), seen.end(), l.digest) != seen.end()) continue;
      seen.push_back(l.digest);
      SharedLayer& s = layers[l.digest];
      s.layer = l;
      ++s.images;
    }
    for (const FindingRow& f : image.findings) {
      FleetFinding& ff = findings[f.id];
      ff.id = f.id;
      ff.lever = f.lever;
      ++ff.images;
      ff.bytes += f.bytes;
    }
  }
  std::sort(r.top_images.begin(), r.top_images.end(), [](const ImageRow& a, const ImageRow& b) {
    if (a.reclaimable != b.reclaimable) return a.reclaimable > b.reclaimable;
    return a.digest < b.digest;
  });
  r.layers = layers.size();
  for (auto& [digest, s] : layers) {
    r.layer_bytes += s.layer.size;
    r.layer_pull_bytes += s.layer.pull_size;
    r.shared_layers.push_back(s);
  }
  std::sort(r.shared_layers.begin(), r.shared_layers.end(), [](const SharedLayer& a, const SharedLayer& b) {
    if (a.images != b.images) return a.images > b.images;
    if (a.layer.size != b.layer.size) return a.layer.size > b.layer.size;
    return a.layer.digest < b.layer.digest;
  });
  for (auto& [id, f] : findings) r.findings.push_back(f);
  std::sort(r.findings.begin(), r.findings.end(), [](const FleetFinding& a, const FleetFinding& b) {
    if (a.bytes != b.bytes) return a.bytes > b.bytes;
    return a.id < b.id;
  });
  return r;
}

std::string FormatFleetReportText(const FleetReport& r, size_t rows) {
  std::string out;
  const double pct = r.size > 0 ? 100.0 * static_cast<double>(r.reclaimable) / static_cast<double>(r.size) : 0.0;
  out += StrFormat("%zu images, %s (%s to pull), %s reclaimable (%.1f%%)\n", r.images,
                   FormatSizeWithUnit(r.size).c_str(), FormatSizeWithUnit(r.pull_size).c_str(),
                   FormatSizeWithUnit(r.reclaimable).c_str(), pct);
  out += StrFormat("%zu distinct layers, %s stored once (%s as blobs)\n", r.layers,
                   FormatSizeWithUnit(r.layer_bytes).c_str(), FormatSizeWithUnit(r.layer_pull_bytes).c_str());

  out += "\nTop images by reclaimable bytes\n";
  out += StrFormat("  %8s %8s %8s  %-19s  %s\n", "RECLAIM", "SIZE", "PULL", "DIGEST", "IMAGE");
  for (size_t i = 0; i < Cut(r.top_images.size(), rows); ++i) {
    const ImageRow& im = r.top_images[i];
    out += StrFormat("  %8s %8s %8s  %-19s  %s\n", FormatSize(im.reclaimable).c_str(), FormatSize(im.size).c_str(),
                     FormatSize(im.pull_size).c_str(), im.digest.substr(0, 19).c_str(), ImageName(im).c_str());
  }
  if (r.top_images.size() > Cut(r.top_images.size(), rows)) {
    out += StrFormat("  [%zu more images]\n", r.top_images.size() - rows);
  }

  out += "\nMost-shared layers\n";
  out += StrFormat("  %6s %8s %8s %8s  %s\n", "IMAGES", "SIZE", "PULL", "FILES", "LAYER");
  for (size_t i = 0; i < Cut(r.shared_layers.size(), rows); ++i) {
    const SharedLayer& s = r.shared_layers[i];
    out += StrFormat("  %6zu %8s %8s %8llu  %s\n", s.images, FormatSize(s.layer.size).c_str(),
                     FormatSize(s.layer.pull_size).c_str(), static_cast<unsigned long long>(s.layer.files),
                     s.layer.digest.c_str());
  }
  if (r.shared_layers.size() > Cut(r.shared_layers.size(), rows)) {
    out += StrFormat("  [%zu more layers]\n", r.shared_layers.size() - rows);
  }

  out += "\nFindings across the fleet\n";
  out += StrFormat("  %6s %8s  %-22s  %s\n", "IMAGES", "BYTES", "FINDING", "LEVER");
  for (size_t i = 0; i < Cut(r.findings.size(), rows); ++i) {
    const FleetFinding& f = r.findings[i];
    out += StrFormat("  %6zu %8s  %-22s  %s\n", f.images, FormatSize(f.bytes).c_str(), f.id.c_str(), f.lever.c_str());
  }
  if (r.findings.empty()) out += "  (none)\n";
  return out;
}

std::string FormatFleetReportCsv(const FleetReport& r) {
  std::string out = "section,name,digest,tags,images,size_bytes,pull_size_bytes,reclaimable_bytes,bytes\n";
  for (const ImageRow& im : r.top_images) {
    uint64_t top = im.findings.empty() ? 0 : im.findings[0].bytes;
    out += StrFormat("image,%s,%s,%s,1,%llu,%llu,%llu,%llu\n", CsvQuote(im.repository).c_str(),
                     CsvQuote(im.digest).c_str(), CsvQuote(JoinTags(im.tags)).c_str(),
                     static_cast<unsigned long long>(im.size), static_cast<unsigned long long>(im.pull_size),
                     static_cast<unsigned long long>(im.reclaimable), static_cast<unsigned long long>(top));
  }
  for (const SharedLayer& s : r.shared_layers) {
    out += StrFormat("layer,%s,%s,,%zu,%llu,%llu,,\n", CsvQuote(s.layer.diff_id).c_str(),
                     CsvQuote(s.layer.digest).c_str(), s.images, static_cast<unsigned long long>(s.layer.size),
                     static_cast<unsigned long long>(s.layer.pull_size));
  }
  for (const FleetFinding& f : r.findings) {
    out += StrFormat("finding,%s,,,%zu,,,,%llu\n", CsvQuote(f.id).c_str(), f.images,
                     static_cast<unsigned long long>(f.bytes));
  }
  return out;
}

std::string FormatFleetReportJson(const FleetReport& r) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["images"] = r.images;
  j["sizeBytes"] = r.size;
  j["pullSizeBytes"] = r.pull_size;
  j["reclaimableBytes"] = r.reclaimable;
  j["distinctLayers"] = r.layers;
  j["distinctLayerBytes"] = r.layer_bytes;
  j["distinctLayerPullBytes"] = r.layer_pull_bytes;
  Json images = Json::array();
  for (const ImageRow& im : r.top_images) {
    Json o;
    o["repository"] = im.repository;
    o["digest"] = im.digest;
    o["tags"] = im.tags;
    o["sizeBytes"] = im.size;
    o["pullSizeBytes"] = im.pull_size;
    o["reclaimableBytes"] = im.reclaimable;
    Json fs = Json::array();
    for (const FindingRow& f : im.findings) {
      fs.push_back({{"id", f.id}, {"lever", f.lever}, {"message", f.message}, {"bytes", f.bytes}});
    }
    o["findings"] = std::move(fs);
    Json ls = Json::array();
    for (const LayerRow& l : im.layers) ls.push_back(l.digest);
    o["layers"] = std::move(ls);
    images.push_back(std::move(o));
  }
  j["topImages"] = std::move(images);
  Json layers = Json::array();
  for (const SharedLayer& s : r.shared_layers) {
    layers.push_back({{"digest", s.layer.digest},
                      {"diffId", s.layer.diff_id},
                      {"images", s.images},
                      {"sizeBytes", s.layer.size},
                      {"pullSizeBytes", s.layer.pull_size},
                      {"files", s.layer.files}});
  }
  j["sharedLayers"] = std::move(layers);
  Json findings = Json::array();
  for (const FleetFinding& f : r.findings) {
    findings.push_back({{"id", f.id}, {"lever", f.lever}, {"images", f.images}, {"bytes", f.bytes}});
  }
  j["findings"] = std::move(findings);
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace whittle::fleet
