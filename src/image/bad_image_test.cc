// OpenImage on hand-built bad and tricky inputs: each error is one line that
// names the file and the member or blob.
#include <gtest/gtest.h>

#include "image/image.h"
#include "image/image_test_util.h"
#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle {
namespace {

using testing::AddOciImage;
using testing::Desc;
using testing::ImageTempDir;
using testing::LayoutFiles;
using testing::SetIndex;

constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";

Json Named(Json desc, const std::string& ref) {
  desc["annotations"] = {{"org.opencontainers.image.ref.name", ref}};
  return desc;
}
Json WithPlatform(Json desc, const std::string& os, const std::string& arch,
                  const std::string& variant = "") {
  desc["platform"] = {{"os", os}, {"architecture", arch}};
  if (!variant.empty()) desc["platform"]["variant"] = variant;
  return desc;
}
std::string Hex(const Json& desc) { return desc["digest"].get<std::string>().substr(7); }

// Writes |files| as a tar and opens it.
Result<Image> OpenTar(const ImageTempDir& tmp, const LayoutFiles& files, std::string* path,
                      const std::string& selector = "", const std::string& platform = "") {
  *path = tmp.Sub("img.tar");
  testing::WriteFileOrDie(*path, files.Tar());
  OpenOptions opts;
  opts.platform = platform;
  return OpenImage(selector.empty() ? *path : selector + *path, opts);
}

Result<Image> OpenDir(const ImageTempDir& tmp, const LayoutFiles& files, std::string* path,
                      const std::string& suffix = "", const std::string& platform = "") {
  *path = tmp.Sub("layout");
  files.WriteTo(*path);
  OpenOptions opts;
  opts.platform = platform;
  return OpenImage(suffix.empty() ? *path : "oci:" + *path + suffix, opts);
}

// A docker save tree: manifest.json over one legacy layer.
LayoutFiles DockerSave(const std::string& manifest_json) {
  LayoutFiles f;
  std::string layer = testing::MakeLayerTar("a.txt", "hello");
  std::string config = testing::MakeConfig("linux", "amd64", {Sha256::DigestOf(layer)});
  std::string config_hex = Sha256::DigestOf(config).substr(7);
  f.files["abc/layer.tar"] = layer;
  f.files[config_hex + ".json"] = config;
  std::string m = manifest_json;
  size_t pos = m.find("CONFIG");
  if (pos != std::string::npos) m.replace(pos, 6, config_hex + ".json");
  f.files["manifest.json"] = m;
  return f;
}

TEST(BadImageTest, NotAnImage) {
  ImageTempDir tmp;
  testing::WriteFileOrDie(tmp.Sub("notes.txt"), std::string(1500, 'z'));
  auto text = OpenImage(tmp.Sub("notes.txt"), {});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), Errc::kUnsupported);
  EXPECT_EQ(text.error().message().rfind(tmp.Sub("notes.txt") + ": not an image: not a tar archive (", 0), 0u)
      << text.error().message();

  LayoutFiles files;
  files.files["hello.txt"] = "just a tar";
  std::string path;
  auto tar = OpenTar(tmp, files, &path);
  ASSERT_FALSE(tar);
  EXPECT_EQ(tar.error().code(), Errc::kUnsupported);
  EXPECT_EQ(tar.error().message(),
            path + ": not an image: a tar with neither manifest.json (docker save) nor index.json "
                   "and oci-layout (OCI archive)");
}

