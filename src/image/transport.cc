// The transport table and its openers. Each opener is "make the container,
// resolve the format in it, hand the container to the Image as its blobs".
#include "image/transport.h"

#include <memory>
#include <utility>

#include "image/dir_layout.h"
#include "image/docker_engine.h"
#include "image/directory_store.h"
#include "image/docker_archive.h"
#include "image/image.h"
#include "image/oci_layout.h"
#include "image/reference.h"
#include "image/registry_store.h"
#include "image/tar_archive_store.h"
#include "util/strings.h"

namespace whittle {
namespace {

Status ResolveDockerArchiveIn(std::unique_ptr<LayoutStore> store, const ImageReference& ref,
                              Image* image) {
  RETURN_IF_ERROR(ResolveDockerArchive(*store, ref, TransportHint(ref), image));
  image->blobs = std::move(store);
  return Status::Ok();
}

Status ResolveOciLayoutIn(std::unique_ptr<LayoutStore> store, const ImageReference& ref,
                          const Platform& want, Image* image) {
  RETURN_IF_ERROR(ResolveOciLayout(*store, ref, want, TransportHint(ref), image));
  image->blobs = std::move(store);
  return Status::Ok();
}

Status OpenDockerArchive(const ImageReference& ref, const Platform&, Image* image) {
  ASSIGN_OR_RETURN(std::unique_ptr<TarArchiveStore> tar, TarArchiveStore::IndexArchive(ref.path));
  return ResolveDockerArchiveIn(std::move(tar), ref, image);
}

Status OpenOciArchive(const ImageReference& ref, const Platform& want, Image* image) {
  ASSIGN_OR_RETURN(std::unique_ptr<TarArchiveStore> tar, TarArchiveStore::IndexArchive(ref.path));
  return ResolveOciLayoutIn(std::move(tar), ref, want, image);
}

Status OpenOciLayout(const ImageReference& ref, const Platform& want, Image* image) {
  ASSIGN_OR_RETURN(std::unique_ptr<DirectoryStore> dir, DirectoryStore::OpenRoot(ref.path));
  if (!dir->PathExists("oci-layout")) {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not an OCI image layout: no oci-layout file", ref.path.c_str()));
  }
  return ResolveOciLayoutIn(std::move(dir), ref, want, image);
}

Status OpenDirLayout(const ImageReference& ref, const Platform& want, Image* image) {
  ASSIGN_OR_RETURN(std::unique_ptr<DirectoryStore> dir, DirectoryStore::OpenRoot(ref.path));
  dir->set_blob_naming(BlobNaming::kDirHex);
  RETURN_IF_ERROR(ResolveDirLayout(*dir, want, image));
  image->blobs = std::move(dir);
  return Status::Ok();
}

// docker-daemon:NAME[:TAG]: the reference parser split NAME:TAG at the
// first ':'; the Engine wants it whole.
Result<std::unique_ptr<ByteSource>> OpenDockerDaemonStream(const ImageReference& ref, std::string* name) {
  std::string image = DockerDaemonName(ref);
  ASSIGN_OR_RETURN(EngineEndpoint engine, EngineFromEnvironment());
  *name = "docker-daemon:" + image;
  return OpenEngineExport(engine, image);
}

// One row per transport; the order is the one error messages list them in.
// Prefixes must not be prefixes of each other ("oci:" vs "oci-archive:" is fine).
constexpr Transport kTransports[] = {
    {"docker-archive", "docker-archive:", true, OpenDockerArchive, nullptr},
    {"oci", "oci:", true, OpenOciLayout, nullptr},
    {"oci-archive", "oci-archive:", true, OpenOciArchive, nullptr},
    {"dir", "dir:", false, OpenDirLayout, nullptr},
    {"docker-daemon", "docker-daemon:", true, nullptr, OpenDockerDaemonStream, true},
    {"docker", "docker://", true, OpenRegistryImage, nullptr, true},
};

}  // namespace

std::span<const Transport> Transports() { return kTransports; }

const Transport* FindTransport(std::string_view name) {
  for (const Transport& t : kTransports) {
    if (name == t.name) return &t;
  }
  return nullptr;
}

const char* TransportName(const Transport* t) { return t ? t->name : "auto"; }

std::string TransportHint(const ImageReference& ref) {
  return std::string(TransportName(ref.transport)) + ":" + ref.path;
}

Status OpenArchiveByContent(ImageReference* ref, const Platform& want, Image* image) {
  ASSIGN_OR_RETURN(std::unique_ptr<TarArchiveStore> tar, TarArchiveStore::IndexArchive(ref->path));
  if (tar->PathExists("manifest.json")) {
    ref->transport = FindTransport("docker-archive");
    return ResolveDockerArchiveIn(std::move(tar), *ref, image);
  }
  if (tar->PathExists("index.json") && tar->PathExists("oci-layout")) {
    ref->transport = FindTransport("oci-archive");
    return ResolveOciLayoutIn(std::move(tar), *ref, want, image);
  }
  return Error(Errc::kUnsupported,
               StrFormat("%s: not an image: a tar with neither manifest.json (docker "
                         "save) nor index.json and oci-layout (OCI archive)",
                         ref->path.c_str()));
}

}  // namespace whittle
