// The report's data on a real docker save (dive's test image: 14 layers,
// files overwritten and deleted): its figures are the ones `waste --json`
// and `profile --json` print, its layers add up to them, and its tree holds
// exactly the live bytes, within the budget.
#include "htmlreport/report_data.h"

#include <gtest/gtest.h>

#include "report/printers.h"
#include "scan/open_and_scan.h"
#include "sources/image_profile.h"
#include "sources/package_attribution.h"
#include "waste/waste_report.h"

namespace whittle::htmlreport {
namespace {

using nlohmann::json;

const std::string kDiveImage = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/test-docker-image.tar";

class ReportDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddPackageCaptureRules(&capture_);
    ScanOptions scan;
    scan.capture = &capture_;
    auto s = OpenAndScanImage(kDiveImage, OpenOptions{}, scan);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    scanned_ = std::make_unique<ScannedImage>(std::move(*s));
    inputs_ = std::make_unique<SourceInputs>(scanned_->image, scanned_->scan, 3);
    inputs_->set_capture_rules(&capture_);
  }

  json Build(ReportBudget budget = {}) {
    ReportInput in;
    in.reference = "dive.tar";
    in.image = &scanned_->image;
    in.scan = &scanned_->scan;
    in.inputs = inputs_.get();
    in.capture = &capture_;
    in.budget = budget;
    std::vector<std::string> warnings;
    auto doc = BuildReportData(in, &warnings);
    EXPECT_TRUE(doc.has_value()) << doc.error().message();
    EXPECT_TRUE(warnings.empty());
    return doc.has_value() ? *doc : json();
  }

  CaptureRules capture_;
  std::unique_ptr<ScannedImage> scanned_;
  std::unique_ptr<SourceInputs> inputs_;
};

// Sums of an array-node tree: [name, bytes, files, kind, layer, children?].
void ExpectTreeSums(const json& n, size_t* nodes) {
  ++*nodes;
  if (n.size() < 6 || !n[5].is_array() || n[5].empty()) return;
  uint64_t bytes = 0, files = 0;
  for (const json& c : n[5]) {
    bytes += c[1].get<uint64_t>();
    files += c[2].get<uint64_t>();
    ExpectTreeSums(c, nodes);
  }
  EXPECT_EQ(bytes, n[1].get<uint64_t>()) << n[0];
  EXPECT_EQ(files, n[2].get<uint64_t>()) << n[0];
}

TEST_F(ReportDataTest, HeaderIsWhatWasteAndProfilePrint) {
  json doc = Build();
  const json& h = doc["header"];
  json waste = json::parse(FormatWasteJson(AnalyzeWaste("dive.tar", scanned_->image, scanned_->scan)));
  EXPECT_EQ(h["efficiency"], waste["efficiency"]);
  EXPECT_EQ(h["sizeBytes"], waste["sizeBytes"]);
  EXPECT_EQ(h["wastedBytes"], waste["wastedBytes"]);
  EXPECT_EQ(h["reclaimableBytes"], waste["reclaimableBytes"]);
  EXPECT_EQ(h["reclaimablePercent"], waste["reclaimablePercent"]);
  EXPECT_EQ(h["contentBytes"], waste["contentBytes"]);
  // dive's own figures for this image (waste_image_test's anchor).
  EXPECT_EQ(h["efficiency"].get<double>(), 0.9844212134184309);
  EXPECT_EQ(h["sizeBytes"].get<uint64_t>(), 1220598u);

  ProfileSpec spec;
  auto sources = ParseDataSources("layers");
  ASSERT_TRUE(sources.has_value());
  spec.sources = *sources;
  std::vector<std::string> warnings;
  auto profile = ProfileImage(scanned_->image, scanned_->scan, spec, nullptr, &warnings);
  ASSERT_TRUE(profile.has_value());
  json pj = json::parse(FormatJson(profile->rollup.Finish({"layers"}, 0, SortBy::kBoth)));
  EXPECT_EQ(h["blobBytes"], pj["total"]["blobSize"]);
  EXPECT_EQ(h["tarBytes"], pj["total"]["tarSize"]);
  EXPECT_EQ(h["layerCount"].get<size_t>(), 14u);
  EXPECT_EQ(h["image"], "dive.tar");
}