TEST(BadImageTest, MissingLayerBlob) {
  ImageTempDir tmp;
  LayoutFiles files;
  Json m = AddOciImage(&files, "amd64", "content");
  SetIndex(&files, Json::array({m}));
  // Drop the layer (the only blob that is a tar).
  std::string layer_digest;
  for (auto it = files.files.begin(); it != files.files.end(); ++it) {
    if (it->second.size() >= 1024 && it->first.rfind("blobs/", 0) == 0) {
      layer_digest = "sha256:" + it->first.substr(13);
      files.files.erase(it);
      break;
    }
  }
  ASSERT_FALSE(layer_digest.empty());
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kNotFound);
  EXPECT_EQ(image.error().message(), path + ": blob " + layer_digest + " (layer 1) not found");

  LayoutFiles docker = DockerSave(R"([{"Config":"CONFIG","Layers":["abc/layer.tar","gone/layer.tar"]}])");
  // Two layers listed: make the config agree so the missing file is what fails.
  std::string layer = docker.files["abc/layer.tar"];
  std::string config = testing::MakeConfig("linux", "amd64",
                                           {Sha256::DigestOf(layer), Sha256::DigestOf(layer)});
  for (auto it = docker.files.begin(); it != docker.files.end(); ++it) {
    if (it->first.size() > 5 && it->first.compare(it->first.size() - 5, 5, ".json") == 0 &&
        it->first != "manifest.json") {
      docker.files.erase(it);
      break;
    }
  }
  std::string hex = Sha256::DigestOf(config).substr(7);
  docker.files[hex + ".json"] = config;
  docker.files["manifest.json"] =
      "[{\"Config\":\"" + hex + ".json\",\"Layers\":[\"abc/layer.tar\",\"gone/layer.tar\"]}]";
  auto legacy = OpenTar(tmp, docker, &path);
  ASSERT_FALSE(legacy);
  EXPECT_EQ(legacy.error().code(), Errc::kNotFound);
  EXPECT_EQ(legacy.error().message(), path + ": gone/layer.tar (layer 2) not found");
}

TEST(BadImageTest, ManifestDigestMismatch) {
  ImageTempDir tmp;
  LayoutFiles files;
  Json m = AddOciImage(&files, "amd64", "content");
  SetIndex(&files, Json::array({m}));
  std::string mpath = "blobs/sha256/" + Hex(m);
  std::string& text = files.files[mpath];
  text[text.find("schemaVersion")] = 'S';  // same size, other bytes
  std::string got = Sha256::DigestOf(text);
  std::string path;
  auto image = OpenDir(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kDigestMismatch);
  EXPECT_EQ(image.error().message(), path + "/" + mpath + ": digest mismatch: expected sha256:" +
                                         Hex(m) + ", content is " + got);
}

TEST(BadImageTest, ConfigDigestMismatchInDockerSave) {
  ImageTempDir tmp;
  LayoutFiles files = DockerSave(R"([{"Config":"CONFIG","Layers":["abc/layer.tar"]}])");
  std::string config_name;
  for (auto& [name, data] : files.files) {
    if (name != "manifest.json" && name.find(".json") != std::string::npos) {
      config_name = name;
      data += " ";
    }
  }
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kDigestMismatch);
  EXPECT_EQ(image.error().message(),
            path + ":" + config_name + ": digest mismatch: expected sha256:" +
                config_name.substr(0, 64) + ", content is " +
                Sha256::DigestOf(files.files[config_name]));
}

TEST(BadImageTest, LayerSizeDisagreesWithManifest) {
  ImageTempDir tmp;
  LayoutFiles files;
  std::string layer = testing::MakeLayerTar("a", "b");
  std::string ld = files.AddBlob(layer);
  std::string config = testing::MakeConfig("linux", "amd64", {ld});
  std::string cd = files.AddBlob(config);
  Json manifest = {{"schemaVersion", 2},
                   {"mediaType", kManifestType},
                   {"config", Desc("application/vnd.oci.image.config.v1+json", cd, config.size())},
                   {"layers", Json::array({Desc("application/vnd.oci.image.layer.v1.tar", ld,
                                                layer.size() + 1)})}};
  std::string mt = manifest.dump();
  SetIndex(&files, Json::array({Desc(kManifestType, files.AddBlob(mt), mt.size())}));
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kDigestMismatch);
  EXPECT_EQ(image.error().message(),
            path + ":blobs/sha256/" + ld.substr(7) + ": layer 1 is " + std::to_string(layer.size()) +
                " bytes, the manifest says " + std::to_string(layer.size() + 1));
}

