// TarReader: a streaming reader of tar archives over any ByteSource —
// ustar, GNU (long name 'L', long link 'K', sparse 'S'), PAX extended 'x'
// and global 'g' headers (path, linkpath, size, mtime, uid, gid, uname, gname,
// GNU.sparse.*).
// It never buffers member data: Next() skips the previous member's unread
// data through ByteSource::Skip (a seek on uncompressed files).
//
// Severity (STYLE.md §6): a bad header checksum, a truncated stream, an
// oversized or malformed extension record is an error (kCorrupt/kTooLarge,
// message "NAME: tar header at offset N: ..."); an unknown typeflag, a
// non-UTF-8 name or ".." in a name is a warning and the scan goes on.
#ifndef WHITTLE_TAR_TAR_READER_H_
#define WHITTLE_TAR_TAR_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/byte_source.h"
#include "tar/pax.h"
#include "tar/tar_entry.h"
#include "util/status.h"

namespace whittle {

class TarReader {
 public:
  /// |src| must outlive the reader. Offsets in entries are relative to
  /// src->position() at construction.
  explicit TarReader(ByteSource* src);
  TarReader(const TarReader&) = delete;
  TarReader& operator=(const TarReader&) = delete;

  /// Reads the next member's headers into |entry|. Returns true for a member,
  /// false at the end of the archive (two zero blocks, or a clean EOF at a
  /// member boundary, which GNU tar also accepts with a warning).
  Result<bool> Next(TarEntry* entry);

  /// Reads up to |n| bytes of the current member's data (for the few files
  /// a data source needs, e.g. /var/lib/dpkg/status). Returns 0 at the end of
  /// the member's data. Sparse members yield their stored bytes as is (for
  /// pax sparse 1.0 the map comes first); holes are not expanded.
  Result<size_t> ReadData(void* buf, size_t n);

  /// After Next() returned false: reads to the end of the stream and returns
  /// the offset where the end-of-archive region starts (== total bytes of
  /// all members); total_size() is then the stream's full length.
  Result<uint64_t> Finish();
  uint64_t end_offset() const { return end_offset_; }
  /// src->blob_position() where the end-of-archive region began (valid once
  /// Next() returned false): the compressed offset matching end_offset().
  uint64_t end_blob_offset() const { return end_blob_offset_; }
  uint64_t total_size() const { return total_size_; }

  /// Warnings collected so far ("NAME: offset N: unknown typeflag 'X'...").
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Adds a warning about a member found by the reader's caller (an image
  /// layer rule, e.g. a whiteout naming no file), worded, ordered and capped
  /// like the reader's own: "NAME: tar header at offset N: WHAT".
  /// |header_offset| is normally the entry's member_header_offset.
  void AddWarning(uint64_t header_offset, const std::string& what) { Warn(header_offset, what); }

  /// Caps on extension records read into memory (pax bodies, GNU long
  /// names). Larger ones are kTooLarge errors, never allocations.
  static constexpr uint64_t kMaxExtensionSize = 1 << 20;
  /// Member sizes above this (8 PiB) are kTooLarge: no real file is that
  /// big, and it keeps every offset sum far from overflow.
  static constexpr uint64_t kMaxMemberSize = uint64_t{1} << 53;
  /// At most this many warnings are kept; the rest are counted in one line.
  static constexpr size_t kMaxWarnings = 100;

 private:
  uint64_t Pos() const { return src_->position() - base_; }
  Result<bool> ReadMember(TarEntry* entry);
  // ReadMember's steps, in order (see tar_reader.cc). |block| is the
  // member's own header block, |hoff| its offset.
  Result<bool> ReadHeaderChain(char* block, uint64_t start, uint64_t blob, uint64_t* hoff);
  void SetNamesAndType(const char* block, uint64_t hoff, TarEntry* e, std::string_view* raw_name,
                       std::string_view* raw_link);
  Status ReadNumericFields(const char* block, uint64_t hoff, TarEntry* e, uint64_t* stored);
  Status ReadSparse(const char* block, uint64_t hoff, uint64_t stored, TarEntry* e);
  void NormalizeNames(std::string_view raw_name, std::string_view raw_link, uint64_t hoff, TarEntry* e);
  Status SetOffsets(uint64_t start, uint64_t hoff, uint64_t stored, uint64_t blob, TarEntry* e);
  /// The pax value in force for |f|: this member's 'x' record, unless it
  /// deleted the key, else the accumulated 'g' one; nullptr when neither.
  const PaxValues* Effective(PaxValues::Field f) const;
  /// Parses the numeric header field at |off|; kCorrupt naming it otherwise.
  Status ParseNumber(const char* block, uint64_t hoff, size_t off, size_t len, int64_t* out) const;
  Result<size_t> ReadUpTo(char* buf, size_t n);
  Status ReadExtensionBody(const char* block, uint64_t hoff, const char* what);
  Status SkipMemberRest();
  Status Corrupt(uint64_t hoff, const std::string& what) const;
  void Warn(uint64_t hoff, const std::string& what);

  ByteSource* src_;
  uint64_t base_;
  uint64_t data_left_ = 0;     // unread data bytes of the current member
  uint64_t padding_left_ = 0;  // its padding
  uint64_t member_offset_ = 0; // header_offset of the current member
  uint64_t member_end_ = 0;    // its end_offset()
  uint64_t end_offset_ = 0;
  uint64_t end_blob_offset_ = 0;
  uint64_t total_size_ = 0;
  bool done_ = false;
  bool finished_ = false;
  Status error_;  // sticky: once set, every call returns it
  std::vector<std::string> warnings_;
  uint64_t suppressed_warnings_ = 0;
  // pax 'x' values of the member being read, and the accumulated 'g' values
  // that apply to every later member.
  PaxValues pax_;
  PaxValues global_;
  std::string ext_buf_;    // body of the extension header being read (reused)
  std::string long_name_;  // GNU 'L'
  std::string long_link_;  // GNU 'K'
  bool has_long_name_ = false;  // an 'L' / 'K' header precedes the member being read
  bool has_long_link_ = false;
  std::string scratch_;    // raw name assembly (reused)
};

}  // namespace whittle

#endif  // WHITTLE_TAR_TAR_READER_H_
