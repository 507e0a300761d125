// OpenImage on images made by real producers: tests/data/make_real_images.sh
// builds one image with buildah (FROM scratch + busybox, RUN steps that
// create, overwrite and delete files) and writes it with skopeo in every
// transport, plus a umoci-modified layout and a two-image layout. CTest runs
// the script once as a fixture and passes its folder in WHITTLE_REAL_IMAGES.
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "image/image.h"
#include "io/decompress.h"
#include "util/sha256.h"

namespace whittle {
namespace {

std::string RealImages(const std::string& name) {
  const char* dir = std::getenv("WHITTLE_REAL_IMAGES");
  if (dir == nullptr || *dir == '\0') {
    ADD_FAILURE() << "WHITTLE_REAL_IMAGES is not set: run through ctest (fixture "
                     "image_make_real_images) or set it to the output of "
                     "tests/data/make_real_images.sh";
    return "/nonexistent/" + name;
  }
  return std::string(dir) + "/" + name;
}

// Decompresses every layer and checks its digest is the config's diff_id:
// the layers are in the right order and the right compression was chosen.
void ExpectLayersMatchDiffIds(Image& image) {
  for (size_t i = 0; i < image.layers.size(); ++i) {
    SCOPED_TRACE("layer " + std::to_string(i + 1));
    auto blob = image.blobs->Open(image.layers[i].blob);
    ASSERT_TRUE(blob) << blob.error().message();
    auto src = MakeDecompressor(image.layers[i].compression, std::move(*blob));
    Sha256 sha;
    char buf[65536];
    for (;;) {
      auto n = src->Read(buf, sizeof buf);
      ASSERT_TRUE(n) << n.error().message();
      if (*n == 0) break;
      sha.Update(buf, *n);
    }
    EXPECT_EQ(sha.FinishDigest(), image.layers[i].diff_id);
    EXPECT_EQ(image.layers[i].diff_id, image.diff_ids[i]);
  }
}

struct Format {
  const char* reference;  // relative to the real-images folder, transport first
  const char* format;
  Compression compression;
};

const Format kFormats[] = {
    {"docker-archive:docker-archive.tar", "docker-archive", Compression::kNone},
    {"docker-archive.tar", "docker-archive", Compression::kNone},
    {"docker-archive:docker-archive.tar:whittle-test:latest", "docker-archive", Compression::kNone},
    {"oci:oci", "oci", Compression::kGzip},
    {"oci:oci:whittle-test", "oci", Compression::kGzip},
    {"oci", "oci", Compression::kGzip},
    {"oci-archive:oci-archive.tar", "oci-archive", Compression::kGzip},
    {"oci-archive.tar", "oci-archive", Compression::kGzip},
    {"dir:dir", "dir", Compression::kNone},
    {"dir", "dir", Compression::kNone},
    {"oci-zstd", "oci", Compression::kZstd},
    {"oci-uncompressed", "oci", Compression::kNone},
    {"docker25.tar", "docker-archive", Compression::kNone},
    {"oci:multi:first", "oci", Compression::kGzip},
    {"oci:multi:@0", "oci", Compression::kGzip},
};

Result<Image> OpenFormat(const Format& f) {
  std::string ref = f.reference;
  size_t colon = ref.find(':');
  std::string transport, rest = ref;
  if (colon != std::string::npos) {
    transport = ref.substr(0, colon + 1);
    rest = ref.substr(colon + 1);
  }
  return OpenImage(transport + RealImages(rest), {});
}

TEST(RealImagesTest, EveryFormatResolvesToTheSameImage) {
  auto base = OpenImage("oci:" + RealImages("oci"), {});
  ASSERT_TRUE(base) << base.error().message();
  // COPY busybox, RUN (create), RUN (overwrite + rm -rf); ENV is an empty layer.
  ASSERT_EQ(base->layers.size(), 3u);
  ASSERT_EQ(base->diff_ids.size(), 3u);
  ASSERT_EQ(base->history.size(), 4u);
  EXPECT_FALSE(base->history[0].empty_layer);
  EXPECT_NE(base->history[0].created_by.find("COPY"), std::string::npos) << base->history[0].created_by;
  EXPECT_NE(base->history[1].created_by.find("mkdir -p /data/dir/sub"), std::string::npos);
  EXPECT_NE(base->history[2].created_by.find("rm -rf /data/dir"), std::string::npos);
  EXPECT_TRUE(base->history[3].empty_layer);
  EXPECT_NE(base->history[3].created_by.find("GREETING=hello"), std::string::npos);
  EXPECT_EQ(base->os, "linux");
  EXPECT_EQ(base->architecture, "amd64");

  for (const Format& f : kFormats) {
    SCOPED_TRACE(f.reference);
    auto image = OpenFormat(f);
    ASSERT_TRUE(image) << image.error().message();
    EXPECT_EQ(image->format, f.format);
    EXPECT_EQ(image->diff_ids, base->diff_ids);
    ASSERT_EQ(image->layers.size(), base->layers.size());
    ASSERT_EQ(image->history.size(), base->history.size());
    for (size_t i = 0; i < base->history.size(); ++i) {
      EXPECT_EQ(image->history[i].created_by, base->history[i].created_by);
      EXPECT_EQ(image->history[i].created, base->history[i].created);
      EXPECT_EQ(image->history[i].empty_layer, base->history[i].empty_layer);
    }
    EXPECT_EQ(image->architecture, "amd64");
    for (const LayerRef& layer : image->layers) EXPECT_EQ(layer.compression, f.compression);
    // Manifest and config are what their digests say (checked on open).
    EXPECT_EQ(Sha256::DigestOf(image->config_json), image->config.digest);
    if (!image->manifest.digest.empty()) {
      EXPECT_EQ(Sha256::DigestOf(image->manifest_json), image->manifest.digest);
    }
    ExpectLayersMatchDiffIds(*image);
  }
}

TEST(RealImagesTest, NamesAndManifests) {
  auto docker = OpenImage(RealImages("docker-archive.tar"), {});
  ASSERT_TRUE(docker) << docker.error().message();
  EXPECT_EQ(docker->name, "docker.io/library/whittle-test:latest");  // skopeo writes it in full
  EXPECT_EQ(docker->manifest.location, RealImages("docker-archive.tar") + ":manifest.json");

  // Docker 25+ shape: the OCI manifest from index.json is used.
  auto d25 = OpenImage(RealImages("docker25.tar"), {});
  ASSERT_TRUE(d25) << d25.error().message();
  EXPECT_EQ(d25->name, "whittle-test:latest");
  EXPECT_EQ(d25->manifest.media_type, "application/vnd.oci.image.manifest.v1+json");
  for (const LayerRef& layer : d25->layers) {
    EXPECT_EQ(layer.blob.media_type, "application/vnd.oci.image.layer.v1.tar");
    EXPECT_EQ(layer.blob.digest, layer.diff_id);
  }

  auto oci = OpenImage(RealImages("oci-archive.tar"), {});
  ASSERT_TRUE(oci) << oci.error().message();
  EXPECT_EQ(oci->name, "whittle-test");
  EXPECT_EQ(oci->layers[0].blob.media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(oci->layers[0].blob.location,
            RealImages("oci-archive.tar") + ":blobs/sha256/" + oci->layers[0].blob.digest.substr(7));

  auto zstd = OpenImage(RealImages("oci-zstd"), {});
  ASSERT_TRUE(zstd) << zstd.error().message();
  EXPECT_EQ(zstd->layers[0].blob.media_type, "application/vnd.oci.image.layer.v1.tar+zstd");
  EXPECT_EQ(zstd->layers[0].blob.location,
            RealImages("oci-zstd") + "/blobs/sha256/" + zstd->layers[0].blob.digest.substr(7));

  auto dir = OpenImage("dir:" + RealImages("dir"), {});
  ASSERT_TRUE(dir) << dir.error().message();
  EXPECT_EQ(dir->layers[0].blob.location,
            RealImages("dir") + "/" + dir->layers[0].blob.digest.substr(7));
}

TEST(RealImagesTest, MultiImageLayout) {
  auto none = OpenImage(RealImages("multi"), {});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), Errc::kUsage);
  std::string m = RealImages("multi");
  EXPECT_EQ(none.error().message(), m + "/index.json: 2 images; choose one with oci:" + m +
                                        ":REF or oci:" + m + ":@N: first (@0), second (@1)");