TEST(BadImageTest, BadJson) {
  ImageTempDir tmp;
  LayoutFiles files = DockerSave(R"([{"Config": }])");
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kCorrupt);
  // '}' at byte 12 is where a value was expected.
  EXPECT_EQ(image.error().message(), path + ":manifest.json: invalid JSON at byte 12");

  LayoutFiles oci;
  SetIndex(&oci, Json::array());
  oci.files["index.json"] = "{\"manifests\": [1, 2,, 3]}";
  auto index = OpenDir(tmp, oci, &path);
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().message(), path + "/index.json: invalid JSON at byte 20");
}

TEST(BadImageTest, WrongTypes) {
  struct Case {
    const char* manifest;
    const char* message;  // after "PATH:manifest.json: "
  };
  const Case kCases[] = {
      {R"({"Config":"CONFIG"})", "expected a JSON array, got object"},
      {R"([{"Config":"CONFIG","Layers":"abc/layer.tar"}])", "[0].Layers: expected an array, got string"},
      {R"([{"Config":7,"Layers":[]}])", "[0].Config: expected a string, got number"},
      {R"([{"Layers":[]}])", "[0].Config: missing"},
      {R"([{"Config":"CONFIG","Layers":[1]}])", "[0].Layers: [0]: expected a string, got number"},
      {R"([{"Config":"CONFIG","Layers":[],"RepoTags":{"a":1}}])",
       "[0].RepoTags: expected an array, got object"},
      {R"([])", "no images listed"},
  };
  ImageTempDir tmp;
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.manifest);
    std::string path;
    auto image = OpenTar(tmp, DockerSave(c.manifest), &path);
    ASSERT_FALSE(image);
    EXPECT_EQ(image.error().message(), path + ":manifest.json: " + c.message);
  }

  // Wrong types inside an OCI manifest and config.
  LayoutFiles files;
  std::string layer = testing::MakeLayerTar("a", "b");
  std::string ld = files.AddBlob(layer);
  std::string config = R"({"os":"linux","architecture":"amd64","history":"oops","rootfs":{"diff_ids":[]}})";
  std::string cd = files.AddBlob(config);
  Json manifest = {{"schemaVersion", 2},
                   {"mediaType", kManifestType},
                   {"config", Desc("application/vnd.oci.image.config.v1+json", cd, config.size())},
                   {"layers", Json::array()}};
  std::string mt = manifest.dump();
  SetIndex(&files, Json::array({Desc(kManifestType, files.AddBlob(mt), mt.size())}));
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().message(),
            path + ":blobs/sha256/" + cd.substr(7) + ": history: expected an array, got string");

  Json bad_size = Desc(kManifestType, ld, 1);
  bad_size["size"] = "12";
  SetIndex(&files, Json::array({bad_size}));
  image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().message(),
            path + ":index.json: manifests[0].size: expected an integer, got string");
}

TEST(BadImageTest, ManifestPointsOutsideTheLayout) {
  ImageTempDir tmp;
  std::string path;
  auto docker = OpenTar(tmp, DockerSave(R"([{"Config":"CONFIG","Layers":["../../etc/passwd"]}])"),
                        &path);
  ASSERT_FALSE(docker);
  EXPECT_EQ(docker.error().code(), Errc::kCorrupt);
  EXPECT_EQ(docker.error().message(),
            path + ":manifest.json: manifest points outside the layout: ../../etc/passwd");

  auto abs = OpenTar(tmp, DockerSave(R"([{"Config":"/etc/passwd","Layers":[]}])"), &path);
  ASSERT_FALSE(abs);
  EXPECT_EQ(abs.error().message(),
            path + ":manifest.json: manifest points outside the layout: /etc/passwd");

  // A layer member that is a symlink leaving the archive.
  LayoutFiles docker_files = DockerSave(R"([{"Config":"CONFIG","Layers":["abc/layer.tar"]}])");
  std::vector<testing::TarMember> members;
  for (const auto& [name, data] : docker_files.files) {
    if (name != "abc/layer.tar") members.push_back(testing::File(name, data));
  }
  members.push_back(testing::Symlink("abc/layer.tar", "../../../etc/passwd"));
  path = tmp.Sub("symlink.tar");
  testing::WriteFileOrDie(path, testing::BuildTar(members));
  auto link = OpenImage(path, {});
  ASSERT_FALSE(link);
  EXPECT_EQ(link.error().code(), Errc::kCorrupt);
  EXPECT_EQ(link.error().message(),
            path + ": member abc/layer.tar is a symlink to ../../../etc/passwd, outside the "
                   "archive: manifest points outside the layout");

  // An invalid digest string in index.json is never turned into a file name.
  LayoutFiles oci;
  Json evil = Desc(kManifestType, "sha256:../../../../etc/passwd", 10);
  SetIndex(&oci, Json::array({evil}));
  auto index = OpenDir(tmp, oci, &path);
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().code(), Errc::kCorrupt);
  EXPECT_EQ(index.error().message(),
            path + "/index.json: manifests[0].digest: invalid or unsupported digest "
                   "sha256:../../../../etc/passwd (want sha256:<64 lowercase hex>): manifest "
                   "points outside the layout");
}

