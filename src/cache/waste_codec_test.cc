#include "cache/waste_codec.h"

#include <gtest/gtest.h>

#include <array>

#include "cache/cache_test_util.h"
#include "image/image.h"
#include "util/sha256.h"
#include "waste/waste_report.h"

namespace whittle {
namespace {

struct Scanned {
  Image image;
  ImageScan scan;
  std::vector<std::string> locations;
};

// The dive test image, scanned with content hashes (so the duplicate bytes
// are set too).
Scanned ScanDiveImage() {
  Scanned out;
  out.image = testing::OpenDiveImage();
  if (out.image.layers.empty()) return out;
  ScanOptions options;
  options.hash_contents = true;
  auto scan = ScanImage(out.image, options);
  EXPECT_TRUE(scan.has_value()) << scan.error().message();
  if (scan) out.scan = std::move(*scan);
  for (const LayerRef& l : out.image.layers) out.locations.push_back(l.blob.location);
  return out;
}

// Recomputes the trailing checksum after an edit, so that the decoder's
// other checks are what is tested.
std::string Reseal(std::string bytes) {
  bytes.resize(bytes.size() - 32);
  Sha256 sum;
  sum.Update(bytes.data(), bytes.size());
  std::array<uint8_t, 32> digest = sum.FinishRaw();
  bytes.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return bytes;
}

TEST(WasteCodec, TheDiveImageComesBackPrintingTheSameBytes) {
  Scanned s = ScanDiveImage();
  ASSERT_EQ(s.scan.layers.size(), 14u);
  const WasteAnalysis analysis = AnalyzeScanWaste(s.scan);
  ASSERT_FALSE(analysis.waste.groups.empty());
  ASSERT_FALSE(analysis.dive.inefficient_files.empty());
  ASSERT_TRUE(analysis.waste.duplicate_bytes.has_value());
  const std::string bytes = EncodeWasteResult(s.scan, analysis, s.locations);

  CachedWaste back;
  Status st = DecodeWasteResult(bytes, s.locations, &back);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(back.layers.size(), s.scan.layers.size());
  for (size_t i = 0; i < back.layers.size(); ++i) {
    const LayerScan& a = s.scan.layers[i];
    const LayerScan& b = back.layers[i];
    EXPECT_EQ(b.blob_size, a.blob_size) << i;
    EXPECT_EQ(b.tar_size, a.tar_size) << i;
    EXPECT_EQ(b.content_size, a.content_size) << i;
    EXPECT_EQ(b.files, a.files) << i;
    EXPECT_EQ(b.end_tar_bytes, a.end_tar_bytes) << i;
    EXPECT_EQ(b.end_blob_bytes, a.end_blob_bytes) << i;
    EXPECT_EQ(b.warnings, a.warnings) << i;
    EXPECT_TRUE(b.entries.empty());
  }
  // Every printer prints the very same bytes from the decoded analysis (the
  // doubles included, to the last digit).
  const WasteReport cold = AnalyzeWaste("img", s.image, s.scan);
  const WasteReport warm = MakeWasteReport("img", s.image, s.scan, back.analysis);
  EXPECT_EQ(FormatWasteJson(warm), FormatWasteJson(cold));
  EXPECT_EQ(FormatWasteText(warm, 0), FormatWasteText(cold, 0));
  EXPECT_EQ(FormatWasteText(warm, 2), FormatWasteText(cold, 2));
  EXPECT_EQ(FormatWasteCsv(warm), FormatWasteCsv(cold));
  EXPECT_EQ(FormatWasteTsv(warm), FormatWasteTsv(cold));
  EXPECT_EQ(FormatWasteMarkdown(warm, 3), FormatWasteMarkdown(cold, 3));
  EXPECT_EQ(back.analysis.dive.efficiency, analysis.dive.efficiency);
  EXPECT_EQ(back.analysis.dive.user_wasted_percent, analysis.dive.user_wasted_percent);
  EXPECT_EQ(back.analysis.waste.reclaimable_fraction, analysis.waste.reclaimable_fraction);
  EXPECT_EQ(back.analysis.waste.duplicate_bytes, analysis.waste.duplicate_bytes);
}

TEST(WasteCodec, WarningsNameTheLayersOfTheImageTheyAreDecodedFor) {
  ImageScan scan;
  scan.layers.resize(2);
  scan.layers[0].warnings = {"old.tar:blobs/a: member x: odd mode", "not about a file"};
  scan.layers[1].warnings = {"old.tar:blobs/b: trailing bytes"};
  WasteAnalysis analysis;
  analysis.waste.groups.push_back(DeadGroup{"/x", 0, 1, Fate::kDeleted, 1, 5});
  analysis.waste.groups.push_back(DeadGroup{"/y", 1, kNoLayer, Fate::kOverwritten, 0, 0});
  const std::string bytes = EncodeWasteResult(scan, analysis, {"old.tar:blobs/a", "old.tar:blobs/b"});
  CachedWaste back;
  ASSERT_TRUE(DecodeWasteResult(bytes, {"new/blobs/a", "new/blobs/b"}, &back).ok());
  ASSERT_EQ(back.layers.size(), 2u);
  EXPECT_EQ(back.layers[0].warnings,
            (std::vector<std::string>{"new/blobs/a: member x: odd mode", "not about a file"}));
  EXPECT_EQ(back.layers[1].warnings, (std::vector<std::string>{"new/blobs/b: trailing bytes"}));
  ASSERT_EQ(back.analysis.waste.groups.size(), 2u);
  EXPECT_EQ(back.analysis.waste.groups[0].killer, 1u);
  EXPECT_EQ(back.analysis.waste.groups[0].reason, Fate::kDeleted);
  EXPECT_EQ(back.analysis.waste.groups[1].killer, kNoLayer);
  EXPECT_FALSE(back.analysis.waste.duplicate_bytes.has_value());
}

TEST(WasteCodec, EveryFlippedOrMissingByteIsRejected) {
  Scanned s = ScanDiveImage();
  const std::string bytes = EncodeWasteResult(s.scan, AnalyzeScanWaste(s.scan), s.locations);
  CachedWaste back;
  back.analysis.dive.size_bytes = 12345;  // must stay untouched
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    Status st = DecodeWasteResult(bad, s.locations, &back);
    ASSERT_EQ(st.code(), Errc::kCorrupt) << "byte " << i;
  }
  for (size_t n = 0; n < bytes.size(); n += 7) {
    Status st = DecodeWasteResult(std::string_view(bytes).substr(0, n), s.locations, &back);
    ASSERT_EQ(st.code(), Errc::kCorrupt) << "length " << n;
  }
  EXPECT_EQ(back.analysis.dive.size_bytes, 12345u);
  EXPECT_TRUE(back.layers.empty());
}

TEST(WasteCodec, ASoundValueOfAnotherShapeIsRejected) {
  ImageScan scan;
  scan.layers.resize(2);
  WasteAnalysis analysis;
  analysis.waste.groups.push_back(DeadGroup{"/x", 0, 1, Fate::kDeleted, 1, 5});
  const std::vector<std::string> locations = {"a", "b"};
  const std::string bytes = EncodeWasteResult(scan, analysis, locations);
  CachedWaste back;
  ASSERT_TRUE(DecodeWasteResult(bytes, locations, &back).ok());

  // Made for an image of two layers, read for one of three.
  Status st = DecodeWasteResult(bytes, {"a", "b", "c"}, &back);
  EXPECT_NE(st.message().find("2 layers, the image has 3"), std::string::npos) << st.message();
  // Another encoding version.
  std::string other = bytes;
  other[4] = static_cast<char>(kWasteCodecVersion + 1);
  st = DecodeWasteResult(Reseal(other), locations, &back);
  EXPECT_NE(st.message().find("encoding version"), std::string::npos) << st.message();
  // The group's reason byte (the one before its files and bytes varints and
  // the duplicates flag, at the end of the body) out of range.
  std::string bad_reason = bytes;
  bad_reason[bytes.size() - 32 - 4] = 9;
  st = DecodeWasteResult(Reseal(bad_reason), locations, &back);
  EXPECT_NE(st.message().find("reason 9"), std::string::npos) << st.message();
  // A killer layer past the image's layers.
  std::string bad_layer = bytes;
  bad_layer[bytes.size() - 32 - 5] = 7;
  st = DecodeWasteResult(Reseal(bad_layer), locations, &back);
  EXPECT_NE(st.message().find("killer layer 7 is over 2"), std::string::npos) << st.message();
  // Bytes after the last field.
  st = DecodeWasteResult(Reseal(bytes + std::string(32, 'x')), locations, &back);
  EXPECT_NE(st.message().find("after the last field"), std::string::npos) << st.message();
  EXPECT_EQ(back.layers.size(), 2u);  // the good decode's, untouched since
}

}  // namespace
}  // namespace whittle
