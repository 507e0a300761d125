// Transparent huge pages for the heap of a big scan, on request
// (WHITTLE_HUGE_PAGES=1).
//
// A scan builds its tables in fresh memory, and every 4 KiB page of it is
// faulted in on first touch. Where a fault is dear (a virtual machine: 25-45
// us each, measured) that is most of a scan of many files: `whittle profile`
// of a layer of 1M files took 39,000 faults. Most kernels give transparent
// huge pages only to memory that asks for them ("[madvise]" in
// /sys/kernel/mm/transparent_hugepage/enabled), and glibc's malloc asks
// only when told at start-up, by the tunable glibc.malloc.hugetlb=1 in
// GLIBC_TUNABLES; there is no call to tell it later. So with
// WHITTLE_HUGE_PAGES=1 a run about to read big layers of a local image from
// their blobs (the cache did not answer them) re-executes itself once, with
// the tunable set: execv of /proc/self/exe, the same pid, arguments and
// descriptors, before any layer is read or anything printed
// (ScanOptions::before_reading, set by cli/image_loader.cc).
//
// Not by default: the second start costs 10-20 ms (its own page faults),
// and the gain comes with the number of entries, which is not known before
// the layers are read: a 1 GB layer of 30,000 files ran 6-17% slower, one of
// 300,000-1,000,000 files 30-40% faster (bench/README.md).
//
// The re-run carries WHITTLE_HUGE_PAGES=on (or =held, below), so it never
// re-executes again.
//
// SIGINT and SIGTERM are blocked across the exec (a mask survives execve,
// and so does a pending signal): a Ctrl-C while the re-run starts is then
// delivered to its handler once ReleaseSignalsHeldForReexec() unblocks
// them, and ends the run as any interrupt does (one line, exit 130), not
// silently by the default action.
#ifndef WHITTLE_UTIL_HUGE_PAGES_H_
#define WHITTLE_UTIL_HUGE_PAGES_H_

#include <cstdint>
#include <optional>
#include <string>

namespace whittle {

/// Layers of at least this many stored bytes are read on huge pages.
inline constexpr uint64_t kHugePagesMinImageBytes = 32ull << 20;

/// What the decision reads, so that it can be tested without a process.
struct HugePagesInputs {
  std::optional<std::string> glibc_tunables;  // GLIBC_TUNABLES
  std::optional<std::string> whittle_switch;  // WHITTLE_HUGE_PAGES
  std::string thp_enabled;                    // /sys/kernel/mm/transparent_hugepage/enabled
  bool secure = false;                        // AT_SECURE: the loader ignores tunables
  uint64_t image_bytes = 0;                   // stored bytes of the layers to read
};

/// The GLIBC_TUNABLES value to re-execute with, or nullopt to carry on as
/// is: the switch is "1", the kernel offers huge pages on request only,
/// glibc has not been told (no glibc.malloc.hugetlb in |glibc_tunables|),
/// not secure, and the layers to read are at least kHugePagesMinImageBytes.
std::optional<std::string> HugePagesTunables(const HugePagesInputs& in);

/// Remembers main()'s argv for ReexecForHugePages. Not copied: argv lives
/// as long as the process.
void SetArgvForReexec(char** argv);

/// Re-executes this program with the huge-page tunable when
/// HugePagesTunables says so for an image of |image_bytes|. Returns only
/// when it does not (or when exec fails: then the environment is put back
/// and the run carries on without).
void ReexecForHugePages(uint64_t image_bytes);

/// In a re-run whose SIGINT and SIGTERM ReexecForHugePages blocked
/// (WHITTLE_HUGE_PAGES=held): unblocks them, so a pending one is delivered
/// now. Call once the interrupt handlers are installed. Otherwise nothing.
void ReleaseSignalsHeldForReexec();

}  // namespace whittle

#endif  // WHITTLE_UTIL_HUGE_PAGES_H_
