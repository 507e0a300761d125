#include "cache/image_result.h"

#include <gtest/gtest.h>

#include "cache/totals_codec.h"
#include "cache/waste_cache.h"
#include "cache/waste_codec.h"
#include "cache/cache_test_util.h"
#include "io/test_util.h"

namespace whittle {
namespace {

using testing::TempDir;

using testing::OpenDiveImage;

// A store that reports one blob one byte longer than it is: what a swapped
// or truncated file looks like behind a digest.
class SizeChangingStore : public BlobStore {
 public:
  SizeChangingStore(std::unique_ptr<BlobStore> inner, std::string digest)
      : inner_(std::move(inner)), digest_(std::move(digest)) {}
  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override { return inner_->Open(blob); }
  Result<uint64_t> Size(const BlobRef& blob) override {
    ASSIGN_OR_RETURN(uint64_t size, inner_->Size(blob));
    return blob.digest == digest_ ? size + 1 : size;
  }
  bool Exists(const BlobRef& blob) override { return inner_->Exists(blob); }
  Result<std::string> Location(const BlobRef& blob) const override { return inner_->Location(blob); }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::unique_ptr<BlobStore> inner_;
  std::string digest_;
};

struct Fixture : testing::CacheDir {
  struct Run {
    ImageScan scan;
    size_t layer_hits = 0;
    size_t result_hits = 0;
  };
  // One whittle run of a totals-only scan (history --scan, profile -d layers).
  Run RunTotals(Image image, bool totals_only = true) {
    Run run;
    LayerCache cache(Options());
    ScanOptions options;
    options.totals_only = totals_only;
    auto scan = ScanImageTotals(image, options, &cache);
    EXPECT_TRUE(scan.has_value()) << scan.error().message();
    cache.Flush();
    if (scan) run.scan = std::move(*scan);
    run.layer_hits = cache.hits();
    run.result_hits = cache.result_hits();
    return run;
  }
};

void ExpectSameTotals(const ImageScan& a, const ImageScan& b) {
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t i = 0; i < a.layers.size(); ++i) {
    EXPECT_EQ(a.layers[i].index, b.layers[i].index) << i;
    EXPECT_EQ(a.layers[i].blob_digest, b.layers[i].blob_digest) << i;
    EXPECT_EQ(a.layers[i].diff_id, b.layers[i].diff_id) << i;
    EXPECT_EQ(a.layers[i].blob_size, b.layers[i].blob_size) << i;
    EXPECT_EQ(a.layers[i].tar_size, b.layers[i].tar_size) << i;
    EXPECT_EQ(a.layers[i].content_size, b.layers[i].content_size) << i;
    EXPECT_EQ(a.layers[i].files, b.layers[i].files) << i;
    EXPECT_EQ(a.layers[i].end_tar_bytes, b.layers[i].end_tar_bytes) << i;
    EXPECT_EQ(a.layers[i].end_blob_bytes, b.layers[i].end_blob_bytes) << i;
    EXPECT_EQ(a.layers[i].warnings, b.layers[i].warnings) << i;
  }
}

TEST(ImageResult, ASecondTotalsScanReadsNoLayerRecord) {
  Fixture f;
  Image fresh = OpenDiveImage();
  auto plain = ScanImage(fresh, ScanOptions{});
  ASSERT_TRUE(plain.has_value());
  Fixture::Run cold = f.RunTotals(OpenDiveImage());
  EXPECT_EQ(cold.result_hits, 0u);
  ExpectSameTotals(cold.scan, *plain);
  Fixture::Run warm = f.RunTotals(OpenDiveImage());
  EXPECT_EQ(warm.result_hits, 1u);
  EXPECT_EQ(warm.layer_hits, 0u);
  ExpectSameTotals(warm.scan, *plain);
  EXPECT_EQ(f.Sql("SELECT COUNT(*) FROM layers WHERE digest LIKE 'totals sha256:%'"), "1");
  EXPECT_TRUE(f.warnings.empty());
}

TEST(ImageResult, AScanThatNeedsEntriesNeitherUsesNorStoresIt) {
  Fixture f;
  f.RunTotals(OpenDiveImage());
  Fixture::Run full = f.RunTotals(OpenDiveImage(), /*totals_only=*/false);
  EXPECT_EQ(full.result_hits, 0u);
  EXPECT_GT(full.layer_hits, 0u);  // the layer records answered
  ASSERT_FALSE(full.scan.layers.empty());
  EXPECT_FALSE(full.scan.layers[0].entries.empty());
  EXPECT_EQ(f.Sql("SELECT COUNT(*) FROM layers WHERE digest LIKE 'totals %'"), "1");
}

TEST(ImageResult, KindsHaveTheirOwnKeysAndABlobOfAnotherSizeMisses) {
  Image image = OpenDiveImage();
  std::vector<LayerCacheKey> keys;
  ScanOptions options;
  const std::string totals = ImageResultKey(kTotalsResultKind, kTotalsCodecVersion, image, options, &keys);
  EXPECT_NE(totals, ImageResultKey(kTotalsResultKind, kTotalsCodecVersion + 1, image, options, &keys));
  EXPECT_NE(totals, WasteResultKey(image, options, &keys));
  EXPECT_EQ(totals.size(), 64u);

  Fixture f;
  f.RunTotals(OpenDiveImage());
  Image changed = OpenDiveImage();
  const std::string digest = changed.layers[3].blob.digest;
  changed.blobs = std::make_unique<SizeChangingStore>(std::move(changed.blobs), digest);
  LayerCache cache(f.Options());
  ScanOptions totals_only;
  totals_only.totals_only = true;
  auto scan = ScanImageTotals(changed, totals_only, &cache);
  ASSERT_TRUE(scan.has_value()) << scan.error().message();
  EXPECT_EQ(cache.result_hits(), 0u);               // the row did not answer,
  EXPECT_LT(cache.hits(), changed.layers.size());  // nor that layer's record,
  EXPECT_TRUE(f.warnings.empty());                  // and neither is damage
}

}  // namespace
}  // namespace whittle
