#include "io/compression.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(SniffCompressionTest, Magics) {
  EXPECT_EQ(SniffCompression("\x1f\x8b\x08", 3), Compression::kGzip);
  EXPECT_EQ(SniffCompression("\x28\xb5\x2f\xfd", 4), Compression::kZstd);
  EXPECT_EQ(SniffCompression("\x50\x2a\x4d\x18", 4), Compression::kZstd);
  EXPECT_EQ(SniffCompression("\x5f\x2a\x4d\x18", 4), Compression::kZstd);
  EXPECT_EQ(SniffCompression("\x60\x2a\x4d\x18", 4), Compression::kNone);
  EXPECT_EQ(SniffCompression("\x28\xb5\x2f", 3), Compression::kNone);  // too short
  EXPECT_EQ(SniffCompression("\x1f", 1), Compression::kNone);
  EXPECT_EQ(SniffCompression("bin/\0\0\0\0", 8), Compression::kNone);  // a tar header
  EXPECT_EQ(SniffCompression("", 0), Compression::kNone);
}

TEST(CompressionFromMediaTypeTest, OciAndDockerNames) {
  struct Case {
    const char* media_type;
    std::optional<Compression> want;
  };
  const Case kCases[] = {
      {"application/vnd.oci.image.layer.v1.tar", Compression::kNone},
      {"application/vnd.oci.image.layer.v1.tar+gzip", Compression::kGzip},
      {"application/vnd.oci.image.layer.v1.tar+zstd", Compression::kZstd},
      {"application/vnd.oci.image.layer.nondistributable.v1.tar", Compression::kNone},
      {"application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", Compression::kGzip},
      {"application/vnd.oci.image.layer.nondistributable.v1.tar+zstd", Compression::kZstd},
      {"application/vnd.docker.image.rootfs.diff.tar", Compression::kNone},
      {"application/vnd.docker.image.rootfs.diff.tar.gzip", Compression::kGzip},
      {"application/vnd.docker.image.rootfs.diff.tar.zstd", Compression::kZstd},
      {"application/vnd.docker.image.rootfs.foreign.diff.tar", Compression::kNone},
      {"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", Compression::kGzip},
      {"application/vnd.oci.image.layer.v1.tar+gzip+encrypted", std::nullopt},
      {"application/vnd.oci.image.config.v1+json", std::nullopt},
      {"application/vnd.docker.container.image.v1+json", std::nullopt},
      {"application/vnd.oci.image.layer.v1.tar+bzip2", std::nullopt},
      {"", std::nullopt},
  };
  for (const Case& k : kCases) {
    EXPECT_EQ(CompressionFromMediaType(k.media_type), k.want) << k.media_type;
  }
}

}  // namespace
}  // namespace whittle

namespace whittle {
namespace {

TEST(CompressionName, EveryValue) {
  EXPECT_STREQ(CompressionName(Compression::kNone), "none");
  EXPECT_STREQ(CompressionName(Compression::kGzip), "gzip");
  EXPECT_STREQ(CompressionName(Compression::kZstd), "zstd");
}

}  // namespace
}  // namespace whittle
