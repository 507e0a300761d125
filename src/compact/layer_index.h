// LayerIndex: one full read of a layer tar, keeping per member what compact
// needs to decide its fate and to rebuild the final filesystem: path, type,
// whiteout meaning, mode/owner, link target, xattrs and a SHA-256 of the
// data. Memory grows with the number of members (plus the raw headers of
// whiteouts, which the squashed layer re-emits), never with file sizes.
#ifndef WHITTLE_COMPACT_LAYER_INDEX_H_
#define WHITTLE_COMPACT_LAYER_INDEX_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "io/byte_source.h"
#include "scan/whiteout.h"
#include "tar/tar_entry.h"
#include "util/status.h"

namespace whittle {

struct MemberRecord {
  std::string path;                   // normalised, absolute
  std::string link_target;            // symlink target as stored; hard link normalised
  std::string xattrs;                 // XattrsFromRawHeaders
  std::string raw_headers;            // as stored; whiteouts, opaque markers and directories only
  std::string whiteout_target;        // kFile: deleted path; kOpaque: the directory
  std::array<uint8_t, 32> content{};  // SHA-256 of the stored data (regular files)
  TarEntryType type = TarEntryType::kRegular;
  WhiteoutKind whiteout = WhiteoutKind::kNone;
  uint32_t mode = 0;
  uint64_t uid = 0, gid = 0;
  uint64_t size = 0;       // logical size
  uint64_t tar_bytes = 0;  // header + data + padding in the tar
  bool is_whiteout() const { return whiteout == WhiteoutKind::kFile || whiteout == WhiteoutKind::kOpaque; }
};

struct LayerIndex {
  std::vector<MemberRecord> members;  // tar order
  uint64_t tar_size = 0;              // whole uncompressed stream
  uint64_t blob_size = 0;             // stored bytes
  std::string blob_digest;            // computed over the stored bytes
};

/// Reads |blob| (stored bytes, compressed per |compression|) to the end,
/// or stops with an "interrupted" error once InterruptSignal() is set
/// (util/interrupt.h; compact runs under CooperativeInterrupts),
/// hashing the stored bytes (checked against |expected_digest| when set)
/// and every regular file's data.
Result<LayerIndex> IndexLayer(std::unique_ptr<ByteSource> blob, int compression, const std::string& expected_digest,
                              int64_t expected_size);

}  // namespace whittle

#endif  // WHITTLE_COMPACT_LAYER_INDEX_H_