TEST(BadImageTest, TruncatedOuterTar) {
  ImageTempDir tmp;
  LayoutFiles files;
  SetIndex(&files, Json::array({AddOciImage(&files, "amd64", std::string(4000, 'q'))}));
  std::string tar = files.Tar();
  std::string path = tmp.Sub("cut.tar");
  testing::WriteFileOrDie(path, tar.substr(0, tar.size() / 2 + 100));
  auto image = OpenImage(path, {});
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kCorrupt);
  EXPECT_EQ(image.error().message().rfind(path + ": ", 0), 0u) << image.error().message();
}

TEST(BadImageTest, UnsupportedLayerMediaType) {
  ImageTempDir tmp;
  LayoutFiles files;
  Json m = AddOciImage(&files, "amd64", "x", "application/vnd.example.weird+tar");
  SetIndex(&files, Json::array({m}));
  std::string path;
  auto image = OpenDir(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kUnsupported);
  EXPECT_EQ(image.error().message(),
            path + "/blobs/sha256/" + Hex(m) +
                ": layers[0] (layer 1): unsupported layer media type "
                "'application/vnd.example.weird+tar'");
}

TEST(BadImageTest, DiffIdsDisagreeWithLayers) {
  ImageTempDir tmp;
  LayoutFiles files = DockerSave(R"([{"Config":"CONFIG","Layers":["abc/layer.tar","abc/layer.tar"]}])");
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error().code(), Errc::kCorrupt);
  EXPECT_NE(image.error().message().find(": rootfs.diff_ids has 1 entries but " + path +
                                         ":manifest.json lists 2 layers"),
            std::string::npos)
      << image.error().message();
}

TEST(MultiImageTest, RefsSelectAndAmbiguityListsChoices) {
  ImageTempDir tmp;
  LayoutFiles files;
  Json a = Named(AddOciImage(&files, "amd64", "first image"), "first");
  Json b = Named(AddOciImage(&files, "arm64", "second image"), "second");
  SetIndex(&files, Json::array({a, b}));
  std::string path;
  auto none = OpenDir(tmp, files, &path);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), Errc::kUsage);
  EXPECT_EQ(none.error().message(),
            path + "/index.json: 2 images; choose one with oci:" + path + ":REF or oci:" + path +
                ":@N: first (@0), second (@1)");

  auto second = OpenDir(tmp, files, &path, ":second");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->name, "second");
  EXPECT_EQ(second->architecture, "arm64");
  EXPECT_EQ(second->manifest.digest, b["digest"].get<std::string>());

  auto at0 = OpenDir(tmp, files, &path, ":@0");
  ASSERT_TRUE(at0) << at0.error().message();
  EXPECT_EQ(at0->name, "first");
  EXPECT_EQ(at0->architecture, "amd64");

  auto third = OpenDir(tmp, files, &path, ":third");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code(), Errc::kNotFound);
  EXPECT_EQ(third.error().message(), path + "/index.json: no image named 'third'; the layout "
                                            "has: first (@0), second (@1)");
  auto at5 = OpenDir(tmp, files, &path, ":@5");
  ASSERT_FALSE(at5);
  EXPECT_EQ(at5.error().message(),
            path + "/index.json: no image @5; the layout has: first (@0), second (@1)");

  // The same as an oci-archive, with the ref after the path.
  std::string tar_path;
  auto tar = OpenTar(tmp, files, &tar_path, "oci-archive:");
  ASSERT_FALSE(tar);
  EXPECT_EQ(tar.error().message(),
            tar_path + ":index.json: 2 images; choose one with oci-archive:" + tar_path +
                ":REF or oci-archive:" + tar_path + ":@N: first (@0), second (@1)");
  auto tar_first = OpenImage("oci-archive:" + tar_path + ":first", {});
  ASSERT_TRUE(tar_first) << tar_first.error().message();
  EXPECT_EQ(tar_first->architecture, "amd64");
}

