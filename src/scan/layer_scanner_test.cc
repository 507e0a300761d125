#include "scan/layer_scan.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

// Real end-to-end scans of real images are in tests/; here: the tar pass.
TEST(ScanLayerTar, EmptyStreamIsAnEmptyLayer) {
  auto src = MakeMemorySource(std::string(1024, '\0'), "empty.tar");
  PathInterner paths;
  LayerScan out;
  ASSERT_TRUE(ScanLayerTar(*src, paths, &out).ok());
  EXPECT_TRUE(out.entries.empty());
  EXPECT_EQ(out.tar_size, 1024u);
  EXPECT_EQ(out.end_tar_bytes, 1024u);
}

}  // namespace
}  // namespace whittle
