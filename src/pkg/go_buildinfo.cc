#include "pkg/go_buildinfo.h"

#include <algorithm>
#include <cstring>

#include "util/strings.h"

namespace whittle::pkg {

namespace {

constexpr std::string_view kMagic("\xff Go buildinf:", 14);
constexpr size_t kHeaderSize = 32;
constexpr uint64_t kAlign = 16;

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1;
constexpr uint32_t kPfW = 2;

uint64_t ReadUint(const char* p, size_t n, bool big_endian) {
  uint64_t v = 0;
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  for (size_t i = 0; i < n; ++i) {
    size_t k = big_endian ? i : n - 1 - i;
    v = (v << 8) | u[k];
  }
  return v;
}

// Reads a LEB128 varint and that many bytes from |*s|; advances it.
bool ReadVarintString(std::string_view* s, std::string_view* out) {
  uint64_t len = 0;
  size_t i = 0;
  for (int shift = 0;; shift += 7) {
    if (i >= s->size() || shift > 63) return false;
    auto b = static_cast<unsigned char>((*s)[i++]);
    len |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) break;
  }
  if (len > kMaxGoModInfoBytes || len > s->size() - i) return false;
  *out = s->substr(i, static_cast<size_t>(len));
  s->remove_prefix(i + static_cast<size_t>(len));
  return true;
}

// Maps a virtual address to a file offset through the PT_LOAD segments.
bool VaddrToOffset(const ElfLayout& layout, uint64_t vaddr, uint64_t len, uint64_t* off) {
  for (const ElfSegment& s : layout.loads) {
    if (vaddr >= s.vaddr && vaddr - s.vaddr < s.filesz && len <= s.filesz - (vaddr - s.vaddr)) {
      *off = s.offset + (vaddr - s.vaddr);
      return true;
    }
  }
  return false;
}

// Strips the 16-byte sentinels around the module info (Go's rule).
std::string_view Unframe(std::string_view mod) {
  if (mod.size() >= 33 && mod[mod.size() - 17] == '\n') return mod.substr(16, mod.size() - 32);
  return {};
}

}  // namespace

Result<ElfLayout> ParseElfLayout(std::string_view head) {
  if (head.size() < 4 || head.substr(0, 4) != std::string_view("\x7f"
                                                               "ELF",
                                                               4)) {
    return Error(Errc::kNotFound, "not an ELF file");
  }
  if (head.size() < 52) return Error(Errc::kCorrupt, "ELF header: truncated");
  ElfLayout layout;
  auto cls = static_cast<unsigned char>(head[4]);
  auto data = static_cast<unsigned char>(head[5]);
  if ((cls != 1 && cls != 2) || (data != 1 && data != 2)) {
    return Error(Errc::kCorrupt, StrFormat("ELF header: offset 4: bad class %u or encoding %u", cls, data));
  }
  layout.is64 = cls == 2;
  layout.big_endian = data == 2;
  const bool be = layout.big_endian;
  uint64_t phoff;
  size_t phentsize, phnum;
  if (layout.is64) {
    if (head.size() < 64) return Error(Errc::kCorrupt, "ELF header: truncated");
    phoff = ReadUint(head.data() + 0x20, 8, be);
    phentsize = ReadUint(head.data() + 0x36, 2, be);
    phnum = ReadUint(head.data() + 0x38, 2, be);
  } else {
    phoff = ReadUint(head.data() + 0x1c, 4, be);
    phentsize = ReadUint(head.data() + 0x2a, 2, be);
    phnum = ReadUint(head.data() + 0x2c, 2, be);
  }
  const size_t want_ent = layout.is64 ? 56 : 32;
  if (phnum == 0) return layout;
  if (phentsize != want_ent) {
    return Error(Errc::kCorrupt, StrFormat("ELF header: program header size %zu, want %zu", phentsize, want_ent));
  }
  if (phoff > head.size() || phnum * phentsize > head.size() - phoff) {
    return Error(Errc::kCorrupt,
                 StrFormat("ELF header: %zu program headers at offset %llu lie beyond the %zu bytes read", phnum,
                           static_cast<unsigned long long>(phoff), head.size()));
  }
  for (size_t i = 0; i < phnum; ++i) {
    const char* p = head.data() + phoff + i * phentsize;
    if (ReadUint(p, 4, be) != kPtLoad) continue;
    ElfSegment s;
    uint64_t flags;
    if (layout.is64) {
      flags = ReadUint(p + 4, 4, be);
      s.offset = ReadUint(p + 8, 8, be);
      s.vaddr = ReadUint(p + 16, 8, be);
      s.filesz = ReadUint(p + 32, 8, be);
    } else {
      s.offset = ReadUint(p + 4, 4, be);
      s.vaddr = ReadUint(p + 8, 4, be);
      s.filesz = ReadUint(p + 16, 4, be);
      flags = ReadUint(p + 24, 4, be);
    }
    s.writable = (flags & kPfW) != 0;
    s.executable = (flags & kPfX) != 0;
    layout.loads.push_back(s);
  }
  return layout;
}

