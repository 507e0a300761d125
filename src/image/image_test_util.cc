#include "image/image_test_util.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle::testing {

ImageTempDir::ImageTempDir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/whittle-image-XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  if (made == nullptr) {
    ADD_FAILURE() << "mkdtemp failed";
    std::abort();
  }
  path_ = made;
}

ImageTempDir::~ImageTempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void WriteFileOrDie(const std::string& path, const std::string& data) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!out) {
    ADD_FAILURE() << "cannot write " << path;
    std::abort();
  }
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    std::abort();
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string LayoutFiles::AddBlob(const std::string& content, bool dir_naming) {
  std::string digest = Sha256::DigestOf(content);
  std::string hex = digest.substr(7);
  files[dir_naming ? hex : "blobs/sha256/" + hex] = content;
  return digest;
}

void LayoutFiles::WriteTo(const std::string& dir) const {
  for (const auto& [name, data] : files) WriteFileOrDie(dir + "/" + name, data);
}

std::string LayoutFiles::Tar() const {
  std::vector<TarMember> members;
  std::set<std::string> dirs;
  for (const auto& [name, data] : files) {
    for (size_t p = name.find('/'); p != std::string::npos; p = name.find('/', p + 1)) {
      std::string d = name.substr(0, p + 1);
      if (dirs.insert(d).second) members.push_back(Dir(d));
    }
    members.push_back(File(name, data));
  }
  return BuildTar(members);
}

Json Desc(const std::string& media_type, const std::string& digest, size_t size) {
  return Json{{"mediaType", media_type}, {"digest", digest}, {"size", size}};
}

std::string MakeConfig(const std::string& os, const std::string& arch,
                       const std::vector<std::string>& diff_ids) {
  Json history = Json::array();
  for (size_t i = 0; i < diff_ids.size(); ++i) {
    history.push_back({{"created", "2024-01-01T00:00:00Z"},
                       {"created_by", "/bin/sh -c step " + std::to_string(i + 1)}});
  }
  history.push_back({{"created_by", "/bin/sh -c #(nop)  CMD [\"sh\"]"}, {"empty_layer", true}});
  Json cfg = {{"os", os},
              {"architecture", arch},
              {"created", "2024-01-01T00:00:00Z"},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
              {"history", history}};
  return cfg.dump();
}

std::string MakeLayerTar(const std::string& name, const std::string& content) {
  return BuildTar({File(name, content)});
}

Json AddOciImage(LayoutFiles* files, const std::string& arch, const std::string& file_content,
                 const std::string& layer_type) {
  std::string layer = MakeLayerTar("hello.txt", file_content);
  std::string layer_digest = files->AddBlob(layer);
  std::string config = MakeConfig("linux", arch, {layer_digest});
  std::string config_digest = files->AddBlob(config);
  Json manifest = {
      {"schemaVersion", 2},
      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
      {"config", Desc("application/vnd.oci.image.config.v1+json", config_digest, config.size())},
      {"layers", Json::array({Desc(layer_type, layer_digest, layer.size())})}};
  std::string mtext = manifest.dump();
  std::string mdigest = files->AddBlob(mtext);
  return Desc("application/vnd.oci.image.manifest.v1+json", mdigest, mtext.size());
}

void SetIndex(LayoutFiles* files, const Json& manifests) {
  Json index = {{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests", manifests}};
  files->files["index.json"] = index.dump();
  files->files["oci-layout"] = "{\"imageLayoutVersion\":\"1.0.0\"}";
}

MemoryBlobStore::MemoryBlobStore(const LayoutFiles& files) {
  for (const auto& [name, data] : files.files) {
    if (name.rfind("blobs/sha256/", 0) == 0) Add("memory:sha256:" + name.substr(13), data);
  }
}

BlobRef MemoryBlobStore::Add(const std::string& where, std::string bytes) {
  BlobRef b;
  b.digest = Sha256::DigestOf(bytes);
  b.size = static_cast<int64_t>(bytes.size());
  b.location = where;
  blobs_[b.digest] = Blob{where, std::move(bytes)};
  return b;
}

std::vector<std::pair<std::string, std::string>> MemoryBlobStore::opened() const {
  std::lock_guard<std::mutex> lock(mu_);
  return opened_;
}

Result<const MemoryBlobStore::Blob*> MemoryBlobStore::Find(const BlobRef& blob) const {
  auto it = blobs_.find(blob.digest);
  if (it == blobs_.end()) {
    return Error(Errc::kNotFound, "memory: no blob " + blob.digest);
  }
  return &it->second;
}

Result<std::unique_ptr<ByteSource>> MemoryBlobStore::Open(const BlobRef& blob) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    opened_.emplace_back(blob.digest, blob.media_type);
  }
  ASSIGN_OR_RETURN(const Blob* b, Find(blob));
  return MakeMemorySource(b->bytes, b->where);
}

Result<uint64_t> MemoryBlobStore::Size(const BlobRef& blob) {
  ASSIGN_OR_RETURN(const Blob* b, Find(blob));
  return static_cast<uint64_t>(b->bytes.size());
}

Result<std::string> MemoryBlobStore::Location(const BlobRef& blob) const {
  auto it = blobs_.find(blob.digest);
  return it == blobs_.end() ? "memory:" + blob.digest : it->second.where;
}

}  // namespace whittle::testing
