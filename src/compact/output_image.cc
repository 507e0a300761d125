#include "compact/output_image.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "io/byte_sink.h"
#include "io/file_source.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

namespace {

using OJson = nlohmann::ordered_json;

std::string Hex(const std::string& digest) { return digest.substr(7); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

Status WriteSmallFile(const std::string& path, std::string_view bytes, const std::string& name) {
  ASSIGN_OR_RETURN(auto sink, CreateFileSink(path, name));
  RETURN_IF_ERROR(sink->Write(bytes.data(), bytes.size()));
  return sink->Close();
}

// A ustar header block for a regular file or directory |name| (< 100 bytes).
std::string UstarHeader(const std::string& name, uint64_t size, bool dir) {
  std::string h(512, '\0');
  std::memcpy(&h[0], name.data(), std::min<size_t>(name.size(), 99));
  auto octal = [&h](size_t off, size_t len, uint64_t v) {
    std::string s = StrFormat("%0*llo", static_cast<int>(len - 1), static_cast<unsigned long long>(v));
    std::memcpy(&h[off], s.data(), len - 1);
  };
  octal(100, 8, dir ? 0755 : 0644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, size);
  octal(136, 12, 0);
  h[156] = dir ? '5' : '0';
  std::memcpy(&h[257],
              "ustar\0"
              "00",
              8);
  std::memset(&h[148], ' ', 8);
  unsigned sum = 0;
  for (unsigned char c : h) sum += c;
  std::string s = StrFormat("%06o", sum);
  std::memcpy(&h[148], s.data(), 6);
  h[154] = '\0';
  h[155] = ' ';
  return h;
}

Status AppendFileToTar(ByteSink& out, const std::string& name, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, File::Open(path));
  std::string header = UstarHeader(name, file->size(), false);
  RETURN_IF_ERROR(out.Write(header.data(), header.size()));
  std::vector<char> buf(1 << 20);
  uint64_t off = 0;
  while (off < file->size()) {
    ASSIGN_OR_RETURN(size_t n, file->ReadAt(off, buf.data(), buf.size()));
    if (n == 0) return Error(Errc::kIo, path + ": shrank while being read");
    RETURN_IF_ERROR(out.Write(buf.data(), n));
    off += n;
  }
  static const char kZeros[512] = {};
  if (size_t pad = (512 - file->size() % 512) % 512; pad) RETURN_IF_ERROR(out.Write(kZeros, pad));
  return Status::Ok();
}

}  // namespace

const char* OciLayerMediaType(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "application/vnd.oci.image.layer.v1.tar+gzip";
    case Compression::kZstd:
      return "application/vnd.oci.image.layer.v1.tar+zstd";
    case Compression::kNone:
      break;
  }
  return "application/vnd.oci.image.layer.v1.tar";
}

Result<OutputRef> ParseOutputRef(std::string_view text) {
  OutputRef ref;
  std::string_view rest;
  if (text.substr(0, 4) == "oci:") {
    ref.kind = OutputRef::Kind::kOci;
    rest = text.substr(4);
    size_t colon = rest.find(':');
    ref.path = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) ref.ref = std::string(rest.substr(colon + 1));
  } else if (text.substr(0, 15) == "docker-archive:") {
    ref.kind = OutputRef::Kind::kDockerArchive;
    rest = text.substr(15);
    size_t colon = rest.find(':');
    ref.path = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      ref.ref = std::string(rest.substr(colon + 1));
      if (ref.ref.find(':') == std::string::npos) {
        return Error(Errc::kUsage, "docker-archive output takes PATH[:NAME:TAG], got '" + std::string(text) + "'");
      }
    }
  } else {
    return Error(Errc::kUsage,
                 "-o takes oci:DIR[:REF] or docker-archive:PATH[:NAME:TAG], got '" + std::string(text) + "'");
  }
  if (ref.path.empty()) return Error(Errc::kUsage, "-o '" + std::string(text) + "' names no path");
  return ref;
}

Result<OutputImage> OutputImage::Create(const OutputRef& ref) {
  std::string path = ref.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (Exists(path)) {
    return Error(Errc::kUsage, path + ": already exists; compact writes a new image and never overwrites one");
  }
  std::string parent = std::filesystem::path(path).parent_path().string();
  if (parent.empty()) parent = ".";
  std::string tmpl = parent + "/.whittle-compact-XXXXXX";
  if (::mkdtemp(tmpl.data()) == nullptr) {
    return Error(Errc::kIo, parent + ": cannot create a staging directory: " + std::strerror(errno));
  }
  OutputRef fixed = ref;
  fixed.path = path;
  OutputImage out(std::move(fixed));
  out.staging_ = tmpl;
  std::string blobs = out.staging_ + "/blobs";
  if (::mkdir(blobs.c_str(), 0755) != 0 || ::mkdir((blobs + "/sha256").c_str(), 0755) != 0) {
    return Error(Errc::kIo, blobs + ": cannot create: " + std::strerror(errno));
  }
  return out;
}

OutputImage::OutputImage(OutputImage&& o) noexcept
    : ref_(std::move(o.ref_)), staging_(std::move(o.staging_)), temp_counter_(o.temp_counter_) {
  o.staging_.clear();
}

