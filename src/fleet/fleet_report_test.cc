#include "fleet/fleet_report.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace whittle::fleet {
namespace {

ImageRow Image(const std::string& digest, uint64_t reclaimable, std::vector<LayerRow> layers,
               std::vector<FindingRow> findings) {
  ImageRow r;
  r.repository = "reg/app";
  r.digest = digest;
  r.tags = {"v1"};
  r.reclaimable = reclaimable;
  for (const LayerRow& l : layers) {
    r.size += l.size;
    r.pull_size += l.pull_size;
  }
  r.layers = std::move(layers);
  r.findings = std::move(findings);
  return r;
}

const LayerRow kBase{"sha256:base", "sha256:d-base", 1000, 400, 10};
const LayerRow kMid{"sha256:mid", "sha256:d-mid", 500, 200, 5};
const LayerRow kTopA{"sha256:topa", "sha256:d-topa", 50, 20, 1};
const LayerRow kTopB{"sha256:topb", "sha256:d-topb", 50, 20, 1};

std::vector<ImageRow> Fleet() {
  return {Image("sha256:c", 10, {kBase, kMid, kTopA}, {{"caches", "same-run-cleanup", "m", 7}}),
          Image("sha256:a", 10, {kBase, kTopB}, {{"caches", "same-run-cleanup", "m", 3}, {"toolchain", "multi-stage", "t", 9}}),
          Image("sha256:b", 30, {kBase, kMid}, {})};
}

TEST(FleetReportTest, SumsAndOrders) {
  FleetReport r = BuildFleetReport(Fleet());
  EXPECT_EQ(r.images, 3u);
  EXPECT_EQ(r.reclaimable, 50u);
  EXPECT_EQ(r.size, 1550u + 1050u + 1500u);
  EXPECT_EQ(r.layers, 4u);
  EXPECT_EQ(r.layer_bytes, 1600u);
  ASSERT_EQ(r.top_images.size(), 3u);
  EXPECT_EQ(r.top_images[0].digest, "sha256:b");
  EXPECT_EQ(r.top_images[1].digest, "sha256:a");  // a tie with c, broken by digest
  EXPECT_EQ(r.top_images[2].digest, "sha256:c");
  ASSERT_EQ(r.shared_layers.size(), 4u);
  EXPECT_EQ(r.shared_layers[0].layer.digest, "sha256:base");
  EXPECT_EQ(r.shared_layers[0].images, 3u);
  EXPECT_EQ(r.shared_layers[1].layer.digest, "sha256:mid");
  EXPECT_EQ(r.shared_layers[2].layer.digest, "sha256:topa");  // same count and size: by digest
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].id, "caches");
  EXPECT_EQ(r.findings[0].bytes, 10u);
  EXPECT_EQ(r.findings[0].images, 2u);
  EXPECT_EQ(r.findings[1].id, "toolchain");
}

TEST(FleetReportTest, OutputDoesNotDependOnRowOrder) {
  std::vector<ImageRow> fleet = Fleet();
  const FleetReport a = BuildFleetReport(fleet);
  std::reverse(fleet.begin(), fleet.end());
  const FleetReport b = BuildFleetReport(fleet);
  EXPECT_EQ(FormatFleetReportCsv(a), FormatFleetReportCsv(b));
  EXPECT_EQ(FormatFleetReportJson(a), FormatFleetReportJson(b));
  EXPECT_EQ(FormatFleetReportText(a, 2), FormatFleetReportText(b, 2));
}

TEST(FleetReportTest, CsvRows) {
  std::string csv = FormatFleetReportCsv(BuildFleetReport(Fleet()));
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "section,name,digest,tags,images,size_bytes,pull_size_bytes,reclaimable_bytes,bytes");
  EXPECT_NE(csv.find("\nimage,reg/app,sha256:b,v1,1,1500,600,30,0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nlayer,sha256:d-base,sha256:base,,3,1000,400,,\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\nfinding,caches,,,2,,,,10\n"), std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 1 + 3 + 4 + 2);
}

TEST(FleetReportTest, TextCutsRows) {
  std::string text = FormatFleetReportText(BuildFleetReport(Fleet()), 2);
  EXPECT_NE(text.find("[1 more images]"), std::string::npos) << text;
  EXPECT_NE(text.find("[2 more layers]"), std::string::npos) << text;
  EXPECT_EQ(text.find("3 images, "), 0u) << text;
}

}  // namespace
}  // namespace whittle::fleet
