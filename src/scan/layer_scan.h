// LayerScan / ImageScan: what one pass over an image's layer tars leaves
// behind. The scanner streams each layer blob (hash -> decompress -> tar),
// one task per layer in parallel, and keeps a compact record per tar member;
// every report (history, profile, waste, diff...) is computed from this
// without touching the blobs again.
//
// Memory: one LayerEntry (48 bytes) per member plus each distinct path once
// in the shared PathInterner and each distinct owner once per layer; never
// the file data.
#ifndef WHITTLE_SCAN_LAYER_SCAN_H_
#define WHITTLE_SCAN_LAYER_SCAN_H_

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "image/image.h"
#include "scan/body_capture.h"
#include "tar/tar_entry.h"
#include "util/big_array.h"
#include "util/interner.h"
#include "util/status.h"

namespace whittle {

enum class EntryKind : uint8_t {
  kFile,      // regular file
  kDir,
  kSymlink,
  kHardLink,
  kDevice,    // char or block device
  kFifo,
  kWhiteout,  // ".wh.NAME"
  kOpaque,    // ".wh..wh..opq"
  kOther,
};

class BackgroundCapture;  // scan/background_capture.h

/// Who owns a member: the numeric ids and, when the tar header carries
/// them, the user and group names. Each layer keeps its distinct owners once
/// (LayerScan::owners); a member stores a 16-bit index into that table.
struct EntryOwner {
  uint64_t uid = 0;
  uint64_t gid = 0;
  std::string uname;  // "" when the header names none
  std::string gname;
  bool operator==(const EntryOwner&) const = default;
};
/// LayerEntry::owner when the owner is not kept: the layer already holds
/// kNoOwner distinct owners (only hostile archives get there).
inline constexpr uint16_t kNoOwner = 0xffff;
/// Owner names longer than this are cut (ustar fields hold 32 bytes; pax
/// values are unbounded).
inline constexpr size_t kMaxOwnerName = 64;

struct LayerEntry {
  PathId path = kNoPath;    // the member's own normalised path ("/a/.wh.b" for a whiteout)
  PathId target = kNoPath;  // kHardLink/kSymlink: link target; kWhiteout: deleted path;
                            // kOpaque: the opaque directory; else kNoPath
  EntryKind kind = EntryKind::kOther;
  uint32_t mode = 0;
  uint64_t size = 0;          // logical content size (TarEntry::size)
  uint64_t stored_size = 0;   // data bytes in the tar
  uint32_t header_bytes = 0;  // all header blocks of the member
  uint16_t padding = 0;       // < 512
  uint16_t owner = kNoOwner;  // index into LayerScan::owners (fills what was padding)
  uint64_t blob_bytes = 0;    // compressed bytes attributed to the whole member
  uint64_t tar_bytes() const { return header_bytes + stored_size + padding; }
};
// The owner index lives in what was alignment padding: a member still costs
// 48 bytes (docs/architecture.md, memory budget).
static_assert(sizeof(LayerEntry) <= 48, "LayerEntry grew: check the bytes-per-entry budget");

struct LayerScan {
  size_t index = 0;            // 0-based, manifest order
  uint64_t blob_size = 0;      // stored (compressed) bytes of the blob
  uint64_t tar_size = 0;       // bytes of the uncompressed tar stream
  uint64_t content_size = 0;   // sum of LayerEntry::size: `docker history` SIZE
  uint64_t files = 0;          // regular files, symlinks, hard links
  /// The region after the last member: the two zero blocks, record padding
  /// and anything else up to the end of the tar stream.
  uint64_t end_tar_bytes = 0;
  /// Compressed bytes not attributed to any member: compression headers and
  /// trailers after the last member's boundary (always >= 0; exact in sum).
  uint64_t end_blob_bytes = 0;
  std::string blob_digest;     // computed digest of the stored bytes ("" if not read)
  std::string diff_id;         // computed digest of the tar stream ("" unless verified)
  BigVector<LayerEntry> entries;  // tar order; on huge pages (util/big_array.h)
  /// The distinct owners of |entries|, first-seen order (LayerEntry::owner).
  std::vector<EntryOwner> owners;
  /// The owner of |e| (a member of this layer), or null when not kept.
  const EntryOwner* owner(const LayerEntry& e) const {
    return e.owner < owners.size() ? &owners[e.owner] : nullptr;
  }
  std::vector<std::string> warnings;  // oddities that leave the accounting intact
  /// SHA-256 of each member's stored data, parallel to |entries|; only
  /// filled when ScanOptions::hash_contents is set (empty otherwise).
  /// All zero for members without data.
  std::vector<std::array<uint8_t, 32>> content_hashes;
  /// Bodies the scan's CaptureRules asked for, in tar order (see
  /// scan/body_capture.h); empty when no rule was given.
  std::vector<CapturedBody> captured;
  /// ScanOptions::defer_capture: the bodies the rules want, queued by offset
  /// and not yet read (|captured| is then empty); ReadDeferred() reads them
  /// (scan/background_capture.h), CapturedBodies() gives whichever holds
  /// them. Null when the scan read its bodies. Copies share the queue.
  std::shared_ptr<BackgroundCapture> deferred_bodies;
};

/// The bodies of |layer|: |captured|, or those its deferred capture read
/// (none before it is read).
const std::vector<CapturedBody>& CapturedBodies(const LayerScan& layer);

struct ScanOptions {
  bool verify = false;   // hash uncompressed local layers too; check diff_ids
  /// Read and hash every regular file's data (duplicate detection). Costs a
  /// full read of uncompressed layers, which are otherwise skipped.
  bool hash_contents = false;
  unsigned threads = 0;  // 0 = hardware concurrency
  /// Member bodies to hand to data sources during the pass; not owned, may
  /// be null. Must outlive ScanImage.
  const CaptureRules* capture = nullptr;
  /// The caller reads only each layer's totals (blob_size, tar_size,
  /// content_size, files, end bytes, warnings): a layer the cache holds may
  /// then come back without its entries, owners, hashes or captured bodies
  /// (`history`, which needs no more, skips decoding them). A layer read
  /// from its blob is always whole.
  bool totals_only = false;
  /// With |capture|: an uncompressed layer read from a file (a stream with
  /// positional access, not hashed) queues the bodies the rules want and
  /// reads none during the scan (LayerScan::deferred_bodies): for a caller
  /// that needs them only later. Such a layer is not offered to the cache
  /// by the scan: StoreDeferredLayers() does, once its bodies are read.
  bool defer_capture = false;
  /// Called from worker threads after each layer finishes (progress).
  std::function<void(size_t layers_done, size_t layers_total)> progress;
};

struct ImageScan {
  std::vector<LayerScan> layers;  // manifest order
  std::unique_ptr<PathInterner> paths = std::make_unique<PathInterner>();
};

/// Scans every layer of |image|. Fails on the first fatal error (corrupt
/// tar, truncated stream, digest mismatch) with a message naming the blob and
/// offset; which error wins when several layers fail is the lowest layer index.
Result<ImageScan> ScanImage(Image& image, const ScanOptions& options);

/// Scans layer |index| of |image| (read through image.blobs) into |out|, as
/// ScanImage does for each layer.
Status ScanImageLayer(Image& image, size_t index, const ScanOptions& options, PathInterner& paths,
                      LayerScan* out);

/// Scans a layer blob met in a stream before any manifest names it (a
/// member of a piped docker save): |raw| holds |stored| bytes compressed
/// with |compression|. Always hashes the stored bytes into |blob_digest|,
/// and the tar stream into |diff_digest| when options.verify; nothing is
/// checked yet. AdoptStreamedScan() finishes the job once the layer is known.
Status ScanStreamedBlob(std::unique_ptr<ByteSource> raw, uint64_t stored, Compression compression,
                        const ScanOptions& options, PathInterner& paths, LayerScan* out, std::string* blob_digest,
                        std::string* diff_digest);

/// Makes |out| (from ScanStreamedBlob, with the digests it computed) the scan
/// of |layer| at |index|: checks the digest and size the manifest gives
/// (and the diff_id when |verify|), kDigestMismatch naming the blob
/// otherwise, and sets blob_digest / diff_id exactly as a ScanImage of the
/// same blob from a file would.
Status AdoptStreamedScan(const LayerRef& layer, size_t index, bool verify, const std::string& blob_digest,
                         const std::string& diff_digest, LayerScan* out);

/// Scans one layer stream (already decompressed view) into |out|; exposed
/// for tests and for streaming sources.
Status ScanLayerTar(ByteSource& tar_stream, PathInterner& paths, LayerScan* out,
                    bool hash_contents = false, const CaptureRules* capture = nullptr,
                    bool defer_capture = false);

}  // namespace whittle

#endif  // WHITTLE_SCAN_LAYER_SCAN_H_
