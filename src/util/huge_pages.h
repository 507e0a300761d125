// Transparent huge pages for the heap of a big scan.
//
// A scan of a large image builds its tables in fresh memory, and every 4 KiB
// page of it is faulted in on first touch. Where a fault is dear (a virtual
// machine: 25-45 us each, measured) that is most of the run: `whittle
// profile` of a layer of 1M files took 39,000 faults. Most kernels offer
// transparent huge pages only to memory that asks for them ("[madvise]" in
// /sys/kernel/mm/transparent_hugepage/enabled), and glibc's malloc asks only
// when told at start-up, by the tunable glibc.malloc.hugetlb=1 in
// GLIBC_TUNABLES; there is no call to tell it later. So a run that will
// scan a big local image re-executes itself once, at once, with the tunable
// set (execv of /proc/self/exe: the same pid, arguments, descriptors and
// nothing read or written yet). bench/README.md has the figures.
//
// WHITTLE_HUGE_PAGES=0 turns it off; the re-run carries
// WHITTLE_HUGE_PAGES=on, so it never re-executes again.
#ifndef WHITTLE_UTIL_HUGE_PAGES_H_
#define WHITTLE_UTIL_HUGE_PAGES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace whittle {

/// Local images at least this large are scanned on huge pages.
inline constexpr uint64_t kHugePagesMinImageBytes = 32ull << 20;

/// What the decision reads, so that it can be tested without a process.
struct HugePagesInputs {
  std::optional<std::string> glibc_tunables;  // GLIBC_TUNABLES
  std::optional<std::string> whittle_switch;  // WHITTLE_HUGE_PAGES
  std::string thp_enabled;                    // /sys/kernel/mm/transparent_hugepage/enabled
  bool secure = false;                        // AT_SECURE: the loader ignores tunables
  uint64_t image_bytes = 0;                   // LocalImageBytes of what will be scanned
};

/// The GLIBC_TUNABLES value to re-execute with, or nullopt to carry on as
/// is: the kernel offers huge pages on request only, glibc has not been
/// told (no glibc.malloc.hugetlb in |glibc_tunables|), the switch is unset,
/// not secure, and the image is at least kHugePagesMinImageBytes.
std::optional<std::string> HugePagesTunables(const HugePagesInputs& in);

/// The bytes of a local image: a regular file's size, or the sum of the
/// regular files under a directory (a layout; at most 100,000 files are
/// looked at). 0 for anything else (a registry, a daemon, stdin, a path
/// that does not exist).
uint64_t LocalImageBytes(std::string_view path);

/// Remembers main()'s argv for ReexecForHugePages. Not copied: argv lives
/// as long as the process.
void SetArgvForReexec(char** argv);

/// Re-executes this program with the huge-page tunable when
/// HugePagesTunables says so for an image of |image_bytes|. Returns only
/// when it does not (or when exec fails: then the environment is put back
/// and the run carries on without).
void ReexecForHugePages(uint64_t image_bytes);

}  // namespace whittle

#endif  // WHITTLE_UTIL_HUGE_PAGES_H_
