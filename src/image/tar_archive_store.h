// TarArchiveStore: an image container that is one tar file (`docker save`
// output of any Docker version, kaniko tars, oci-archive). Built by one pass
// over the outer tar's headers that records each member's name, data offset
// and size; member bodies are skipped by seeking, never read. Blobs are then
// FileRangeSources over the member's bytes, so layers stream straight out of
// the archive with no extraction.
//
// Symlink and hard-link members (moby's docker save links duplicate layers,
// skopeo links `<id>/layer.tar` to `<diffid>.tar`) are followed when their
// target stays inside the archive; a target outside it is an error naming
// the member. Members whose raw name climbs with ".." are not indexed.
#ifndef WHITTLE_IMAGE_TAR_ARCHIVE_STORE_H_
#define WHITTLE_IMAGE_TAR_ARCHIVE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "image/layout_store.h"
#include "io/file_source.h"
#include "tar/tar_entry.h"

namespace whittle {

/// Joins a symlink member's |target| to the directory of |member| (both
/// archive-relative) and cleans the result into |out|; false when the
/// target is absolute or climbs above the archive root.
bool ResolveArchiveSymlink(std::string_view member, std::string_view target, std::string* out);

class TarArchiveStore : public LayoutStore {
 public:
  /// Indexes the tar at |path| (named |path| in messages). Errors: kNotFound,
  /// kUnsupported ("not an image: not a tar archive", a compressed archive),
  /// kCorrupt (truncated or damaged outer tar, naming the offset).
  static Result<std::unique_ptr<TarArchiveStore>> IndexArchive(const std::string& path);

  Result<std::unique_ptr<ByteSource>> OpenPath(std::string_view rel) override;
  Result<uint64_t> PathSize(std::string_view rel) override;
  bool PathExists(std::string_view rel) override;
  std::string PathLocation(std::string_view rel) const override;
  const std::string& name() const override { return name_; }

  /// Number of indexed members (directories excluded).
  size_t member_count() const { return members_.size(); }

 private:
  struct Member {
    uint64_t offset = 0;  // of the data, in the archive file
    uint64_t size = 0;
    TarEntryType type = TarEntryType::kRegular;
    std::string link_target;  // as the tar reader reports it
  };
  TarArchiveStore(std::shared_ptr<File> file, std::string name)
      : file_(std::move(file)), name_(std::move(name)) {}
  /// Follows links to a regular member; errors name |rel|.
  Result<const Member*> Resolve(std::string_view rel) const;

  std::shared_ptr<File> file_;
  std::string name_;
  std::map<std::string, Member, std::less<>> members_;  // key: path without leading '/'
};

}  // namespace whittle

#endif  // WHITTLE_IMAGE_TAR_ARCHIVE_STORE_H_