TEST_F(ReportDataTest, LayersSplitIntoLiveAndReclaimableAndAddUp) {
  json doc = Build();
  const json& layers = doc["layers"];
  ASSERT_EQ(layers.size(), 14u);
  uint64_t blob = 0, tar = 0, dead_tar = 0, dead_content = 0;
  for (size_t i = 0; i < layers.size(); ++i) {
    const json& l = layers[i];
    EXPECT_EQ(l["layer"].get<size_t>(), i + 1);
    EXPECT_EQ(l["liveBlobBytes"].get<uint64_t>() + l["reclaimableBlobBytes"].get<uint64_t>(),
              l["blobBytes"].get<uint64_t>());
    EXPECT_EQ(l["liveTarBytes"].get<uint64_t>() + l["reclaimableTarBytes"].get<uint64_t>(),
              l["tarBytes"].get<uint64_t>());
    EXPECT_EQ(l["blobBytes"].get<uint64_t>(), scanned_->scan.layers[i].blob_size);
    EXPECT_EQ(l["tarBytes"].get<uint64_t>(), scanned_->scan.layers[i].tar_size);
    EXPECT_EQ(l["label"].get<std::string>().rfind("#" + std::to_string(i + 1) + " ", 0), 0u) << l["label"];
    blob += l["blobBytes"].get<uint64_t>();
    tar += l["tarBytes"].get<uint64_t>();
    dead_tar += l["reclaimableTarBytes"].get<uint64_t>();
    dead_content += l["deadBytes"].get<uint64_t>();
  }
  EXPECT_EQ(blob, doc["header"]["blobBytes"].get<uint64_t>());
  EXPECT_EQ(tar, doc["header"]["tarBytes"].get<uint64_t>());
  EXPECT_EQ(dead_tar, doc["header"]["reclaimableTarBytes"].get<uint64_t>());
  EXPECT_EQ(dead_content, doc["header"]["reclaimableBytes"].get<uint64_t>());
  EXPECT_GT(dead_content, 0u);  // the image overwrites and deletes files
  // Data bytes of dead members in the tar are their content bytes here (no
  // sparse files), so the two reclaimable figures agree.
  EXPECT_EQ(dead_tar, dead_content);
}

TEST_F(ReportDataTest, TreeHoldsTheLiveBytesWithinTheBudget) {
  json whole = Build();
  const json& tree = whole["tree"];
  EXPECT_EQ(tree["root"][1].get<uint64_t>(), whole["header"]["liveBytes"].get<uint64_t>());
  EXPECT_EQ(whole["header"]["liveBytes"].get<uint64_t>(),
            whole["header"]["contentBytes"].get<uint64_t>() - whole["header"]["reclaimableBytes"].get<uint64_t>());
  EXPECT_EQ(tree["budget"]["thresholdBytes"].get<uint64_t>(), 0u);
  EXPECT_EQ(tree["budget"]["nodes"], tree["budget"]["allNodes"]);
  size_t nodes = 0;
  ExpectTreeSums(tree["root"], &nodes);
  EXPECT_EQ(nodes, tree["budget"]["nodes"].get<size_t>());
  ASSERT_FALSE(tree["kinds"].empty());

  ReportBudget small;
  small.tree_nodes = 10;
  json cut = Build(small);
  EXPECT_LE(cut["tree"]["budget"]["nodes"].get<size_t>(), 10u);
  EXPECT_GT(cut["tree"]["budget"]["thresholdBytes"].get<uint64_t>(), 0u);
  EXPECT_GT(cut["tree"]["budget"]["foldedFiles"].get<uint64_t>(), 0u);
  EXPECT_EQ(cut["tree"]["root"][1], tree["root"][1]);  // the cut loses no byte
  nodes = 0;
  ExpectTreeSums(cut["tree"]["root"], &nodes);
  EXPECT_EQ(nodes, cut["tree"]["budget"]["nodes"].get<size_t>());
}

TEST_F(ReportDataTest, WasteRowsAreWastesGroupsCapped) {
  json waste = json::parse(FormatWasteJson(AnalyzeWaste("dive.tar", scanned_->image, scanned_->scan)));
  json doc = Build();
  EXPECT_EQ(doc["waste"]["paths"], waste["paths"]);
  EXPECT_TRUE(doc["waste"]["others"].is_null());
  ASSERT_GE(waste["paths"].size(), 3u);
  ReportBudget small;
  small.waste_rows = 2;
  json cut = Build(small);
  ASSERT_EQ(cut["waste"]["paths"].size(), 2u);
  uint64_t rest = 0;
  for (size_t i = 2; i < waste["paths"].size(); ++i) rest += waste["paths"][i]["sizeBytes"].get<uint64_t>();
  EXPECT_EQ(cut["waste"]["others"]["groups"].get<size_t>(), waste["paths"].size() - 2);
  EXPECT_EQ(cut["waste"]["others"]["sizeBytes"].get<uint64_t>(), rest);
  EXPECT_TRUE(doc["explain"].is_null());
  EXPECT_TRUE(doc["diff"].is_null());
}

TEST_F(ReportDataTest, DiffAgainstItselfHasNoRows) {
  ReportInput in;
  in.reference = "dive.tar";
  in.image = &scanned_->image;
  in.scan = &scanned_->scan;
  in.inputs = inputs_.get();
  in.capture = &capture_;
  in.base_reference = "dive.tar";
  in.base_image = &scanned_->image;
  in.base_scan = &scanned_->scan;
  std::vector<std::string> warnings;
  auto doc = BuildReportData(in, &warnings);
  ASSERT_TRUE(doc.has_value()) << doc.error().message();
  const json& d = (*doc)["diff"];
  EXPECT_EQ(d["base"], "dive.tar");
  EXPECT_TRUE(d["kinds"]["rows"].empty());
  EXPECT_TRUE(d["paths"]["rows"].empty());
  EXPECT_EQ(d["kinds"]["total"]["deltaTarSize"].get<int64_t>(), 0);
  EXPECT_EQ(d["kinds"]["total"]["newTarSize"], (*doc)["header"]["tarBytes"]);
}

}  // namespace
}  // namespace whittle::htmlreport