TEST(MultiImageTest, DockerSaveWithTwoTags) {
  ImageTempDir tmp;
  LayoutFiles files = DockerSave(
      R"([{"Config":"CONFIG","RepoTags":["app:1"],"Layers":["abc/layer.tar"]},)"
      R"({"Config":"CONFIG","RepoTags":["other:2"],"Layers":["abc/layer.tar"]}])");
  // Both entries point at the same config; "CONFIG" was replaced once only.
  std::string& m = files.files["manifest.json"];
  std::string config_name;
  for (const auto& [name, data] : files.files) {
    if (name != "manifest.json" && name.find(".json") != std::string::npos) config_name = name;
  }
  m.replace(m.find("CONFIG"), 6, config_name);
  std::string path;
  auto none = OpenTar(tmp, files, &path);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), Errc::kUsage);
  EXPECT_EQ(none.error().message(),
            path + ":manifest.json: 2 images; choose one with docker-archive:" + path +
                ":NAME:TAG or docker-archive:" + path + ":@N: app:1 (@0), other:2 (@1)");
  auto other = OpenImage("docker-archive:" + path + ":other:2", {});
  ASSERT_TRUE(other) << other.error().message();
  EXPECT_EQ(other->name, "other:2");
  auto at0 = OpenImage("docker-archive:" + path + ":@0", {});
  ASSERT_TRUE(at0) << at0.error().message();
  EXPECT_EQ(at0->name, "app:1");
  auto missing = OpenImage("docker-archive:" + path + ":app:3", {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), path + ":manifest.json: no image tagged 'app:3'; the "
                                              "archive has: app:1 (@0), other:2 (@1)");
}

// index.json -> image index (amd64, arm64, arm/v7, an attestation) -> manifests.
LayoutFiles MultiPlatform(Json* index_desc) {
  LayoutFiles files;
  Json attestation = AddOciImage(&files, "unknown", "attestation");
  Json idx = {{"schemaVersion", 2},
              {"mediaType", kIndexType},
              {"manifests", Json::array({
                                WithPlatform(AddOciImage(&files, "amd64", "x86"), "linux", "amd64"),
                                WithPlatform(AddOciImage(&files, "arm64", "arm"), "linux", "arm64"),
                                WithPlatform(AddOciImage(&files, "arm", "arm7"), "linux", "arm", "v7"),
                                WithPlatform(attestation, "unknown", "unknown"),
                            })}};
  std::string text = idx.dump();
  *index_desc = Desc(kIndexType, files.AddBlob(text), text.size());
  SetIndex(&files, Json::array({*index_desc}));
  return files;
}

