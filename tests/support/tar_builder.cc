#include "support/tar_builder.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace whittle::testing {
namespace {

constexpr size_t kBlock = 512;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "tar_builder: %s\n", what.c_str());
  std::abort();
}

size_t Pad(size_t n) { return (kBlock - n % kBlock) % kBlock; }

void AppendPadded(std::string* out, std::string_view data) {
  out->append(data);
  out->append(Pad(data.size()), '\0');
}

bool FitsOctal(int64_t v, size_t len) {
  if (v < 0) return false;
  // len-1 digits plus a terminating NUL.
  return (len - 1) >= 22 || static_cast<uint64_t>(v) < (uint64_t{1} << (3 * (len - 1)));
}

void PutOctal(char* f, size_t len, uint64_t v) {
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%0*llo", static_cast<int>(len - 1), static_cast<unsigned long long>(v));
  if (n < 0 || static_cast<size_t>(n) > len - 1) Die("octal value too wide for its field");
  std::memcpy(f, buf, static_cast<size_t>(n) + 1);  // digits and the NUL
}

void PutBase256(char* f, size_t len, int64_t v) {
  uint64_t u = static_cast<uint64_t>(v);
  for (size_t i = len; i-- > 1;) {
    f[i] = static_cast<char>(u & 0xff);
    u = static_cast<uint64_t>(static_cast<int64_t>(u) >> 8);  // arithmetic shift keeps the sign
  }
  f[0] = static_cast<char>(v < 0 ? 0xff : 0x80);
}

void PutString(char* f, size_t len, std::string_view s) {
  std::memcpy(f, s.data(), s.size() < len ? s.size() : len);
}

struct Block {
  char b[kBlock];
  Block() { std::memset(b, 0, kBlock); }
};

void SetMagic(char* b, TarFormat format) {
  switch (format) {
    case TarFormat::kPax:
    case TarFormat::kUstar: std::memcpy(b + 257, "ustar\0" "00", 8); break;
    case TarFormat::kGnu: std::memcpy(b + 257, "ustar  \0", 8); break;
    case TarFormat::kV7: break;
  }
}

// A simple extension header ('x', 'g', 'L', 'K') followed by its body.
void AppendExtension(std::string* out, TarFormat format, char type, std::string_view name, std::string_view body,
                     std::optional<uint64_t> size_lie) {
  Block h;
  PutString(h.b, 100, name);
  PutOctal(h.b + 100, 8, 0644);
  PutOctal(h.b + 108, 8, 0);
  PutOctal(h.b + 116, 8, 0);
  uint64_t size = size_lie ? *size_lie : body.size();
  if (FitsOctal(static_cast<int64_t>(size), 12) && size <= static_cast<uint64_t>(INT64_MAX)) {
    PutOctal(h.b + 124, 12, size);
  } else {
    PutBase256(h.b + 124, 12, static_cast<int64_t>(size));
  }
  PutOctal(h.b + 136, 12, 0);
  h.b[156] = type;
  SetMagic(h.b, format == TarFormat::kGnu ? TarFormat::kGnu : TarFormat::kPax);
  SetTarChecksum(h.b);
  out->append(h.b, kBlock);
  AppendPadded(out, body);
}

std::string Basename(std::string_view s) {
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  size_t slash = s.rfind('/');
  return std::string(slash == std::string_view::npos ? s : s.substr(slash + 1));
}

// Splits |name| into ustar prefix/name; false if it cannot fit.
bool SplitUstar(const std::string& name, std::string* prefix, std::string* rest) {
  if (name.size() <= 100) {
    prefix->clear();
    *rest = name;
    return true;
  }
  for (size_t i = name.size() - 1; i-- > 0;) {
    if (name[i] != '/') continue;
    if (i > 155) continue;
    if (name.size() - i - 1 > 100) return false;
    if (name.size() - i - 1 == 0) continue;
    *prefix = name.substr(0, i);
    *rest = name.substr(i + 1);
    return true;
  }
  return false;
}

