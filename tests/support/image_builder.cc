#include "support/image_builder.h"

#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "util/sha256.h"

namespace whittle::testing {
namespace {

using Json = nlohmann::json;  // sorted keys: deterministic text

constexpr char kOciManifest[] = "application/vnd.oci.image.manifest.v1+json";
constexpr char kOciIndex[] = "application/vnd.oci.image.index.v1+json";
constexpr char kOciConfig[] = "application/vnd.oci.image.config.v1+json";

std::string Hex(const std::string& digest) { return digest.substr(7); }

std::string GzipCompress(const std::string& data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 and OS 3 (unix).
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string ZstdCompress(const std::string& data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 3);
  if (ZSTD_isError(n)) std::abort();
  out.resize(n);
  return out;
}

const char* LayerMediaType(LayerCompression c) {
  switch (c) {
    case LayerCompression::kGzip:
      return "application/vnd.oci.image.layer.v1.tar+gzip";
    case LayerCompression::kZstd:
      return "application/vnd.oci.image.layer.v1.tar+zstd";
    case LayerCompression::kNone:
      break;
  }
  return "application/vnd.oci.image.layer.v1.tar";
}

const char* LayerSuffix(LayerCompression c) {
  switch (c) {
    case LayerCompression::kGzip:
      return ".tar.gz";
    case LayerCompression::kZstd:
      return ".tar.zst";
    case LayerCompression::kNone:
      break;
  }
  return ".tar";
}

Json Descriptor(const std::string& media_type, const std::string& content) {
  return Json{{"mediaType", media_type}, {"digest", Sha256::DigestOf(content)}, {"size", content.size()}};
}

struct BuiltImage {
  std::string config;
  std::vector<std::string> layer_blobs;  // as stored (compressed)
  std::vector<std::string> diff_ids;
};

BuiltImage BuildOne(const ImageDescription& d, const PlatformImage& p) {
  BuiltImage out;
  Json history = Json::array();
  std::string last_created;
  for (size_t i = 0; i < p.steps.size(); ++i) {
    const HistoryStep& s = p.steps[i];
    std::string created = s.created;
    if (created.empty()) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "2024-05-01T10:%02zu:00Z", i % 60);
      created = buf;
    }
    last_created = created;
    Json h{{"created", created}, {"created_by", s.created_by}};
    if (!s.comment.empty()) h["comment"] = s.comment;
    if (s.empty_layer) {
      h["empty_layer"] = true;
    } else {
      TarOptions opt;
      opt.format = d.tar_format;
      std::string tar = BuildTar(s.members, opt);
      out.diff_ids.push_back(Sha256::DigestOf(tar));
      out.layer_blobs.push_back(Compress(d.compression, tar));
    }
    history.push_back(h);
  }
  Json config{{"architecture", p.architecture},
              {"os", p.os},
              {"created", last_created.empty() ? "2024-05-01T10:00:00Z" : last_created},
              {"config", Json{{"Env", Json::array({"PATH=/usr/local/bin:/usr/bin:/bin"})}}},
              {"rootfs", Json{{"type", "layers"}, {"diff_ids", out.diff_ids}}},
              {"history", history}};
  if (!p.variant.empty()) config["variant"] = p.variant;
  out.config = config.dump();
  return out;
}

