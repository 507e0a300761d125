// The image builder's output checked by tools that are not whittle:
// skopeo copies each image (verifying every digest and size on the way)
// and GNU tar lists the layers it copied.
#include "support/image_builder.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace whittle::testing {
namespace {

namespace fs = std::filesystem;

std::string Shell(const std::string& cmd, int* rc = nullptr) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = pclose(p);
  if (rc) *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "whittle-imgb-XXXXXX").string();
    path_ = mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(FillerContent, DeterministicSizedAndSeeded) {
  EXPECT_EQ(FillerContent("a", 1000), FillerContent("a", 1000));
  EXPECT_EQ(FillerContent("a", 1000).size(), 1000u);
  EXPECT_EQ(FillerContent("a", 0), "");
  EXPECT_NE(FillerContent("a", 1000), FillerContent("b", 1000));
  EXPECT_EQ(FillerContent("a", 1000).substr(0, 10), FillerContent("a", 10));
  // Text-like: compresses, but not to nothing.
  size_t gz = Compress(LayerCompression::kGzip, FillerContent("x", 100000)).size();
  EXPECT_LT(gz, 50000u);
  EXPECT_GT(gz, 10000u);
}

TEST(Compress, StandardToolsDecompressIt) {
  TempDir tmp;
  std::string data = FillerContent("c", 70000);
  for (auto [c, tool] : {std::pair{LayerCompression::kGzip, "gzip"}, std::pair{LayerCompression::kZstd, "zstd"}}) {
    std::string f = tmp.path() + "/blob";
    FILE* out = std::fopen(f.c_str(), "wb");
    std::string z = Compress(c, data);
    std::fwrite(z.data(), 1, z.size(), out);
    std::fclose(out);
    int rc = -1;
    EXPECT_EQ(Shell(std::string(tool) + " -dc < " + f, &rc), data) << tool;
    EXPECT_EQ(rc, 0);
  }
}

ImageDescription TwoLayers(ImageContainer container, LayerCompression compression) {
  ImageDescription d;
  d.container = container;
  d.compression = compression;
  d.tag = "test:1";
  PlatformImage p;
  p.steps.push_back({.created_by = "/bin/sh -c #(nop) ADD file:abc in /",
                     .members = {Dir("usr/"), Dir("usr/bin/"), File("usr/bin/gcc", FillerContent("gcc", 3000))}});
  p.steps.push_back({.created_by = "/bin/sh -c #(nop)  ENV A=1", .empty_layer = true});
  p.steps.push_back({.created_by = "/bin/sh -c rm /usr/bin/gcc", .members = {Whiteout("usr/bin", "gcc")}});
  d.platforms.push_back(p);
  return d;
}

std::string Reference(const ImageDescription& d, const std::string& path) {
  switch (d.container) {
    case ImageContainer::kDockerArchive:
      return "docker-archive:" + path;
    case ImageContainer::kOciLayout:
      return "oci:" + path;
    case ImageContainer::kOciArchive:
      return "oci-archive:" + path;
  }
  return "";
}

// skopeo copies the image to a dir: layout (checking digests and sizes) and
// GNU tar lists each copied layer.
TEST(WriteImage, SkopeoReadsEveryContainerAndCompression) {
  for (ImageContainer c : {ImageContainer::kDockerArchive, ImageContainer::kOciLayout, ImageContainer::kOciArchive}) {
    for (LayerCompression z : {LayerCompression::kNone, LayerCompression::kGzip, LayerCompression::kZstd}) {
      SCOPED_TRACE(static_cast<int>(c) * 10 + static_cast<int>(z));
      TempDir tmp;
      ImageDescription d = TwoLayers(c, z);
      std::string path = tmp.path() + (c == ImageContainer::kOciLayout ? "/image" : "/image.tar");
      ASSERT_EQ(WriteImage(d, path), "");
      int rc = -1;
      std::string log =
          Shell("skopeo --insecure-policy copy -q " + Reference(d, path) + " dir:" + tmp.path() + "/copy 2>&1", &rc);
      ASSERT_EQ(rc, 0) << log;
      auto manifest = nlohmann::json::parse(Shell("cat " + tmp.path() + "/copy/manifest.json"), nullptr, false);
      ASSERT_TRUE(manifest.is_object());
      ASSERT_EQ(manifest["layers"].size(), 2u);
      std::string listing;
      for (const auto& l : manifest["layers"]) {
        std::string blob = tmp.path() + "/copy/" + l["digest"].get<std::string>().substr(7);
        listing += Shell("{ gzip -dc " + blob + " 2>/dev/null || zstd -dc " + blob + " 2>/dev/null || cat " + blob +
                         "; } | tar -tf -");
      }
      EXPECT_EQ(listing, "usr/\nusr/bin/\nusr/bin/gcc\nusr/bin/.wh.gcc\n");
      auto config = nlohmann::json::parse(
          Shell("cat " + tmp.path() + "/copy/" + manifest["config"]["digest"].get<std::string>().substr(7)), nullptr,
          false);
      ASSERT_TRUE(config.is_object());
      EXPECT_EQ(config["history"].size(), 3u);
      EXPECT_EQ(config["rootfs"]["diff_ids"].size(), 2u);
    }
  }
}

TEST(WriteImage, MultiPlatformIndex) {
  TempDir tmp;
  ImageDescription d = TwoLayers(ImageContainer::kOciLayout, LayerCompression::kGzip);
  d.platforms.push_back(d.platforms[0]);
  d.platforms[1].architecture = "arm64";
  d.platforms[1].variant = "v8";
  d.platforms[1].steps[0].members.push_back(File("etc/arm", "arm\n"));
  std::string path = tmp.path() + "/image";
  ASSERT_EQ(WriteImage(d, path), "");
  int rc = -1;
  std::string log = Shell("skopeo --insecure-policy copy -q --override-arch arm64 --override-variant v8 oci:" + path +
                              " dir:" + tmp.path() + "/arm 2>&1",
                          &rc);
  ASSERT_EQ(rc, 0) << log;
  auto manifest = nlohmann::json::parse(Shell("cat " + tmp.path() + "/arm/manifest.json"), nullptr, false);
  std::string blob = tmp.path() + "/arm/" + manifest["layers"][0]["digest"].get<std::string>().substr(7);
  EXPECT_EQ(Shell("gzip -dc " + blob + " | tar -tf -"), "usr/\nusr/bin/\nusr/bin/gcc\netc/arm\n");
  ImageDescription bad = d;
  bad.container = ImageContainer::kDockerArchive;
  EXPECT_EQ(WriteImage(bad, tmp.path() + "/bad.tar"), "a docker-archive holds one platform");
}

}  // namespace
}  // namespace whittle::testing
