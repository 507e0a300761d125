#include "waste/ci_metrics.h"

#include <gtest/gtest.h>

#include "waste/scan_builder_for_test.h"

namespace whittle {
namespace {

using namespace testing_waste;

// Every field comes from the analysis, except the two the image decides.
TEST(MeasureForCi, CopiesTheAnalysisAndAddsPullSizeAndLayers) {
  WasteReport report;
  report.dive.efficiency = 0.75;
  report.dive.wasted_bytes = 111;
  report.dive.user_wasted_percent = 0.25;
  report.dive.size_bytes = 222;
  report.waste.reclaimable_bytes = 333;
  report.waste.reclaimable_fraction = 0.5;
  Image image;
  image.config_json = std::string(40, 'c');
  ImageScan scan = BuildScan({{F("/a", 1)}, {F("/b", 2)}, {}});
  scan.layers[0].blob_size = 1000;
  scan.layers[1].blob_size = 20;
  scan.layers[2].blob_size = 3;
  CiMetrics m = MeasureForCi(report, image, scan);
  EXPECT_EQ(m.efficiency, 0.75);
  EXPECT_EQ(m.wasted_bytes, 111u);
  EXPECT_EQ(m.user_wasted_percent, 0.25);
  EXPECT_EQ(m.image_size, 222u);
  EXPECT_EQ(m.reclaimable_bytes, 333u);
  EXPECT_EQ(m.reclaimable_percent, 0.5);
  EXPECT_EQ(m.blob_size, 40u + 1000 + 20 + 3);
  EXPECT_EQ(m.layers, 3u);
}

// Over a real analysis: a 100-byte file overwritten by a 50-byte one leaves
// 100 reclaimable bytes of 150, which dive also counts as wasted.
TEST(MeasureForCi, OverAnalyzeWaste) {
  Image image;
  ImageScan scan = BuildScan({{F("/f", 100)}, {F("/f", 50)}});
  WasteReport report = AnalyzeWaste("img", image, scan);
  CiMetrics m = MeasureForCi(report, image, scan);
  EXPECT_EQ(m.reclaimable_bytes, 100u);
  EXPECT_DOUBLE_EQ(m.reclaimable_percent, 100.0 / 150.0);
  EXPECT_EQ(m.image_size, 150u);
  EXPECT_EQ(m.layers, 2u);
  EXPECT_EQ(m.blob_size, 0u);
}

}  // namespace
}  // namespace whittle