OutputImage::~OutputImage() {
  if (staging_.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(staging_, ec);
}

Result<std::unique_ptr<ByteSink>> OutputImage::CreateSink(const std::string& staged_path) const {
  return CreateFileSink(staged_path, ref_.path);
}

std::string OutputImage::TempPath() { return staging_ + StrFormat("/tmp-%d", temp_counter_++); }

std::string OutputImage::BlobPath(const std::string& digest) const { return staging_ + "/blobs/sha256/" + Hex(digest); }

Status OutputImage::AddBlobFile(const std::string& temp, const std::string& digest) {
  if (!IsValidSha256Digest(digest)) return Error(Errc::kInternal, "bad digest " + digest);
  std::string dest = BlobPath(digest);
  if (Exists(dest)) {  // the same blob twice (a layer repeated): one copy
    ::unlink(temp.c_str());
    return Status::Ok();
  }
  if (::rename(temp.c_str(), dest.c_str()) != 0) {
    return Error(Errc::kIo, dest + ": cannot rename: " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> OutputImage::AddBlobBytes(std::string_view bytes) {
  std::string digest = Sha256::DigestOf(bytes);
  std::string temp = TempPath();
  RETURN_IF_ERROR(WriteSmallFile(temp, bytes, ref_.path));
  RETURN_IF_ERROR(AddBlobFile(temp, digest));
  return digest;
}

Status OutputImage::Commit(const StagedBlob& config, const std::vector<StagedBlob>& layers) {
  if (ref_.kind == OutputRef::Kind::kOci) {
    OJson manifest = {{"schemaVersion", 2},
                      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                      {"config", {{"mediaType", config.media_type}, {"digest", config.digest}, {"size", config.size}}}};
    OJson ls = OJson::array();
    for (const StagedBlob& l : layers) {
      ls.push_back({{"mediaType", l.media_type}, {"digest", l.digest}, {"size", l.size}});
    }
    manifest["layers"] = ls;
    std::string mbytes = manifest.dump();
    ASSIGN_OR_RETURN(std::string mdigest, AddBlobBytes(mbytes));
    OJson desc = {
        {"mediaType", "application/vnd.oci.image.manifest.v1+json"}, {"digest", mdigest}, {"size", mbytes.size()}};
    if (!ref_.ref.empty()) desc["annotations"] = {{"org.opencontainers.image.ref.name", ref_.ref}};
    OJson index = {{"schemaVersion", 2},
                   {"mediaType", "application/vnd.oci.image.index.v1+json"},
                   {"manifests", OJson::array({desc})}};
    RETURN_IF_ERROR(WriteSmallFile(staging_ + "/index.json", index.dump(), ref_.path));
    RETURN_IF_ERROR(WriteSmallFile(staging_ + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})", ref_.path));
    if (Exists(ref_.path)) return Error(Errc::kUsage, ref_.path + ": appeared while compact ran; not overwritten");
    if (::chmod(staging_.c_str(), 0755) != 0 || ::rename(staging_.c_str(), ref_.path.c_str()) != 0) {
      return Error(Errc::kIo, ref_.path + ": cannot move the staged image into place: " + std::strerror(errno));
    }
    staging_.clear();
    return Status::Ok();
  }
  // docker-archive: docker save's manifest.json naming the blobs by path.
  OJson entry = {{"Config", "blobs/sha256/" + Hex(config.digest)}};
  entry["RepoTags"] = ref_.ref.empty() ? OJson::array() : OJson::array({ref_.ref});
  OJson ls = OJson::array();
  for (const StagedBlob& l : layers) ls.push_back("blobs/sha256/" + Hex(l.digest));
  entry["Layers"] = ls;
  std::string manifest = OJson::array({entry}).dump();
  std::string tar_path = staging_ + "/archive.tar";
  ASSIGN_OR_RETURN(auto sink, CreateSink(tar_path));
  for (const char* dir : {"blobs/", "blobs/sha256/"}) {
    std::string h = UstarHeader(dir, 0, true);
    RETURN_IF_ERROR(sink->Write(h.data(), h.size()));
  }
  std::vector<std::string> written;
  auto add_blob = [&](const std::string& digest) -> Status {
    for (const auto& w : written) {
      if (w == digest) return Status::Ok();
    }
    written.push_back(digest);
    return AppendFileToTar(*sink, "blobs/sha256/" + Hex(digest), BlobPath(digest));
  };
  RETURN_IF_ERROR(add_blob(config.digest));
  for (const StagedBlob& l : layers) RETURN_IF_ERROR(add_blob(l.digest));
  std::string mpath = staging_ + "/manifest.json";
  RETURN_IF_ERROR(WriteSmallFile(mpath, manifest, ref_.path));
  RETURN_IF_ERROR(AppendFileToTar(*sink, "manifest.json", mpath));
  static const char kEnd[1024] = {};
  RETURN_IF_ERROR(sink->Write(kEnd, sizeof kEnd));
  RETURN_IF_ERROR(sink->Close());
  if (Exists(ref_.path)) return Error(Errc::kUsage, ref_.path + ": appeared while compact ran; not overwritten");
  if (::rename(tar_path.c_str(), ref_.path.c_str()) != 0) {
    return Error(Errc::kIo, ref_.path + ": cannot move the archive into place: " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace whittle
