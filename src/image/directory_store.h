// DirectoryStore: an image container that is a directory on disk (an OCI
// image layout, skopeo's dir:). Files are opened by relative path under the
// root; a path whose real location (symlinks resolved) is outside the root
// is an error naming it.
#ifndef WHITTLE_IMAGE_DIRECTORY_STORE_H_
#define WHITTLE_IMAGE_DIRECTORY_STORE_H_

#include <memory>
#include <string>
#include <string_view>

#include "image/layout_store.h"

namespace whittle {

class DirectoryStore : public LayoutStore {
 public:
  /// |root| must be a directory. Errors: kNotFound, kIo.
  static Result<std::unique_ptr<DirectoryStore>> OpenRoot(const std::string& root);

  Result<std::unique_ptr<ByteSource>> OpenPath(std::string_view rel) override;
  Result<uint64_t> PathSize(std::string_view rel) override;
  bool PathExists(std::string_view rel) override;
  std::string PathLocation(std::string_view rel) const override;
  const std::string& name() const override { return name_; }

 private:
  DirectoryStore(std::string name, std::string real_root)
      : name_(std::move(name)), real_root_(std::move(real_root)) {}
  /// Checks |rel| and returns the full path of a regular file inside the root.
  Result<std::string> FullPath(std::string_view rel) const;

  std::string name_;       // as the user gave it
  std::string real_root_;  // realpath() of the root
};

}  // namespace whittle

#endif  // WHITTLE_IMAGE_DIRECTORY_STORE_H_
