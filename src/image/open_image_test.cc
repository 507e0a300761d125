// OpenImage on dive's test images (tests/data/dive, MIT): a legacy docker
// save, a kaniko archive with .tar.gz layers, and buildx OCI archives with
// uncompressed, gzip, zstd and estargz layers.
#include <map>

#include <gtest/gtest.h>

#include "image/image.h"
#include "io/decompress.h"
#include "tar/tar_reader.h"
#include "util/sha256.h"

namespace whittle {
namespace {

std::string Dive(const char* name) {
  return std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/" + name;
}

// Streams layer |i| through its decompressor into the tar reader: returns
// the sum of member sizes, and the diff digest of the uncompressed stream.
struct LayerFacts {
  uint64_t content_bytes = 0;
  size_t entries = 0;
  std::string diff_digest;
  std::map<std::string, uint64_t> file_sizes;  // regular files by path
};
LayerFacts ReadLayer(Image& image, size_t i) {
  LayerFacts f;
  auto blob = image.blobs->Open(image.layers[i].blob);
  EXPECT_TRUE(blob) << blob.error().message();
  if (!blob) return f;
  auto src = MakeDecompressor(image.layers[i].compression, std::move(*blob));
  auto data = ReadAllCapped(*src, 64 << 20);
  EXPECT_TRUE(data) << data.error().message();
  if (!data) return f;
  f.diff_digest = Sha256::DigestOf(*data);
  auto mem = MakeMemorySource(*data, "layer");
  TarReader reader(mem.get());
  TarEntry e;
  for (;;) {
    auto more = reader.Next(&e);
    EXPECT_TRUE(more) << more.error().message();
    if (!more || !*more) break;
    ++f.entries;
    if (e.type == TarEntryType::kRegular) {
      f.content_bytes += e.size;
      f.file_sizes[e.path] = e.size;
    }
  }
  return f;
}

TEST(OpenImageDiveTest, LegacyDockerSave) {
  auto image = OpenImage(Dive("test-docker-image.tar"), {});
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->format, "docker-archive");
  EXPECT_EQ(image->name, "dive-test:latest");
  EXPECT_EQ(image->os, "linux");
  EXPECT_EQ(image->architecture, "amd64");
  ASSERT_EQ(image->layers.size(), 14u);
  ASSERT_EQ(image->diff_ids.size(), 14u);
  ASSERT_EQ(image->history.size(), 15u);
  size_t non_empty = 0;
  for (const HistoryEntry& h : image->history) non_empty += h.empty_layer ? 0 : 1;
  EXPECT_EQ(non_empty, 14u);
  EXPECT_TRUE(image->history[1].empty_layer);
  EXPECT_EQ(image->history[1].created_by, "/bin/sh -c #(nop)  CMD [\"sh\"]");
  EXPECT_EQ(image->history[3].created_by, "/bin/sh -c mkdir -p /root/example/really/nested");
  EXPECT_EQ(image->history[3].created, "2018-12-28T16:50:42.159215256Z");
  EXPECT_EQ(image->history[14].created_by, "/bin/sh -c chmod +x /root/saved.txt");
  // Manifest order, not file order: the first layer is the 1.37 MB busybox.
  EXPECT_EQ(image->layers[0].blob.path,
            "28cfe03618aa2e914e81fdd90345245c15f4478e35252c06ca52d238fd3cc694/layer.tar");
  EXPECT_EQ(image->layers[0].blob.size, 1369600);
  EXPECT_EQ(image->layers[13].blob.path,
            "cfb35bb5c127d848739be5ca726057e6e2c77b2849f588e7aebb642c0d3d4b7b/layer.tar");
  EXPECT_EQ(image->config.digest,
            "sha256:75ae28b8ebf89b203319069ddcbecdf5c3838503bbebc0d0d85e4b8589c5de3a");
  EXPECT_EQ(image->config.location,
            Dive("test-docker-image.tar") +
                ":75ae28b8ebf89b203319069ddcbecdf5c3838503bbebc0d0d85e4b8589c5de3a.json");
  for (size_t i = 0; i < image->layers.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(image->layers[i].compression, Compression::kNone);
    // Uncompressed: the blob is the diff, so its digest is the diff_id.
    EXPECT_EQ(image->layers[i].blob.digest, image->diff_ids[i]);
    EXPECT_EQ(ReadLayer(*image, i).diff_digest, image->diff_ids[i]);
  }
  // dive's layer sizes for this image: 1,154,361 then 6,405 (ADD somefile.txt).
  EXPECT_EQ(ReadLayer(*image, 0).content_bytes, 1154361u);
  EXPECT_EQ(ReadLayer(*image, 1).content_bytes, 6405u);
}

TEST(OpenImageDiveTest, KanikoGzipLayers) {
  auto image = OpenImage("docker-archive:" + Dive("test-kaniko-image.tar"), {});
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->format, "docker-archive");
  EXPECT_EQ(image->name, "dive-test:kaniko-latest");
  ASSERT_EQ(image->layers.size(), 14u);
  EXPECT_EQ(image->history.size(), 15u);
  EXPECT_EQ(image->config.digest,
            "sha256:ae16a51058a758c7963b2f9b23d1acfa201ce9cbefc8cb93845f8cd934fb144d");
  EXPECT_EQ(image->layers[0].blob.path,
            "5c4213be9af904dd74649d250f22023f532b2f9179ffcb15260b5eaa10d7a3b4.tar.gz");
  EXPECT_EQ(image->layers[0].blob.size, 764655);
  for (size_t i = 0; i < image->layers.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(image->layers[i].compression, Compression::kGzip);
    EXPECT_TRUE(image->layers[i].blob.digest.empty());  // name is not the blob digest
    EXPECT_EQ(ReadLayer(*image, i).diff_digest, image->diff_ids[i]);
  }
}

