#include "cache/totals_codec.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

ImageScan TwoLayers() {
  ImageScan scan;
  scan.layers.resize(2);
  LayerScan& a = scan.layers[0];
  a.blob_size = 1000;
  a.tar_size = 3072;
  a.content_size = 1500;
  a.files = 3;
  a.end_tar_bytes = 1024;
  a.end_blob_bytes = 20;
  a.warnings = {"old.tar:blobs/a: member x: odd mode", "not about a file"};
  LayerScan& b = scan.layers[1];
  b.blob_size = 1ull << 40;  // varints of every width
  b.tar_size = UINT64_MAX;
  b.warnings = {"old.tar:blobs/b: trailing bytes"};
  return scan;
}

TEST(TotalsCodec, TotalsAndWarningsComeBackForTheImageTheyAreDecodedFor) {
  const ImageScan scan = TwoLayers();
  const std::string bytes = EncodeImageTotals(scan, {"old.tar:blobs/a", "old.tar:blobs/b"});
  std::vector<LayerScan> back;
  Status st = DecodeImageTotals(bytes, {"new/blobs/a", "new/blobs/b"}, &back);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(back.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back[i].blob_size, scan.layers[i].blob_size) << i;
    EXPECT_EQ(back[i].tar_size, scan.layers[i].tar_size) << i;
    EXPECT_EQ(back[i].content_size, scan.layers[i].content_size) << i;
    EXPECT_EQ(back[i].files, scan.layers[i].files) << i;
    EXPECT_EQ(back[i].end_tar_bytes, scan.layers[i].end_tar_bytes) << i;
    EXPECT_EQ(back[i].end_blob_bytes, scan.layers[i].end_blob_bytes) << i;
    EXPECT_TRUE(back[i].entries.empty());
  }
  EXPECT_EQ(back[0].warnings, (std::vector<std::string>{"new/blobs/a: member x: odd mode", "not about a file"}));
  EXPECT_EQ(back[1].warnings, (std::vector<std::string>{"new/blobs/b: trailing bytes"}));
}

TEST(TotalsCodec, EveryFlippedOrMissingByteAndAnotherShapeIsRejected) {
  const std::vector<std::string> locations = {"old.tar:blobs/a", "old.tar:blobs/b"};
  const std::string bytes = EncodeImageTotals(TwoLayers(), locations);
  std::vector<LayerScan> back(1);  // must stay as it is
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    ASSERT_EQ(DecodeImageTotals(bad, locations, &back).code(), Errc::kCorrupt) << "byte " << i;
  }
  for (size_t n = 0; n < bytes.size(); ++n) {
    ASSERT_EQ(DecodeImageTotals(std::string_view(bytes).substr(0, n), locations, &back).code(), Errc::kCorrupt)
        << "length " << n;
  }
  Status st = DecodeImageTotals(bytes, {"a", "b", "c"}, &back);
  EXPECT_NE(st.message().find("2 layers, the image has 3"), std::string::npos) << st.message();
  EXPECT_EQ(back.size(), 1u);
}

}  // namespace
}  // namespace whittle
