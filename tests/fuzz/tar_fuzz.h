// The tar reader's fuzz invariants, shared by the libFuzzer target
// (tar_fuzz.cc: LLVMFuzzerTestOneInput traps on a violation) and its ctest
// replay (src/tar/tar_fuzz_replay_test.cc: asserts no violation, and that
// the checks catch doctored results). Test-only.
//
// What is checked, for every input (tests/README.md, "Fuzzing"):
//  - accounting: members tile the stream. The first header starts at 0,
//    each next one where the previous member ended; header_size is a
//    positive multiple of 512, data_offset = header_offset + header_size,
//    padding rounds the data up to 512. On a clean finish the members'
//    bytes plus the end region are exactly the input's length.
//  - bounds: every offset lies inside the input; a member whose data was
//    consumed ends inside it; ReadData returns the input's own bytes at
//    data_offset, and exactly stored_size of them.
//  - stability: a second parse of the same bytes, skipping every body and
//    fed in small odd-sized chunks, gives the same entries, warnings and
//    outcome (the error message included).
//  - errors: one non-empty line naming an offset inside the input.
#ifndef WHITTLE_TESTS_FUZZ_TAR_FUZZ_H_
#define WHITTLE_TESTS_FUZZ_TAR_FUZZ_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tar/tar_entry.h"

namespace whittle::fuzz {

/// Everything one pass of the tar reader reported.
struct TarParse {
  std::vector<TarEntry> entries;
  /// Per entry: the data bytes ReadData returned (empty in skip mode).
  std::vector<std::string> data;
  /// Per entry: whether the whole body was read (ReadData reached 0).
  std::vector<bool> data_complete;
  std::vector<std::string> warnings;
  bool ok = false;    // Next() reached the end and Finish() succeeded
  std::string error;  // the error message when !ok
  uint64_t end_offset = 0;
  uint64_t total_size = 0;
};

enum class TarReadMode {
  kReadBodies,   // one contiguous memory source; every body read in full
  kSkipChunked,  // bytes handed out in small odd chunks; every body skipped
};

/// Runs the tar reader over |input| the way |mode| says.
TarParse ParseTarForFuzz(std::string_view input, TarReadMode mode);

/// The invariants of one pass over |input| (the accounting, bounds, data
/// and error checks above). Returns "" when all hold, else the first
/// violation, as one line.
std::string CheckTarParse(std::string_view input, const TarParse& parse);

/// Both passes, each checked, and compared with each other (stability).
/// Returns "" or the first violation.
std::string CheckTarInput(std::string_view input);

}  // namespace whittle::fuzz

#endif  // WHITTLE_TESTS_FUZZ_TAR_FUZZ_H_