// The files of an OCI layout, by relative path.
std::map<std::string, std::string> OciFiles(const ImageDescription& d, const std::vector<BuiltImage>& images) {
  std::map<std::string, std::string> files;
  auto add_blob = [&](const std::string& content) {
    files["blobs/sha256/" + Hex(Sha256::DigestOf(content))] = content;
  };
  Json manifests = Json::array();
  for (size_t k = 0; k < images.size(); ++k) {
    const BuiltImage& img = images[k];
    add_blob(img.config);
    Json layers = Json::array();
    for (const std::string& blob : img.layer_blobs) {
      add_blob(blob);
      layers.push_back(Descriptor(LayerMediaType(d.compression), blob));
    }
    Json manifest{{"schemaVersion", 2},
                  {"mediaType", kOciManifest},
                  {"config", Descriptor(kOciConfig, img.config)},
                  {"layers", layers}};
    std::string text = manifest.dump();
    add_blob(text);
    Json desc = Descriptor(kOciManifest, text);
    const PlatformImage& p = d.platforms[k];
    desc["platform"] = Json{{"os", p.os}, {"architecture", p.architecture}};
    if (!p.variant.empty()) desc["platform"]["variant"] = p.variant;
    manifests.push_back(desc);
  }
  Json top;
  if (images.size() == 1) {
    top = manifests[0];
    top.erase("platform");
  } else {
    std::string text = Json{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", manifests}}.dump();
    add_blob(text);
    top = Descriptor(kOciIndex, text);
  }
  if (!d.tag.empty()) top["annotations"] = Json{{"org.opencontainers.image.ref.name", d.tag}};
  files["index.json"] = Json{{"schemaVersion", 2}, {"mediaType", kOciIndex}, {"manifests", Json::array({top})}}.dump();
  files["oci-layout"] = R"({"imageLayoutVersion":"1.0.0"})";
  return files;
}

std::map<std::string, std::string> DockerFiles(const ImageDescription& d, const BuiltImage& img) {
  std::map<std::string, std::string> files;
  std::string config_name = Hex(Sha256::DigestOf(img.config)) + ".json";
  files[config_name] = img.config;
  Json layers = Json::array();
  for (size_t i = 0; i < img.layer_blobs.size(); ++i) {
    std::string name = Hex(img.diff_ids[i]) + LayerSuffix(d.compression);
    files[name] = img.layer_blobs[i];
    layers.push_back(name);
  }
  Json entry{{"Config", config_name}, {"Layers", layers}, {"RepoTags", Json::array()}};
  if (!d.tag.empty()) entry["RepoTags"].push_back(d.tag);
  files["manifest.json"] = Json::array({entry}).dump();
  return files;
}

// A tar of |files| in name order, directories implied, fixed metadata.
std::string PackTar(const std::map<std::string, std::string>& files) {
  std::vector<TarMember> members;
  std::set<std::string> dirs;
  for (const auto& [name, data] : files) {
    for (size_t p = name.find('/'); p != std::string::npos; p = name.find('/', p + 1)) {
      std::string dir = name.substr(0, p + 1);
      if (dirs.insert(dir).second) members.push_back(Dir(dir));
    }
    members.push_back(File(name, data));
  }
  return BuildTar(members);
}

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

}  // namespace

std::string Compress(LayerCompression compression, const std::string& data) {
  switch (compression) {
    case LayerCompression::kGzip:
      return GzipCompress(data);
    case LayerCompression::kZstd:
      return ZstdCompress(data);
    case LayerCompression::kNone:
      break;
  }
  return data;
}

std::string FillerContent(const std::string& seed, size_t size) {
  static const char* const kWords[] = {
      "the",    "layer", "image",  "bytes", "file", "build",  "cache",  "package", "install", "remove",
      "config", "usr",   "lib",    "share", "docs", "debian", "alpine", "static",  "binary",  "symbol",
      "header", "blob",  "digest", "tar",   "gzip", "zstd",   "size",   "waste",   "index",   "manifest",
      "a",      "of",    "to",     "and",   "in",   "is",     "for",    "with",    "0x7f",    "42"};
  uint64_t h = 1469598103934665603ULL;  // FNV-1a of the seed, then xorshift64*
  for (char c : seed) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  if (h == 0) h = 1;
  std::string out;
  out.reserve(size + 16);
  size_t col = 0;
  while (out.size() < size) {
    h ^= h >> 12;
    h ^= h << 25;
    h ^= h >> 27;
    uint64_t r = h * 2685821657736338717ULL;
    const char* w = kWords[(r >> 32) % (sizeof kWords / sizeof *kWords)];
    out += w;
    col += std::char_traits<char>::length(w);
    if (col > 60 || (r & 0xff) < 12) {
      out += '\n';
      col = 0;
    } else {
      out += ' ';
      ++col;
    }
  }
  out.resize(size);
  return out;
}

std::string WriteImage(const ImageDescription& d, const std::string& path) {
  if (d.platforms.empty()) return "an image needs at least one platform";
  if (d.container == ImageContainer::kDockerArchive && d.platforms.size() != 1) {
    return "a docker-archive holds one platform";
  }
  std::vector<BuiltImage> images;
  for (const PlatformImage& p : d.platforms) images.push_back(BuildOne(d, p));
  std::map<std::string, std::string> files =
      d.container == ImageContainer::kDockerArchive ? DockerFiles(d, images[0]) : OciFiles(d, images);
  if (d.container == ImageContainer::kOciLayout) {
    std::error_code ec;
    for (const auto& [name, data] : files) {
      std::filesystem::path p = std::filesystem::path(path) / name;
      std::filesystem::create_directories(p.parent_path(), ec);
      if (ec || !WriteFile(p.string(), data)) return "cannot write " + p.string();
    }
    return "";
  }
  if (!WriteFile(path, PackTar(files))) return "cannot write " + path;
  return "";
}

}  // namespace whittle::testing
