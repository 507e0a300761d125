// tar_builder: writes tar streams into a std::string for tests — the
// project's own fixture builder for edge cases real producers never make.
// Test-only: link `whittle_testing` and #include "support/tar_builder.h";
// never linked into whittle itself.
//
//   using namespace whittle::testing;
//   std::string tar = BuildTar({Dir("etc/"), File("etc/passwd", "root:x:0:0\n"),
//                               Symlink("bin", "usr/bin"), Whiteout("usr/share", "doc"),
//                               Opaque("var/cache")},
//                              {.format = TarFormat::kGnu});
//
// Encoding follows the chosen format the way GNU tar does: long names use
// the ustar prefix when they fit, otherwise a GNU 'L'/'K' header (kGnu) or a
// pax path/linkpath record (kPax); numbers too big for octal become base-256
// (kGnu) or pax records (kPax). kUstar and kV7 abort on what they cannot
// express (a test bug, not an input error). Switches on TarMember make the
// deliberately broken variants (bad checksum, lying size fields, ...).
#ifndef WHITTLE_TESTS_SUPPORT_TAR_BUILDER_H_
#define WHITTLE_TESTS_SUPPORT_TAR_BUILDER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace whittle::testing {

enum class TarFormat {
  kPax,    // "ustar\0" "00" + pax 'x' records when needed (GNU tar --format=posix)
  kGnu,    // "ustar  \0", 'L'/'K' long names, base-256, old GNU sparse 'S'
  kUstar,  // strict POSIX ustar: names must fit name+prefix, octal numbers only
  kV7,     // no magic at all (7th edition)
};

using PaxRecords = std::vector<std::pair<std::string, std::string>>;

/// One member. Build with the helpers below, then adjust fields.
struct TarMember {
  std::string name;  // as stored: "a/b", "./etc/", "../escape" are all kept verbatim
  char typeflag = '0';
  std::string data;  // the member's stored bytes (for sparse: the data chunks, concatenated)
  std::string link;  // target for '1' hard links and '2' symlinks
  uint32_t mode = 0644;
  uint64_t uid = 0;
  uint64_t gid = 0;
  int64_t mtime = 1700000000;
  uint32_t devmajor = 0;
  uint32_t devminor = 0;

  /// Extra pax records for this member's 'x' header (written in any format;
  /// an 'x' header is emitted when this or the encoding needs one).
  PaxRecords pax;
  /// A pax global 'g' header written just before this member.
  PaxRecords pax_global;

  /// Sparse file: written as old GNU 'S' (kGnu) or GNU sparse 1.0 pax (kPax).
  /// |data| must be the concatenation of the map's chunks.
  bool sparse = false;
  uint64_t sparse_realsize = 0;
  std::vector<std::pair<uint64_t, uint64_t>> sparse_map;  // (offset, length)

  // Deliberate damage and odd encodings.
  bool base256 = false;       // size/uid/gid/mtime in base-256 even when octal fits
  bool bad_checksum = false;  // member header's checksum off by one
  std::optional<uint64_t> size_field;       // lie in the header's size field
  std::optional<uint64_t> pax_header_size;  // lie in the 'x' header's size field
  /// Called on the member's own header block before its checksum is computed
  /// (poke garbage into fields with a valid checksum).
  std::function<void(char* block)> patch_header;
};

TarMember File(std::string name, std::string data, uint32_t mode = 0644);
TarMember Dir(std::string name, uint32_t mode = 0755);
TarMember Symlink(std::string name, std::string target);
TarMember HardLink(std::string name, std::string target);
TarMember CharDevice(std::string name, uint32_t major, uint32_t minor);
TarMember BlockDevice(std::string name, uint32_t major, uint32_t minor);
TarMember Fifo(std::string name);
/// "dir/.wh.name": an overlay whiteout deleting dir/name (dir "" = root).
TarMember Whiteout(std::string_view dir, std::string_view name);
/// "dir/.wh..wh..opq": dir's lower-layer contents are hidden.
TarMember Opaque(std::string_view dir);
/// A sparse file of |realsize| bytes whose non-hole parts are |chunks|
/// (offset, bytes); holes read as zeros.
TarMember SparseFile(std::string name, uint64_t realsize, std::vector<std::pair<uint64_t, std::string>> chunks);

struct TarOptions {
  TarFormat format = TarFormat::kPax;
  int end_blocks = 2;       // zero blocks written after the last member
  size_t record_size = 0;   // pad the stream with zeros to a multiple (GNU tar: 10240); 0 = no padding
  size_t truncate_at = static_cast<size_t>(-1);  // cut the finished stream to this many bytes
};

/// The whole stream.
std::string BuildTar(const std::vector<TarMember>& members, const TarOptions& options = {});

/// One pax record "LEN key=value\n" with LEN computed.
std::string PaxRecord(std::string_view key, std::string_view value);

/// Sets the checksum field of a 512-byte block from its contents.
void SetTarChecksum(char* block);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_SUPPORT_TAR_BUILDER_H_