TEST(PlatformSelectionTest, NestedIndex) {
  ImageTempDir tmp;
  Json index_desc;
  LayoutFiles files = MultiPlatform(&index_desc);
  std::string path;
  auto host = OpenDir(tmp, files, &path, "", "linux/amd64");
  ASSERT_TRUE(host) << host.error().message();
  EXPECT_EQ(host->architecture, "amd64");

  struct Case {
    const char* platform;
    const char* arch;
  };
  for (const Case& c : {Case{"linux/arm64", "arm64"}, Case{"linux/arm64/v8", "arm64"},
                        Case{"linux/arm", "arm"}, Case{"linux/arm/v7", "arm"},
                        Case{"linux/x86_64", "amd64"}}) {
    SCOPED_TRACE(c.platform);
    auto image = OpenDir(tmp, files, &path, "", c.platform);
    ASSERT_TRUE(image) << image.error().message();
    EXPECT_EQ(image->architecture, c.arch);
  }

  auto s390 = OpenDir(tmp, files, &path, "", "linux/s390x");
  ASSERT_FALSE(s390);
  EXPECT_EQ(s390.error().code(), Errc::kNotFound);
  EXPECT_EQ(s390.error().message(),
            path + "/blobs/sha256/" + Hex(index_desc) +
                ": no image for platform linux/s390x; available: linux/amd64, linux/arm64, "
                "linux/arm/v7 (choose with --platform)");
  auto bad = OpenDir(tmp, files, &path, "", "s390x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::kUsage);
}

TEST(PlatformSelectionTest, FlatIndexAndAmbiguousVariants) {
  ImageTempDir tmp;
  LayoutFiles files;
  Json six = WithPlatform(AddOciImage(&files, "arm", "six"), "linux", "arm", "v6");
  Json seven = WithPlatform(AddOciImage(&files, "arm", "seven"), "linux", "arm", "v7");
  SetIndex(&files, Json::array({six, seven}));
  std::string path;
  auto v7 = OpenDir(tmp, files, &path, "", "linux/arm/v7");
  ASSERT_TRUE(v7) << v7.error().message();
  EXPECT_EQ(v7->manifest.digest, seven["digest"].get<std::string>());
  auto v6 = OpenDir(tmp, files, &path, "", "linux/arm/v6");
  ASSERT_TRUE(v6) << v6.error().message();
  EXPECT_EQ(v6->manifest.digest, six["digest"].get<std::string>());

  auto any_arm = OpenDir(tmp, files, &path, "", "linux/arm");
  ASSERT_FALSE(any_arm);
  EXPECT_EQ(any_arm.error().code(), Errc::kUsage);
  EXPECT_EQ(any_arm.error().message(),
            path + "/index.json: several images match platform linux/arm: linux/arm/v6, "
                   "linux/arm/v7 (choose with --platform os/arch/variant)");

  auto amd = OpenDir(tmp, files, &path, "", "linux/amd64");
  ASSERT_FALSE(amd);
  EXPECT_EQ(amd.error().message(),
            path + "/index.json: no image for platform linux/amd64; available: linux/arm/v6, "
                   "linux/arm/v7 (choose with --platform)");
}

TEST(DockerSaveTest, Docker25PrefersTheOciManifest) {
  ImageTempDir tmp;
  LayoutFiles files;
  Json m = AddOciImage(&files, "amd64", "docker 25");
  Json annotated = m;
  annotated["annotations"] = {{"io.containerd.image.name", "docker.io/library/app:1"},
                              {"org.opencontainers.image.ref.name", "1"}};
  SetIndex(&files, Json::array({annotated}));
  auto manifest = Json::parse(files.files["blobs/sha256/" + Hex(m)]);
  std::string config = manifest["config"]["digest"].get<std::string>().substr(7);
  std::string layer = manifest["layers"][0]["digest"].get<std::string>().substr(7);
  files.files["manifest.json"] = "[{\"Config\":\"blobs/sha256/" + config +
                                 "\",\"RepoTags\":[\"app:1\"],\"Layers\":[\"blobs/sha256/" + layer +
                                 "\"]}]";
  std::string path;
  auto image = OpenTar(tmp, files, &path);
  ASSERT_TRUE(image) << image.error().message();
  EXPECT_EQ(image->format, "docker-archive");
  EXPECT_EQ(image->name, "app:1");
  EXPECT_EQ(image->manifest.digest, m["digest"].get<std::string>());
  EXPECT_EQ(image->manifest.media_type, kManifestType);
  ASSERT_EQ(image->layers.size(), 1u);
  EXPECT_EQ(image->layers[0].blob.media_type, "application/vnd.oci.image.layer.v1.tar");
  EXPECT_EQ(image->layers[0].blob.digest, "sha256:" + layer);
  EXPECT_EQ(image->layers[0].diff_id, "sha256:" + layer);
}

}  // namespace
}  // namespace whittle
