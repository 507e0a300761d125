// ByteSource: a forward-only stream of bytes, the one I/O seam every reader
// in whittle is written against (file ranges, decompressors, hashers, HTTP
// bodies later). Pipelines stack like libarchive's: source -> (hash) ->
// decompression filter -> tar reader (STYLE.md §8).
//
// Not a random-access file: containers that need random access (a docker
// save tar, an OCI layout directory) hand out one ByteSource per blob.
#ifndef WHITTLE_IO_BYTE_SOURCE_H_
#define WHITTLE_IO_BYTE_SOURCE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/status.h"

namespace whittle {

class ByteSource {
 public:
  virtual ~ByteSource() = default;

  /// Reads up to |n| bytes into |buf|. Returns the count read; 0 means end of
  /// stream. Errors are sticky: after one, every call returns it again.
  virtual Result<size_t> Read(void* buf, size_t n) = 0;

  /// Skips |n| bytes. Sources that can seek do so without reading; the
  /// default reads and discards. Skipping past the end is a kCorrupt error
  /// naming the offset.
  virtual Status Skip(uint64_t n);

  /// Bytes read or skipped so far.
  virtual uint64_t position() const = 0;

  /// Offset in the stored blob (the compressed bytes) that corresponds to
  /// position(). Equals position() for sources that do not transform bytes.
  /// Decompressors interpolate between the in/out counts of their last two
  /// inflate calls, so it is approximate mid-stream, monotonic, and exact at
  /// end of stream (docs/how-it-works.md, "BLOB attribution").
  virtual uint64_t blob_position() const { return position(); }

  /// Human name for messages, e.g. "app.tar:blobs/sha256/ab12...".
  virtual const std::string& name() const = 0;

  /// Zero-copy reading, for sources that already hold their bytes in memory
  /// (the background hasher's chunks, a memory source). ReadView returns a
  /// view of the next bytes, at most |max| of them, that stays valid until
  /// the next call of any method on this source; an empty view means end of
  /// stream. Call it only when has_read_view() is true (decompressors then
  /// decode straight from the view instead of copying into their buffer).
  virtual bool has_read_view() const { return false; }
  virtual Result<std::string_view> ReadView(size_t max);

  /// Positional access, for sources that have it (a range of a local file):
  /// a second reader of the same bytes starting at |offset| (a position of
  /// this stream), with a position of its own, usable on another thread
  /// while this one goes on. nullptr from sources without such access
  /// (pipes, decompressors, hashers, network bodies) and past the end.
  virtual std::unique_ptr<ByteSource> OpenAt(uint64_t /*offset*/) const { return nullptr; }
};

/// Reads exactly |n| bytes or fails with kCorrupt "NAME: unexpected end of
/// data at offset N (wanted M more bytes)".
Status ReadFull(ByteSource& src, void* buf, size_t n);

/// Reads to end of stream, discarding; returns bytes read.
Result<uint64_t> Drain(ByteSource& src);

/// Reads the whole stream into a string, failing with kTooLarge past |cap|
/// bytes (manifests, configs: untrusted sizes are capped before allocating).
Result<std::string> ReadAllCapped(ByteSource& src, size_t cap);

/// An in-memory source (tests, small blobs already read).
std::unique_ptr<ByteSource> MakeMemorySource(std::string data, std::string name);

}  // namespace whittle

#endif  // WHITTLE_IO_BYTE_SOURCE_H_
