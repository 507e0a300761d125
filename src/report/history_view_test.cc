#include "report/history_view.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "util/strings.h"

namespace whittle {
namespace {

// Two layers and an ENV entry that made none, as a docker build records them.
struct Fixture {
  Image image;
  ImageScan scan;
  Fixture() {
    image.history = {{"2024-05-01T10:11:12.123456789Z", "ADD rootfs.tar /", "", "", false},
                     {"2024-05-01T10:11:13Z", "ENV A=1", "", "", true},
                     {"", "RUN   make \n  install", "", "", false}};
    image.layers.resize(2);
    image.layers[0].blob.digest = "sha256:aa";
    image.layers[0].diff_id = "sha256:da";
    for (uint64_t i = 0; i < 2; ++i) {
      LayerScan l;
      l.index = i;
      l.content_size = 1536 * (i + 1);
      l.tar_size = 4096 * (i + 1);
      l.blob_size = 1000 + i;
      l.files = 3 + i;
      scan.layers.push_back(std::move(l));
    }
  }
};

TEST(BuildHistoryView, EntriesMatchedToLayersOldestFirst) {
  Fixture f;
  HistoryView v = BuildHistoryView(f.image, false);
  EXPECT_FALSE(v.history_mismatch);
  ASSERT_EQ(v.rows.size(), 3u);
  EXPECT_EQ(v.rows[0].layer, 0);
  EXPECT_EQ(v.rows[1].layer, -1);
  EXPECT_EQ(v.rows[1].created_by, "ENV A=1");
  EXPECT_EQ(v.rows[2].layer, 1);
  HistoryView r = BuildHistoryView(f.image, true);
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[0].layer, 1);
  EXPECT_EQ(r.rows[2].layer, 0);
}

TEST(BuildHistoryView, MismatchedHistoryFallsBackToLayers) {
  Fixture f;
  f.image.history.pop_back();  // one non-empty entry for two layers
  HistoryView v = BuildHistoryView(f.image, false);
  EXPECT_TRUE(v.history_mismatch);
  ASSERT_EQ(v.rows.size(), 2u);
  EXPECT_EQ(v.rows[0].created_by, "[layer 1]");
  EXPECT_EQ(v.rows[1].created_by, "[layer 2]");
  EXPECT_EQ(v.rows[1].layer, 1);
  // No history at all is not a mismatch worth a warning.
  f.image.history.clear();
  v = BuildHistoryView(f.image, false);
  EXPECT_FALSE(v.history_mismatch);
  EXPECT_EQ(v.rows.size(), 2u);
}

TEST(FormatHistoryTable, AlignedColumns) {
  Fixture f;
  std::string t = FormatHistoryTable(BuildHistoryView(f.image, false), NumbersFromScan(f.scan), {});
  EXPECT_EQ(t,
            "LAYER   CREATED                CREATED BY           SIZE      TAR   BLOB   FILES\n"
            "#1      2024-05-01T10:11:12Z   ADD rootfs.tar /   1.50Ki   4.00Ki   1000       3\n"
            "-       2024-05-01T10:11:13Z   ENV A=1                 0        0      0       -\n"
            "#2      -                      RUN make install   3.00Ki   8.00Ki   1001       4\n");
}

TEST(FormatHistoryTable, CutsCreatedByToTheTerminalUnlessNoTrunc) {
  Fixture f;
  f.image.history[2].created_by = "RUN " + std::string(100, 'x');
  HistoryView v = BuildHistoryView(f.image, false);
  // Fixed columns: 5 + 20 + 6 + 6 + 4 + 5 + 6*3 = 64; 64 + 16 = 80 columns.
  std::string cut = FormatHistoryTable(v, NumbersFromScan(f.scan), {80, false});
  for (size_t start = 0; start < cut.size();) {
    size_t nl = cut.find('\n', start);
    EXPECT_LE(Utf8Width(cut.substr(start, nl - start)), 80u);
    start = nl + 1;
  }
  EXPECT_NE(cut.find("RUN xxxxxxxxxxx\xE2\x80\xA6"), std::string::npos) << cut;
  std::string whole = FormatHistoryTable(v, NumbersFromScan(f.scan), {80, true});
  EXPECT_NE(whole.find("RUN " + std::string(100, 'x')), std::string::npos);
  EXPECT_EQ(FormatHistoryTable(v, NumbersFromScan(f.scan), {0, false}), whole);
}

TEST(FormatHistoryJson, SameKeysForEveryRow) {
  Fixture f;
  auto j = nlohmann::json::parse(FormatHistoryJson(BuildHistoryView(f.image, false), f.image, NumbersFromScan(f.scan)));
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["layer"], 1);
  EXPECT_EQ(j[0]["digest"], "sha256:aa");
  EXPECT_EQ(j[0]["diffId"], "sha256:da");
  EXPECT_EQ(j[0]["size"], 1536);
  EXPECT_EQ(j[0]["tarSize"], 4096);
  EXPECT_EQ(j[0]["blobSize"], 1000);
  EXPECT_EQ(j[0]["files"], 3);
  EXPECT_TRUE(j[1]["layer"].is_null());
  EXPECT_TRUE(j[1]["emptyLayer"].get<bool>());
  EXPECT_EQ(j[1]["size"], 0);
  EXPECT_TRUE(j[1]["digest"].is_null());
  EXPECT_TRUE(j[2]["digest"].is_null());  // unknown digest: null, not ""
  EXPECT_EQ(j[2]["createdBy"], "RUN   make \n  install");
  for (const auto& row : j) EXPECT_EQ(row.size(), 10u);
}

// An image opened but not scanned (docker:// without --scan): BLOB from the
// manifest, the rest unknown: "-" in the table, null in JSON.
TEST(FormatHistory, UnscannedShowsOnlyTheManifestBlobSizes) {
  Fixture f;
  f.image.layers[0].blob.size = 1000;  // layers[1] has no size in its descriptor
  HistoryView v = BuildHistoryView(f.image, false);
  std::vector<LayerNumbers> numbers = NumbersFromManifest(f.image);
  EXPECT_EQ(FormatHistoryTable(v, numbers, {}),
            "LAYER   CREATED                CREATED BY         SIZE   TAR   BLOB   FILES\n"
            "#1      2024-05-01T10:11:12Z   ADD rootfs.tar /      -     -   1000       -\n"
            "-       2024-05-01T10:11:13Z   ENV A=1               0     0      0       -\n"
            "#2      -                      RUN make install      -     -      -       -\n");
  auto j = nlohmann::json::parse(FormatHistoryJson(v, f.image, numbers));
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["blobSize"], 1000);
  EXPECT_TRUE(j[0]["size"].is_null());
  EXPECT_TRUE(j[0]["tarSize"].is_null());
  EXPECT_TRUE(j[0]["files"].is_null());
  EXPECT_EQ(j[1]["size"], 0);  // an entry that made no layer is still 0
  EXPECT_TRUE(j[2]["blobSize"].is_null());
}

}  // namespace
}  // namespace whittle