std::vector<FileRange> GoBuildInfoWindows(const ElfLayout& layout) {
  std::vector<FileRange> out;
  for (const ElfSegment& s : layout.loads) {
    if (s.writable && !s.executable && s.filesz > 0) {
      out.push_back(FileRange{s.offset, s.filesz < kGoBuildInfoWindowBytes ? s.filesz : kGoBuildInfoWindowBytes});
    }
  }
  std::sort(out.begin(), out.end(), [](const FileRange& a, const FileRange& b) { return a.offset < b.offset; });
  return out;
}

void ParseGoModInfo(std::string_view modinfo, GoBuildInfo* info) {
  for (std::string_view line : Split(modinfo, '\n')) {
    std::vector<std::string_view> f = Split(line, '\t');
    if (f.size() >= 2 && f[0] == "path" && info->path.empty()) info->path = std::string(f[1]);
    if (f.size() >= 2 && f[0] == "mod" && info->main_module.empty()) {
      info->main_module = std::string(f[1]);
      if (f.size() >= 3) info->main_version = std::string(f[2]);
    }
  }
}

Result<GoBuildInfo> ParseGoBuildInfo(std::string_view bytes, uint64_t bytes_offset, const ElfLayout& layout) {
  // Find the magic at a 16-byte-aligned file offset.
  size_t pos = 0;
  size_t at = std::string_view::npos;
  while (pos < bytes.size()) {
    size_t i = bytes.find(kMagic, pos);
    if (i == std::string_view::npos) break;
    if ((bytes_offset + i) % kAlign == 0) {
      at = i;
      break;
    }
    pos = i + 1;
  }
  if (at == std::string_view::npos) return Error(Errc::kNotFound, "no Go build info");
  const uint64_t blob_off = bytes_offset + at;
  std::string_view blob = bytes.substr(at);
  if (blob.size() < kHeaderSize) {
    return Error(Errc::kCorrupt,
                 StrFormat("go build info at %llu: truncated header", static_cast<unsigned long long>(blob_off)));
  }
  auto ptr_size = static_cast<unsigned char>(blob[14]);
  auto flags = static_cast<unsigned char>(blob[15]);
  std::string_view vers, mod;
  GoBuildInfo info;
  if (flags & 2) {
    std::string_view rest = blob.substr(kHeaderSize);
    if (!ReadVarintString(&rest, &vers) || !ReadVarintString(&rest, &mod)) {
      return Error(Errc::kCorrupt, StrFormat("go build info at %llu: string runs past the bytes read or over %llu",
                                             static_cast<unsigned long long>(blob_off),
                                             static_cast<unsigned long long>(kMaxGoModInfoBytes)));
    }
  } else {
    if (ptr_size != 4 && ptr_size != 8) {
      return Error(Errc::kCorrupt, StrFormat("go build info at %llu: pointer size %u",
                                             static_cast<unsigned long long>(blob_off), ptr_size));
    }
    const bool be = (flags & 1) != 0;
    // Reads a Go string header at virtual address |addr| and its bytes.
    auto read_string = [&](uint64_t addr, std::string_view* out) -> Status {
      uint64_t hdr_off, data_off;
      if (!VaddrToOffset(layout, addr, 2 * uint64_t{ptr_size}, &hdr_off) || hdr_off < bytes_offset ||
          hdr_off - bytes_offset > bytes.size() || bytes.size() - (hdr_off - bytes_offset) < 2 * size_t{ptr_size}) {
        return Error(Errc::kUnsupported, "pre-1.18 Go build info points outside the bytes read");
      }
      const char* h = bytes.data() + (hdr_off - bytes_offset);
      uint64_t data_addr = ReadUint(h, ptr_size, be);
      uint64_t len = ReadUint(h + ptr_size, ptr_size, be);
      if (len > kMaxGoModInfoBytes) return Error(Errc::kCorrupt, "Go build info string over the cap");
      if (len == 0) {
        *out = {};
        return Status::Ok();
      }
      if (!VaddrToOffset(layout, data_addr, len, &data_off) || data_off < bytes_offset ||
          data_off - bytes_offset > bytes.size() || bytes.size() - (data_off - bytes_offset) < len) {
        return Error(Errc::kUnsupported, "pre-1.18 Go build info points outside the bytes read");
      }
      *out = bytes.substr(static_cast<size_t>(data_off - bytes_offset), static_cast<size_t>(len));
      return Status::Ok();
    };
    uint64_t vers_addr = ReadUint(blob.data() + 16, ptr_size, be);
    uint64_t mod_addr = ReadUint(blob.data() + 16 + ptr_size, ptr_size, be);
    RETURN_IF_ERROR(read_string(vers_addr, &vers)
                        .WithPrefix(StrFormat("go build info at %llu", static_cast<unsigned long long>(blob_off))));
    RETURN_IF_ERROR(read_string(mod_addr, &mod)
                        .WithPrefix(StrFormat("go build info at %llu", static_cast<unsigned long long>(blob_off))));
  }
  if (vers.empty()) {
    return Error(Errc::kCorrupt,
                 StrFormat("go build info at %llu: empty Go version", static_cast<unsigned long long>(blob_off)));
  }
  info.go_version = std::string(vers);
  ParseGoModInfo(Unframe(mod), &info);
  return info;
}

}  // namespace whittle::pkg
