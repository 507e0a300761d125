// The byte encoding of one LayerScan in the layer cache: everything a fresh
// scan leaves for the reports (sizes, entries with their paths and blob
// bytes and owners, content hashes, captured bodies, warnings), compact, and checked
// whole on the way back. Not the digests and index: those follow from the
// layer and the options (scan/layer_cache.h SetUnverifiedDigests).
//
//   "WLSC" u8 version
//   varint blob_size tar_size content_size files end_tar_bytes end_blob_bytes
//   varint n_paths, per path: varint shared-prefix-with-previous, varint n, n bytes
//   varint n_entries, per entry: u8 kind, varint path, varint target+1 (0: none),
//          varint mode size stored_size header_bytes padding blob_bytes,
//          varint owner+1 (0: not kept)
//   varint n_owners, per owner: varint uid gid, varint n, n bytes (uname),
//          varint n, n bytes (gname)
//   u8 hashed, then n_entries x 32 bytes when 1
//   varint n_captured, per body: varint entry, varint rule, varint n, n bytes
//   varint n_warnings, per warning: u8 relative, varint n, n bytes
//   32 bytes: SHA-256 of everything before
//
// Paths are a table in order of first use, each sharing a prefix with the one
// before (a layer lists a directory's members together), so a path costs a
// few bytes. A warning that began with the blob's location is stored
// without it ("relative") and gets the location of the layer it is decoded
// for, so a layer shared by two images names the right file.
//
// Decoding treats the bytes as untrusted input (the cache file is a file on
// disk anyone may have scribbled on): the checksum first, then every length
// and index bounds-checked, then the scan's own invariants (every TAR and
// BLOB byte accounted for exactly once). Nothing is interned before all of
// it passed, so a rejected value leaves |paths| untouched.
#ifndef WHITTLE_CACHE_LAYER_CODEC_H_
#define WHITTLE_CACHE_LAYER_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "scan/layer_scan.h"
#include "util/interner.h"
#include "util/status.h"

namespace whittle {

/// Version byte of the encoding; a value with another is refused.
inline constexpr uint8_t kLayerCodecVersion = 2;  // 2: owners (explore's details line)

/// Encodes |scan|, whose path ids are in |paths|. |location| is the blob's
/// location (LayerRef::blob.location) that warnings may start with.
std::string EncodeLayerScan(const LayerScan& scan, const PathInterner& paths, std::string_view location);

/// Decodes |bytes| into |out| (interning its paths into |paths|), for the
/// blob at |location|. Captured bodies must name a rule below |rule_count|.
/// Errors: kCorrupt with "offset N: what" for any checksum, bounds or
/// invariant failure; |out| and |paths| are then untouched.
Status DecodeLayerScan(std::string_view bytes, std::string_view location, size_t rule_count, PathInterner& paths,
                       LayerScan* out);

/// DecodeLayerScan for a caller that reads only the totals (blob_size,
/// tar_size, content_size, files, end bytes) and warnings: every field is
/// read and checked the same way, but entries, owners, content hashes and
/// captured bodies are left empty and no path is interned.
Status DecodeLayerTotals(std::string_view bytes, std::string_view location, LayerScan* out);

}  // namespace whittle

#endif  // WHITTLE_CACHE_LAYER_CODEC_H_
