// MemberReader: walks the members of one layer tar and hands out each
// member's raw header bytes (pax/GNU extension headers and the ustar block,
// exactly as stored) along with the parsed TarEntry, then its data on
// request. Copying the raw headers is how compact keeps a member exactly as
// the input wrote it (pax xattrs, long names, sparse maps) without a tar
// writer.
#ifndef WHITTLE_COMPACT_MEMBER_READER_H_
#define WHITTLE_COMPACT_MEMBER_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "io/byte_source.h"
#include "tar/tar_entry.h"
#include "tar/tar_reader.h"
#include "util/status.h"

namespace whittle {

class MemberReader {
 public:
  /// |tar| is the uncompressed tar stream, at its start.
  explicit MemberReader(std::unique_ptr<ByteSource> tar);
  ~MemberReader();
  MemberReader(const MemberReader&) = delete;
  MemberReader& operator=(const MemberReader&) = delete;

  /// Skips what is left of the current member and reads the next one.
  /// Returns false at the end of the archive.
  Result<bool> Next();
  const TarEntry& entry() const { return entry_; }
  /// The current member's header blocks as stored (entry().header_size bytes).
  std::string_view raw_headers() const { return raw_headers_; }
  /// Reads the current member's stored data (0 at its end).
  Result<size_t> ReadData(void* buf, size_t n);
  /// Reads to the end of the stream; returns the tar stream's length.
  Result<uint64_t> Finish();

 private:
  class Tee;
  std::unique_ptr<ByteSource> inner_;
  std::unique_ptr<Tee> tee_;
  std::unique_ptr<TarReader> reader_;
  TarEntry entry_;
  std::string raw_headers_;
};

/// The extended attributes a member's raw headers carry as pax records
/// (SCHILY.xattr.NAME / LIBARCHIVE.xattr.NAME), as "NAME=VALUE\n" lines
/// sorted by name; "" when none.
std::string XattrsFromRawHeaders(std::string_view raw);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_MEMBER_READER_H_
