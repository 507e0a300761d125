// Go build info: the module a Go binary was built from, as `go version -m`
// prints it, read from the binary's bytes so a static Go binary that no
// package database lists still gets a label (go:example.com/app).
//
// The Go linker writes a blob into the .go.buildinfo section, 16-byte
// aligned:
//
//   0   "\xff Go buildinf:"  (14-byte magic)
//   14  pointer size (4 or 8)
//   15  flags: bit 0 big-endian, bit 1 inline strings (Go >= 1.18)
//   16  Go < 1.18: two pointers (virtual addresses) to Go string headers
//       {data pointer, length}: runtime.buildVersion and runtime.modinfo
//   32  Go >= 1.18: two strings inline, each an unsigned varint (LEB128)
//       length and its bytes: the Go version, then the module info
//
// The module info is framed by 16 sentinel bytes on each side (kept when
// its byte len-17 is '\n') and holds tab-separated lines:
//   path  <main package path>
//   mod   <main module path>  <version>  [<sum>]
//   dep   <module>  <version>  <sum>          (and "=>" replacements, "build" settings)
//
// Where the blob is, without reading the whole binary: section headers sit
// at the end of the file, out of reach of a stream; program headers sit at
// its start. The blob is in a writable, non-executable PT_LOAD segment:
//
//   internal linking (Go's default)   first section of the data segment
//   -buildmode=pie                    first section of the second RW segment
//                                     (the first is .data.rel.ro, which holds
//                                     pclntab: megabytes in a large binary)
//   -linkmode=external (cgo)          after .init_array, .got and .data in
//                                     the RW segment (30 KiB in for a hello)
//
// (measured on go1.19 linux/amd64 builds; tests/data/pkg/go/.) So a caller
// reads the first kElfHeadBytes, asks ParseElfLayout + GoBuildInfoWindows
// for the file ranges to keep, at most kGoBuildInfoWindowBytes from the
// start of each writable segment, and hands each range to
// ParseGoBuildInfo. Go's own debug/buildinfo scans 64 KiB from the section
// (or segment) start; we allow more for external linking's larger .data.
// A 1.2 MB hello world's data segment starts 1.1 MB in; a 50 MB binary's
// around 25 MB in: the ranges' offsets, not their sizes, grow with the
// binary. A blob further in than the window is missed (kNotFound).
//
// Go < 1.18 stores pointers; their targets are usually in .rodata, before
// the window. ParseGoBuildInfo follows them only into the bytes it is
// given (pass the whole file, offset 0, to read such binaries).
#ifndef WHITTLE_PKG_GO_BUILDINFO_H_
#define WHITTLE_PKG_GO_BUILDINFO_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace whittle::pkg {

/// Bytes from the start of a file that ParseElfLayout needs (ELF header and
/// program headers; real binaries need under 1 KiB).
inline constexpr size_t kElfHeadBytes = 4096;
/// Bytes from the data segment's start scanned for the blob.
inline constexpr uint64_t kGoBuildInfoWindowBytes = 1ull << 20;
/// Cap on the module-info string (Kubernetes' is ~20 KiB).
inline constexpr uint64_t kMaxGoModInfoBytes = 1ull << 20;

struct ElfSegment {
  uint64_t vaddr = 0;
  uint64_t offset = 0;  // in the file
  uint64_t filesz = 0;
  bool writable = false;
  bool executable = false;
};

struct ElfLayout {
  bool big_endian = false;
  bool is64 = false;
  std::vector<ElfSegment> loads;  // PT_LOAD segments in header order
};

/// Reads the ELF header and PT_LOAD program headers from the first bytes of
/// a file. Errors: kNotFound when |head| does not start with the ELF magic
/// (not an ELF file: the normal case for most files), kCorrupt for a bad
/// class/encoding, program headers not within |head|, or a bad entry size.
Result<ElfLayout> ParseElfLayout(std::string_view head);

struct FileRange {
  uint64_t offset = 0;
  uint64_t size = 0;  // 0: nothing to read
};

/// The file ranges to hand to ParseGoBuildInfo, in file order: up to
/// kGoBuildInfoWindowBytes from the start of each writable, non-executable
/// PT_LOAD segment (empty when there is none).
std::vector<FileRange> GoBuildInfoWindows(const ElfLayout& layout);

struct GoBuildInfo {
  std::string go_version;    // "go1.19.8"
  std::string path;          // main package path ("example.com/app/cmd/app")
  std::string main_module;   // "example.com/app", "" when built outside a module
  std::string main_version;  // "(devel)", "v1.2.3", ""
  /// The label name: main_module, else path.
  const std::string& module_label() const { return main_module.empty() ? path : main_module; }
};

/// Finds and decodes the build-info blob in |bytes|, the file's bytes from
/// |bytes_offset| on. The magic is searched at 16-byte-aligned file
/// offsets. Errors: kNotFound when there is no blob (not a Go binary, or
/// the window missed it); kUnsupported for a pre-1.18 blob whose pointers
/// lead outside |bytes|; kCorrupt for a truncated blob, a bad pointer size,
/// a varint or string running past |bytes| or over kMaxGoModInfoBytes, or
/// an empty Go version.
Result<GoBuildInfo> ParseGoBuildInfo(std::string_view bytes, uint64_t bytes_offset, const ElfLayout& layout);

/// Parses the module-info text (already unframed) into |info|'s path,
/// main_module and main_version; unknown lines are skipped.
void ParseGoModInfo(std::string_view modinfo, GoBuildInfo* info);

}  // namespace whittle::pkg

#endif  // WHITTLE_PKG_GO_BUILDINFO_H_
