// Resolution over a store that knows digests only (no paths, no index.json):
// what a registry source hands to ResolveManifest() after fetching its first
// manifest by tag. The file layouts' use of the same code is covered through
// OpenImage in bad_image_test.cc and real_images_test.cc.
#include "image/resolve.h"

#include <gtest/gtest.h>

#include "image/image_test_util.h"
#include "util/sha256.h"

namespace whittle {
namespace {

using testing::AddOciImage;
using testing::LayoutFiles;
using testing::MemoryBlobStore;

constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";
constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";

Json WithPlatform(Json desc, const std::string& arch) {
  desc["platform"] = {{"os", "linux"}, {"architecture", arch}};
  return desc;
}

// An index over |manifests| as a registry serves it for a tag: the bytes,
// plus the digest and media type from the response headers.
struct Fetched {
  BlobRef ref;
  std::string text;
  ManifestDoc doc;
};
Fetched FetchByTag(const Json& manifests) {
  Fetched f;
  f.text = Json{{"schemaVersion", 2}, {"mediaType", kIndexType}, {"manifests", manifests}}.dump();
  f.ref.digest = Sha256::DigestOf(f.text);
  f.ref.media_type = kIndexType;
  f.ref.size = static_cast<int64_t>(f.text.size());
  f.ref.location = "registry.test/app:1";
  auto doc = ParseManifestDoc(f.text, f.ref.location);
  EXPECT_TRUE(doc) << doc.error().message();
  if (doc) f.doc = *doc;
  return f;
}

Platform Want(const char* text) {
  auto p = ParsePlatform(text);
  EXPECT_TRUE(p) << p.error().message();
  return p ? *p : Platform{};
}

TEST(ResolveManifestTest, PicksThePlatformAndReadsEverythingByDigest) {
  LayoutFiles files;
  Json amd = WithPlatform(AddOciImage(&files, "amd64", "x86"), "amd64");
  Json arm = WithPlatform(AddOciImage(&files, "arm64", "arm"), "arm64");
  MemoryBlobStore store(files);
  Fetched root = FetchByTag(Json::array({amd, arm}));

  Image image;
  Status st = ResolveManifest(store, root.ref, root.text, root.doc, Want("linux/arm64"), &image);
  ASSERT_TRUE(st.ok()) << st.message();
  const std::string arm_digest = arm["digest"].get<std::string>();
  EXPECT_EQ(image.architecture, "arm64");
  EXPECT_EQ(image.manifest.digest, arm_digest);
  EXPECT_EQ(image.manifest.location, "memory:" + arm_digest);
  EXPECT_EQ(Sha256::DigestOf(image.manifest_json), arm_digest);
  EXPECT_EQ(Sha256::DigestOf(image.config_json), image.config.digest);
  ASSERT_EQ(image.layers.size(), 1u);
  EXPECT_EQ(image.layers[0].compression, Compression::kNone);
  EXPECT_EQ(image.layers[0].diff_id, image.layers[0].blob.digest);  // uncompressed
  EXPECT_TRUE(image.layers[0].blob.path.empty());

  // The store was asked for the manifest with its media type (a registry
  // routes manifests to /manifests/), then for the config; layers are only
  // located, never opened during resolution.
  auto opened = store.opened();
  ASSERT_EQ(opened.size(), 2u);
  EXPECT_EQ(opened[0], std::make_pair(arm_digest, std::string(kManifestType)));
  EXPECT_EQ(opened[1].first, image.config.digest);
  EXPECT_EQ(opened[1].second, "application/vnd.oci.image.config.v1+json");
}

TEST(ResolveManifestTest, EntriesMissingFromTheStoreAreNotCandidates) {
  LayoutFiles files;
  Json amd = WithPlatform(AddOciImage(&files, "amd64", "x86"), "amd64");
  Json arm = WithPlatform(AddOciImage(&files, "arm64", "arm"), "arm64");
  MemoryBlobStore store(files);
  store.Remove(arm["digest"].get<std::string>());
  Fetched root = FetchByTag(Json::array({amd, arm}));

  Image image;
  Status st = ResolveManifest(store, root.ref, root.text, root.doc, Want("linux/arm64"), &image);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Errc::kNotFound);
  EXPECT_EQ(st.message(),
            "registry.test/app:1: no image for platform linux/arm64/v8; available: linux/amd64 "
            "(choose with --platform)");
}

TEST(ResolveDescriptorTest, MissingLayerNamesTheStoreAndTheLayer) {
  LayoutFiles files;
  Json amd = AddOciImage(&files, "amd64", "x86");
  const std::string mtext = files.files["blobs/sha256/" + amd["digest"].get<std::string>().substr(7)];
  auto manifest = ParseManifestDoc(mtext, "manifest");
  ASSERT_TRUE(manifest) << manifest.error().message();
  const std::string layer = manifest->layers[0].digest;
  MemoryBlobStore store(files);
  store.Remove(layer);
  Fetched root = FetchByTag(Json::array({amd}));
  ASSERT_EQ(root.doc.manifests.size(), 1u);

  Image image;
  Status st = ResolveDescriptor(store, root.doc.manifests[0], Want("linux/amd64"), &image);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Errc::kNotFound);
  EXPECT_EQ(st.message(), "memory: blob " + layer + " (layer 1) not found");
}

}  // namespace
}  // namespace whittle