void AppendMember(std::string* out, const TarMember& m, TarFormat format) {
  if (!m.pax_global.empty()) {
    std::string body;
    for (const auto& [k, v] : m.pax_global) body += PaxRecord(k, v);
    AppendExtension(out, format, 'g', "pax_global_header", body, std::nullopt);
  }
  PaxRecords pax = m.pax;
  std::string name = m.name;
  char typeflag = m.typeflag;
  std::string data = m.data;
  uint64_t realsize = 0;
  if (m.sparse) {
    if (format == TarFormat::kGnu) {
      typeflag = 'S';
    } else if (format == TarFormat::kPax) {
      std::string map = std::to_string(m.sparse_map.size()) + "\n";
      for (const auto& [off, len] : m.sparse_map) map += std::to_string(off) + "\n" + std::to_string(len) + "\n";
      map.append(Pad(map.size()), '\0');
      data = map + data;
      pax.insert(pax.begin(), {{"GNU.sparse.major", "1"},
                               {"GNU.sparse.minor", "0"},
                               {"GNU.sparse.name", m.name},
                               {"GNU.sparse.realsize", std::to_string(m.sparse_realsize)}});
      name = "GNUSparseFile.0/" + Basename(m.name);
    } else {
      Die("sparse members need kGnu or kPax: " + m.name);
    }
    realsize = m.sparse_realsize;
  }

  // Names.
  std::string prefix, short_name;
  bool need_long_name = false;
  if (format == TarFormat::kUstar || format == TarFormat::kPax) {
    if (!SplitUstar(name, &prefix, &short_name)) {
      if (format == TarFormat::kUstar) Die("name does not fit ustar: " + name);
      pax.push_back({"path", name});
      prefix.clear();
      short_name = name.substr(0, 100);
    }
  } else {
    short_name = name.substr(0, 100);
    if (name.size() > 100) {
      if (format == TarFormat::kV7) Die("name does not fit v7: " + name);
      need_long_name = true;
    }
  }
  bool need_long_link = false;
  if (m.link.size() > 100) {
    if (format == TarFormat::kGnu) {
      need_long_link = true;
    } else if (format == TarFormat::kPax) {
      pax.push_back({"linkpath", m.link});
    } else {
      Die("link target too long: " + m.link);
    }
  }

  // Numbers.
  uint64_t size = m.size_field ? *m.size_field : data.size();
  Block h;
  auto put_number = [&](size_t off, size_t len, int64_t v, const char* key) {
    if (!m.base256 && FitsOctal(v, len)) {
      PutOctal(h.b + off, len, static_cast<uint64_t>(v));
    } else if (m.base256 || format == TarFormat::kGnu) {
      PutBase256(h.b + off, len, v);
    } else if (format == TarFormat::kPax && key != nullptr) {
      pax.push_back({key, std::to_string(v)});
      PutOctal(h.b + off, len, 0);
    } else {
      Die(std::string("number does not fit the format: ") + (key ? key : "?"));
    }
  };
  put_number(100, 8, m.mode, nullptr);
  put_number(108, 8, static_cast<int64_t>(m.uid), "uid");
  put_number(116, 8, static_cast<int64_t>(m.gid), "gid");
  put_number(124, 12, static_cast<int64_t>(size), "size");
  put_number(136, 12, m.mtime, "mtime");
  PutString(h.b + 0, 100, short_name);
  h.b[156] = typeflag;
  PutString(h.b + 157, 100, m.link.substr(0, 100));
  SetMagic(h.b, format);
  if (format != TarFormat::kV7) {
    PutString(h.b + 265, 32, "root");
    PutString(h.b + 297, 32, "root");
    PutOctal(h.b + 329, 8, m.devmajor);
    PutOctal(h.b + 337, 8, m.devminor);
  }
  if (!prefix.empty()) PutString(h.b + 345, 155, prefix);

  // Old GNU sparse map: 4 entries in the header, 21 per extension block.
  std::vector<Block> sparse_ext;
  if (typeflag == 'S') {
    size_t n = m.sparse_map.size();
    for (size_t i = 0; i < n && i < 4; ++i) {
      PutOctal(h.b + 386 + 24 * i, 12, m.sparse_map[i].first);
      PutOctal(h.b + 386 + 24 * i + 12, 12, m.sparse_map[i].second);
    }
    PutOctal(h.b + 483, 12, realsize);
    for (size_t i = 4; i < n; i += 21) {
      Block x;
      for (size_t k = 0; k < 21 && i + k < n; ++k) {
        PutOctal(x.b + 24 * k, 12, m.sparse_map[i + k].first);
        PutOctal(x.b + 24 * k + 12, 12, m.sparse_map[i + k].second);
      }
      sparse_ext.push_back(x);
    }
    if (!sparse_ext.empty()) h.b[482] = 1;
    for (size_t i = 0; i + 1 < sparse_ext.size(); ++i) sparse_ext[i].b[504] = 1;
  }

  if (m.patch_header) m.patch_header(h.b);
  SetTarChecksum(h.b);
  if (m.bad_checksum) h.b[149] = static_cast<char>(h.b[149] == '7' ? '0' : h.b[149] + 1);

  // Emit: extensions, header, sparse blocks, data.
  if (need_long_link) AppendExtension(out, format, 'K', "././@LongLink", m.link + '\0', std::nullopt);
  if (need_long_name) AppendExtension(out, format, 'L', "././@LongLink", name + '\0', std::nullopt);
  if (!pax.empty() || m.pax_header_size) {
    std::string body;
    for (const auto& [k, v] : pax) body += PaxRecord(k, v);
    AppendExtension(out, format, 'x', ("PaxHeaders.0/" + Basename(name)).substr(0, 100), body, m.pax_header_size);
  }
  out->append(h.b, kBlock);
  for (const Block& x : sparse_ext) out->append(x.b, kBlock);
  AppendPadded(out, data);
}

