// ReadImageStream on archives built in memory: member order as legacy
// docker save writes it (layers before manifest.json), links between
// members, and a manifest that disagrees with the content.
#include "image/stream_archive.h"

#include <gtest/gtest.h>

#include <map>

#include "image/image_test_util.h"
#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle {
namespace {

using testing::BuildTar;

struct Seen {
  uint64_t size = 0;
  Compression compression = Compression::kNone;
  std::string bytes;
};

// Reads |tar| as a stream through a sink that records every layer-like member.
Status ReadTar(const std::string& tar, const char* transport, Image* image, std::vector<std::string>* members,
               std::map<std::string, Seen>* seen) {
  ImageStream s;
  s.name = "stdin";
  s.ref.path = "-";
  s.ref.transport = transport ? FindTransport(transport) : nullptr;
  s.source = MakeMemorySource(tar, "stdin");
  LayerSink sink = [&](const StreamedMember& m, std::unique_ptr<ByteSource> data) -> Status {
    Seen& got = (*seen)[m.path];
    got.size = m.size;
    got.compression = m.compression;
    ASSIGN_OR_RETURN(got.bytes, ReadAllCapped(*data, 1 << 20));
    return Status::Ok();
  };
  Platform want;
  want.os = "linux";
  want.architecture = "amd64";
  return ReadImageStream(s, want, sink, image, members);
}

TEST(StreamArchiveTest, LegacyDockerSaveWithManifestLast) {
  std::string layer1 = testing::MakeLayerTar("a.txt", "one");
  std::string layer2 = testing::MakeLayerTar("b.txt", std::string(3000, 'b'));
  std::string config = testing::MakeConfig(
      "linux", "amd64", {Sha256::DigestOf(layer1), Sha256::DigestOf(layer2), Sha256::DigestOf(layer1)});
  std::string config_name = Sha256::DigestOf(config).substr(7) + ".json";
  std::string manifest = "[{\"Config\":\"" + config_name +
                         "\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\","
                         "\"l3/layer.tar\"]}]";
  // docker save's order: layers, then the config, then manifest.json; the
  // third layer is a hard link to the first.
  std::string tar = BuildTar({testing::File("l1/layer.tar", layer1), testing::File("l2/layer.tar", layer2),
                              testing::HardLink("l3/layer.tar", "l1/layer.tar"), testing::File(config_name, config),
                              testing::File("manifest.json", manifest)});
  Image image;
  std::vector<std::string> members;
  std::map<std::string, Seen> seen;
  Status st = ReadTar(tar, nullptr, &image, &members, &seen);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(image.name, "app:1");
  ASSERT_EQ(image.layers.size(), 3u);
  EXPECT_EQ(members, (std::vector<std::string>{"l1/layer.tar", "l2/layer.tar", "l1/layer.tar"}));
  // Only the two regular layer members streamed by, whole and in order.
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen["l1/layer.tar"].bytes, layer1);
  EXPECT_EQ(seen["l2/layer.tar"].bytes, layer2);
  EXPECT_EQ(seen["l2/layer.tar"].size, layer2.size());
  EXPECT_EQ(image.layers[1].blob.size, static_cast<int64_t>(layer2.size()));
  EXPECT_EQ(image.layers[1].blob.location, "stdin:l2/layer.tar");
  // The JSON members were kept; the layers were not.
  auto cfg = image.blobs->Open(image.config);
  ASSERT_TRUE(cfg);
  EXPECT_EQ(*ReadAllCapped(**cfg, 1 << 20), config);
  auto gone = image.blobs->Open(image.layers[1].blob);
  ASSERT_TRUE(gone);
  auto all = ReadAllCapped(**gone, 1 << 20);
  ASSERT_FALSE(all);
  EXPECT_EQ(all.error().message(), "stdin:l2/layer.tar: read in one pass and not kept; it cannot be read again");
}

TEST(StreamArchiveTest, OciArchiveAndMediaTypeMismatch) {
  testing::LayoutFiles files;
  Json d = testing::AddOciImage(&files, "amd64", "hello");
  testing::SetIndex(&files, Json::array({d}));
  Image image;
  std::vector<std::string> members;
  std::map<std::string, Seen> seen;
  Status st = ReadTar(files.Tar(), nullptr, &image, &members, &seen);
  ASSERT_TRUE(st.ok()) << st.message();
  ASSERT_EQ(image.layers.size(), 1u);
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0], "blobs/sha256/" + image.layers[0].blob.digest.substr(7));
  EXPECT_EQ(seen.size(), 1u);

  // The manifest says gzip, the member is a plain tar.
  testing::LayoutFiles lying;
  Json d2 = testing::AddOciImage(&lying, "amd64", "hello", "application/vnd.oci.image.layer.v1.tar+gzip");
  testing::SetIndex(&lying, Json::array({d2}));
  Image image2;
  st = ReadTar(lying.Tar(), "oci-archive", &image2, &members, &seen);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Errc::kCorrupt);
  EXPECT_NE(st.message().find("(layer 1): the manifest says gzip, the content is uncompressed"), std::string::npos)
      << st.message();
}

TEST(StreamArchiveTest, NotATarAndEmpty) {
  Image image;
  std::vector<std::string> members;
  std::map<std::string, Seen> seen;
  Status st = ReadTar("just some text, long enough to not be a tar header at all", nullptr, &image, &members, &seen);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("stdin: not an image: not a tar archive (", 0), 0u) << st.message();
  st = ReadTar(BuildTar({testing::File("readme", "x")}), nullptr, &image, &members, &seen);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(),
            "stdin: not an image: a tar with neither manifest.json (docker save) nor index.json and oci-layout "
            "(OCI archive)");
}

}  // namespace
}  // namespace whittle
