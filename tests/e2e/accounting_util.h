// Independent cross-checks of whittle's numbers: re-derive each layer's blob
// size, tar size and file count with standard tools (GNU tar, gzip, zstd)
// and compare with `whittle history --json` and `whittle profile --json`.
#ifndef WHITTLE_TESTS_E2E_ACCOUNTING_UTIL_H_
#define WHITTLE_TESTS_E2E_ACCOUNTING_UTIL_H_

#include <string>

namespace whittle::testing {

enum class Container { kDockerArchive, kOciArchive, kOciDir, kDirTransport };

struct ImageCase {
  std::string name;       // for messages
  std::string reference;  // what whittle is given
  std::string path;       // archive file or directory
  Container container;
  std::string ref_name;   // OCI ref when the layout holds several images
};

/// Runs every check on |c| with gtest expectations:
///  - profile TOTAL (blob, tar) == sum of history layer sizes
///  - CSV leaves (-n 0 -d layers,files) sum to the same totals
///  - per layer: blob size == stored size of the blob, tar size == bytes of
///    the decompressed blob, files == regular+symlink+hardlink lines of
///    `tar -tv`, computed by the standard tools.
void CheckAccounting(const ImageCase& c);

}  // namespace whittle::testing

#endif  // WHITTLE_TESTS_E2E_ACCOUNTING_UTIL_H_