TarMember Make(std::string name, char type) {
  TarMember m;
  m.name = std::move(name);
  m.typeflag = type;
  return m;
}

std::string JoinDir(std::string_view dir, std::string_view base) {
  std::string s(dir);
  if (!s.empty() && s.back() != '/') s.push_back('/');
  s.append(base);
  return s;
}

}  // namespace

TarMember File(std::string name, std::string data, uint32_t mode) {
  TarMember m = Make(std::move(name), '0');
  m.data = std::move(data);
  m.mode = mode;
  return m;
}
TarMember Dir(std::string name, uint32_t mode) {
  TarMember m = Make(std::move(name), '5');
  m.mode = mode;
  return m;
}
TarMember Symlink(std::string name, std::string target) {
  TarMember m = Make(std::move(name), '2');
  m.link = std::move(target);
  m.mode = 0777;
  return m;
}
TarMember HardLink(std::string name, std::string target) {
  TarMember m = Make(std::move(name), '1');
  m.link = std::move(target);
  return m;
}
TarMember CharDevice(std::string name, uint32_t major, uint32_t minor) {
  TarMember m = Make(std::move(name), '3');
  m.devmajor = major;
  m.devminor = minor;
  return m;
}
TarMember BlockDevice(std::string name, uint32_t major, uint32_t minor) {
  TarMember m = Make(std::move(name), '4');
  m.devmajor = major;
  m.devminor = minor;
  return m;
}
TarMember Fifo(std::string name) { return Make(std::move(name), '6'); }
TarMember Whiteout(std::string_view dir, std::string_view name) {
  return File(JoinDir(dir, std::string(".wh.") + std::string(name)), "", 0);
}
TarMember Opaque(std::string_view dir) { return File(JoinDir(dir, ".wh..wh..opq"), "", 0); }

TarMember SparseFile(std::string name, uint64_t realsize, std::vector<std::pair<uint64_t, std::string>> chunks) {
  TarMember m = Make(std::move(name), '0');
  m.sparse = true;
  m.sparse_realsize = realsize;
  for (auto& [off, bytes] : chunks) {
    m.sparse_map.push_back({off, bytes.size()});
    m.data += bytes;
  }
  return m;
}

std::string PaxRecord(std::string_view key, std::string_view value) {
  size_t body = 1 + key.size() + 1 + value.size() + 1;  // " key=value\n"
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) len = std::to_string(len).size() + body;
  std::string out = std::to_string(len);
  out += ' ';
  out += key;
  out += '=';
  out += value;
  out += '\n';
  return out;
}

void SetTarChecksum(char* block) {
  std::memset(block + 148, ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) sum += static_cast<unsigned char>(block[i]);
  std::snprintf(block + 148, 7, "%06o", sum);
  block[154] = '\0';
  block[155] = ' ';
}

std::string BuildTar(const std::vector<TarMember>& members, const TarOptions& options) {
  std::string out;
  for (const TarMember& m : members) AppendMember(&out, m, options.format);
  out.append(kBlock * static_cast<size_t>(options.end_blocks < 0 ? 0 : options.end_blocks), '\0');
  if (options.record_size > 0 && out.size() % options.record_size != 0) {
    out.append(options.record_size - out.size() % options.record_size, '\0');
  }
  if (options.truncate_at < out.size()) out.resize(options.truncate_at);
  return out;
}

}  // namespace whittle::testing
