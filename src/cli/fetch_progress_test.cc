#include "cli/fetch_progress.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(FetchProgressTest, LayersBytesAndRate) {
  EXPECT_EQ(FetchProgress::Line(2, 5, 3 * 1024 * 1024, 2.0), "2/5 layers, 3.0 MiB, 1.5 MiB/s");
  EXPECT_EQ(FetchProgress::Line(0, 3, 0, 0.0), "0/3 layers, 0.0 MiB, -");
  EXPECT_EQ(FetchProgress::Line(1, 0, 1024 * 1024 / 2, 0.5), "1 layers, 0.5 MiB, 1.0 MiB/s");
}

}  // namespace
}  // namespace whittle