TEST(OpenImageDiveTest, BuildxOciArchives) {
  struct Case {
    const char* file;
    Compression compression;
    const char* media_type;
    int64_t blob_size;
  };
  const Case kCases[] = {
      {"test-oci-uncompressed-image.tar", Compression::kNone,
       "application/vnd.oci.image.layer.v1.tar", 12800},
      {"test-oci-gzip-image.tar", Compression::kGzip, "application/vnd.oci.image.layer.v1.tar+gzip",
       4132},
      {"test-oci-zstd-image.tar", Compression::kZstd, "application/vnd.oci.image.layer.v1.tar+zstd",
       4314},
      {"test-oci-estargz-image.tar", Compression::kGzip,
       "application/vnd.oci.image.layer.v1.tar+gzip", 4496},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.file);
    // The index has a single arm64 image: used as is on this amd64 machine,
    // and even when another platform is asked for explicitly.
    for (const char* platform : {"", "linux/amd64", "linux/arm64"}) {
      SCOPED_TRACE(platform);
      OpenOptions opts;
      opts.platform = platform;
      auto image = OpenImage(Dive(c.file), opts);
      ASSERT_TRUE(image) << image.error().message();
      EXPECT_EQ(image->format, "oci-archive");
      EXPECT_EQ(image->architecture, "arm64");
      EXPECT_EQ(image->os, "linux");
      ASSERT_EQ(image->layers.size(), 1u);
      ASSERT_EQ(image->history.size(), 1u);
      EXPECT_EQ(image->history[0].created_by, "COPY README.md /README.md # buildkit");
      EXPECT_EQ(image->history[0].comment, "buildkit.dockerfile.v0");
      EXPECT_EQ(image->layers[0].compression, c.compression);
      EXPECT_EQ(image->layers[0].blob.media_type, c.media_type);
      EXPECT_EQ(image->layers[0].blob.size, c.blob_size);
      EXPECT_EQ(image->manifest.media_type, "application/vnd.oci.image.manifest.v1+json");
      EXPECT_EQ(image->manifest.location,
                Dive(c.file) + ":blobs/sha256/" + image->manifest.digest.substr(7));
      EXPECT_EQ(Sha256::DigestOf(image->manifest_json), image->manifest.digest);
      EXPECT_EQ(Sha256::DigestOf(image->config_json), image->config.digest);
      LayerFacts f = ReadLayer(*image, 0);
      EXPECT_EQ(f.file_sizes["/README.md"], 11189u);
      EXPECT_EQ(f.diff_digest, image->diff_ids[0]);
    }
  }
}

TEST(OpenImageDiveTest, TransportMismatchIsExplained) {
  auto image = OpenImage("docker-archive:" + Dive("test-oci-gzip-image.tar"), {});
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kNotFound);
  EXPECT_EQ(image.error().message(),
            Dive("test-oci-gzip-image.tar") +
                ": not a docker save archive: no manifest.json (an OCI archive? use oci-archive:)");
}

}  // namespace
}  // namespace whittle
