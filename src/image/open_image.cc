// OpenImage: reference -> container (directory or indexed tar) -> format
// resolver -> Image. See image.h for the contract.
#include <memory>

#include "image/directory_store.h"
#include "image/dir_layout.h"
#include "image/docker_archive.h"
#include "image/image.h"
#include "image/oci_layout.h"
#include "image/platform.h"
#include "image/reference.h"
#include "image/tar_archive_store.h"
#include "util/strings.h"

namespace whittle {

Result<Image> OpenImage(const std::string& reference, const OpenOptions& options) {
  ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
  Platform want;
  if (options.platform.empty()) {
    want = HostPlatform();
  } else {
    ASSIGN_OR_RETURN(want, ParsePlatform(options.platform));
  }

  Transport t = ref.transport;
  if (t == Transport::kAuto) {
    ASSIGN_OR_RETURN(t, DetectTransport(ref.path));
  }

  Image image;
  image.reference = reference;
  std::unique_ptr<LayoutStore> store;
  switch (t) {
    case Transport::kAuto:  // a file: docker-archive or oci-archive by members
    case Transport::kDockerArchive:
    case Transport::kOciArchive: {
      ASSIGN_OR_RETURN(std::unique_ptr<TarArchiveStore> tar, TarArchiveStore::IndexArchive(ref.path));
      if (t == Transport::kAuto) {
        if (tar->PathExists("manifest.json")) {
          t = Transport::kDockerArchive;
        } else if (tar->PathExists("index.json") && tar->PathExists("oci-layout")) {
          t = Transport::kOciArchive;
        } else {
          return Error(Errc::kUnsupported,
                       StrFormat("%s: not an image: a tar with neither manifest.json (docker "
                                 "save) nor index.json and oci-layout (OCI archive)",
                                 ref.path.c_str()));
        }
      }
      store = std::move(tar);
      break;
    }
    case Transport::kOci: {
      ASSIGN_OR_RETURN(std::unique_ptr<DirectoryStore> dir, DirectoryStore::OpenRoot(ref.path));
      if (!dir->PathExists("oci-layout")) {
        return Error(Errc::kUnsupported,
                     StrFormat("%s: not an OCI image layout: no oci-layout file", ref.path.c_str()));
      }
      store = std::move(dir);
      break;
    }
    case Transport::kDir: {
      ASSIGN_OR_RETURN(std::unique_ptr<DirectoryStore> dir, DirectoryStore::OpenRoot(ref.path));
      dir->set_blob_naming(BlobNaming::kDirHex);
      store = std::move(dir);
      break;
    }
  }

  image.format = TransportName(t);
  std::string hint = image.format + ":" + ref.path;
  switch (t) {
    case Transport::kDockerArchive:
      RETURN_IF_ERROR(ResolveDockerArchive(*store, ref, hint, &image));
      break;
    case Transport::kOci:
    case Transport::kOciArchive:
      RETURN_IF_ERROR(ResolveOciLayout(*store, ref, want, hint, &image));
      break;
    case Transport::kDir:
      RETURN_IF_ERROR(ResolveDirLayout(*store, want, &image));
      break;
    case Transport::kAuto:
      return Error(Errc::kInternal, "OpenImage: transport not decided");
  }
  image.blobs = std::move(store);
  return image;
}

}  // namespace whittle