  auto first = OpenImage("oci:" + m + ":first", {});
  ASSERT_TRUE(first) << first.error().message();
  auto second = OpenImage("oci:" + m + ":second", {});
  ASSERT_TRUE(second) << second.error().message();
  auto at1 = OpenImage("oci:" + m + ":@1", {});
  ASSERT_TRUE(at1) << at1.error().message();
  EXPECT_EQ(first->name, "first");
  EXPECT_EQ(second->name, "second");
  EXPECT_EQ(at1->manifest.digest, second->manifest.digest);
  // whittle-small is the first build step of whittle-test (same base layer).
  ASSERT_EQ(second->layers.size(), 1u);
  ASSERT_EQ(first->layers.size(), 3u);
  EXPECT_EQ(second->diff_ids[0], first->diff_ids[0]);
  EXPECT_EQ(second->history.size(), 1u);
  ExpectLayersMatchDiffIds(*second);
}

TEST(RealImagesTest, UmociRepackAddsALayer) {
  auto base = OpenImage("oci:" + RealImages("oci"), {});
  ASSERT_TRUE(base) << base.error().message();
  auto image = OpenImage("oci:" + RealImages("umoci") + ":latest", {});
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->name, "latest");
  ASSERT_EQ(image->layers.size(), 4u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(image->diff_ids[i], base->diff_ids[i]);
  ASSERT_EQ(image->history.size(), 5u);
  EXPECT_EQ(image->history[4].created_by,
            "umoci repack: add /data/umoci.txt, remove /data/a.txt");
  EXPECT_EQ(image->history[4].author, "whittle-tests");
  EXPECT_FALSE(image->history[4].empty_layer);
  EXPECT_EQ(image->layers[3].compression, Compression::kGzip);
  ExpectLayersMatchDiffIds(*image);
}

}  // namespace
}  // namespace whittle
