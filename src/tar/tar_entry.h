// TarEntry: one member of a tar stream as the tar reader reports it, with the
// exact byte offsets whittle attributes (headers, data, padding). Plain struct.
//
//   header_offset                data_offset             data_offset+stored_size
//   |<- header_size: every header ->|<- stored_size: data ->|<- padding ->|
//   |   block of this member (pax 'x'/'g', GNU 'L'/'K' and  |             |
//   |   their bodies, then the ustar header)                |             |
//
// header_offset + header_size + stored_size + padding is the next member's
// header_offset. Every byte of the stream belongs to exactly one member or to
// the end-of-archive region (TarReader::end_offset()).
#ifndef WHITTLE_TAR_TAR_ENTRY_H_
#define WHITTLE_TAR_TAR_ENTRY_H_

#include <cstdint>
#include <string>

namespace whittle {

enum class TarEntryType : uint8_t {
  kRegular,      // '0', '\0', '7' (contiguous)
  kHardLink,     // '1'
  kSymlink,      // '2'
  kCharDevice,   // '3'
  kBlockDevice,  // '4'
  kDirectory,    // '5'
  kFifo,         // '6'
  kOther,        // unknown typeflag: reported as a warning, bytes still counted
};

struct TarEntry {
  /// Normalised absolute path ("./a//b/" -> "/a/b"); pax `path` and GNU 'L'
  /// long names applied. Names are reported as stored: what a ".wh." name
  /// means in an image layer is scan/whiteout.h's business.
  std::string path;
  /// Symlink target as stored (not normalised: it is relative to the link);
  /// hard-link target normalised like |path|. pax `linkpath`, GNU 'K' applied.
  std::string link_target;
  TarEntryType type = TarEntryType::kRegular;
  char typeflag = '0';  // raw typeflag byte

  uint32_t mode = 0;
  uint64_t uid = 0;
  uint64_t gid = 0;
  /// Owner names: pax `uname`/`gname`, else the ustar/GNU header fields;
  /// "" when absent (v7 headers have none).
  std::string uname;
  std::string gname;
  int64_t mtime = 0;  // seconds since the epoch (pax mtime truncated)

  /// Logical file size: the size `ls -l` would show. For sparse files the
  /// real size (pax GNU.sparse.realsize / GNU 'S' realsize); otherwise equal
  /// to stored_size for regular files and 0 for links and directories.
  uint64_t size = 0;
  /// Bytes of member data in the stream (what follows the header).
  uint64_t stored_size = 0;

  uint64_t header_offset = 0;  // first byte of this member's first header
  /// The member's own ustar header block (after any pax/GNU extension
  /// headers): the offset warnings and errors about the member name.
  uint64_t member_header_offset = 0;
  uint64_t header_size = 0;    // all header blocks + extension bodies, padded
  uint64_t data_offset = 0;    // header_offset + header_size
  uint64_t padding = 0;        // zero bytes after the data to the 512 boundary

  /// blob_position() of the source when this member's first header began:
  /// the approximate offset in the stored (compressed) blob.
  uint64_t blob_offset = 0;

  bool sparse = false;        // GNU 'S' or pax GNU.sparse.*
  bool path_escaped = false;  // the raw name had ".." climbing above "/"

  uint64_t end_offset() const { return data_offset + stored_size + padding; }
};

}  // namespace whittle

#endif  // WHITTLE_TAR_TAR_ENTRY_H_
