// Test helper shared by the tar tests: reads a whole in-memory tar with
// TarReader and checks the byte-accounting invariant on the way.
#ifndef WHITTLE_TAR_TAR_TEST_UTIL_H_
#define WHITTLE_TAR_TAR_TEST_UTIL_H_

#include <string>
#include <vector>

#include "io/byte_source.h"
#include "tar/tar_reader.h"
#include "util/status.h"

namespace whittle {

struct TarListing {
  Status status;                 // first error, or ok
  std::vector<TarEntry> entries;  // members read before any error
  std::vector<std::string> warnings;
  uint64_t end_offset = 0;
  uint64_t total_size = 0;
};

/// Reads every member (and Finish()) from |data|. When the read succeeds it
/// also verifies that members tile the stream exactly: each header_offset is
/// the previous end_offset(), data_offset = header_offset + header_size, and
/// the end region reaches total_size == data.size().
inline TarListing ListTar(const std::string& data, const std::string& name = "t.tar") {
  TarListing out;
  auto src = MakeMemorySource(data, name);
  TarReader reader(src.get());
  while (true) {
    TarEntry e;
    Result<bool> r = reader.Next(&e);
    if (!r.has_value()) {
      out.status = r.error();
      out.warnings = reader.warnings();
      return out;
    }
    if (!*r) break;
    out.entries.push_back(e);
  }
  Result<uint64_t> end = reader.Finish();
  out.warnings = reader.warnings();
  if (!end.has_value()) {
    out.status = end.error();
    return out;
  }
  out.end_offset = *end;
  out.total_size = reader.total_size();
  return out;
}

/// Empty string when the listing tiles the stream of |size| bytes exactly;
/// otherwise what is wrong.
inline std::string CheckTiling(const TarListing& l, uint64_t size) {
  uint64_t at = 0;
  for (const TarEntry& e : l.entries) {
    if (e.header_offset != at) return "member " + e.path + " starts at " + std::to_string(e.header_offset) +
                                      ", expected " + std::to_string(at);
    if (e.data_offset != e.header_offset + e.header_size) return "member " + e.path + ": data_offset";
    if (e.header_size == 0 || e.header_size % 512 != 0) return "member " + e.path + ": header_size";
    if ((e.stored_size + e.padding) % 512 != 0 || e.padding >= 512) return "member " + e.path + ": padding";
    at = e.end_offset();
  }
  if (l.end_offset != at) return "end_offset " + std::to_string(l.end_offset) + " != " + std::to_string(at);
  if (l.total_size != size) return "total_size " + std::to_string(l.total_size) + " != " + std::to_string(size);
  return "";
}

}  // namespace whittle

#endif  // WHITTLE_TAR_TAR_TEST_UTIL_H_
