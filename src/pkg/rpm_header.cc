#include "pkg/rpm_header.h"

#include <cstdint>
#include <string>
#include <vector>

#include "util/strings.h"

namespace whittle::pkg {

namespace {

constexpr uint32_t kTagName = 1000;
constexpr uint32_t kTagVersion = 1001;
constexpr uint32_t kTagRelease = 1002;
constexpr uint32_t kTagArch = 1022;
constexpr uint32_t kTagOldFilenames = 1027;
constexpr uint32_t kTagDirIndexes = 1116;
constexpr uint32_t kTagBasenames = 1117;
constexpr uint32_t kTagDirnames = 1118;

constexpr uint32_t kTypeInt32 = 4;
constexpr uint32_t kTypeString = 6;
constexpr uint32_t kTypeStringArray = 8;
constexpr uint32_t kTypeI18nString = 9;

uint32_t Be32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}

struct Entry {
  uint32_t tag = 0, type = 0, offset = 0, count = 0;
  size_t index = 0;
};

class HeaderReader {
 public:
  HeaderReader(std::string_view store, size_t store_offset, std::string where)
      : store_(store), store_offset_(store_offset), where_(std::move(where)) {}

  Status Fail(const Entry& e, const char* what) const {
    return Error(Errc::kCorrupt, StrFormat("%s: offset %zu: tag %u: %s", where_.c_str(),
                                           store_offset_ + static_cast<size_t>(e.offset), e.tag, what));
  }

  // Reads |e.count| NUL-terminated strings starting at e.offset.
  Status Strings(const Entry& e, std::vector<std::string_view>* out) const {
    if (e.type != kTypeString && e.type != kTypeStringArray && e.type != kTypeI18nString) {
      return Fail(e, "expected a string type");
    }
    if (e.type == kTypeString && e.count != 1) return Fail(e, "STRING with count != 1");
    // Each string takes at least one byte (its NUL): a count above the
    // store size cannot be satisfied.
    if (e.count > store_.size()) return Fail(e, "count exceeds the data store");
    size_t pos = e.offset;
    out->clear();
    out->reserve(e.count);
    for (uint32_t i = 0; i < e.count; ++i) {
      if (pos >= store_.size()) return Fail(e, "string runs past the data store");
      size_t nul = store_.find('\0', pos);
      if (nul == std::string_view::npos) return Fail(e, "unterminated string");
      out->push_back(store_.substr(pos, nul - pos));
      pos = nul + 1;
    }
    return Status::Ok();
  }

  Status String(const Entry& e, std::string* out) const {
    std::vector<std::string_view> v;
    RETURN_IF_ERROR(Strings(e, &v));
    if (v.empty()) return Fail(e, "empty string list");
    *out = std::string(v[0]);  // I18NSTRING: the first (default locale) one
    return Status::Ok();
  }

  Status Int32s(const Entry& e, std::vector<uint32_t>* out) const {
    if (e.type != kTypeInt32) return Fail(e, "expected INT32");
    uint64_t end = uint64_t{e.offset} + uint64_t{e.count} * 4;
    if (end > store_.size()) return Fail(e, "INT32 array runs past the data store");
    out->resize(e.count);
    for (uint32_t i = 0; i < e.count; ++i) (*out)[i] = Be32(store_.data() + e.offset + 4 * size_t{i});
    return Status::Ok();
  }

 private:
  std::string_view store_;
  size_t store_offset_;
  std::string where_;
};

}  // namespace

Result<Package> ParseRpmHeader(std::string_view blob, std::string_view where_view) {
  const std::string where(where_view);
  if (blob.size() < 8) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: offset 0: header of %zu bytes, need at least 8", where.c_str(), blob.size()));
  }
  uint32_t il = Be32(blob.data());
  uint32_t dl = Be32(blob.data() + 4);
  if (il == 0 || il > kRpmMaxIndexEntries) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: offset 0: %u index entries (want 1..%u)", where.c_str(), il, kRpmMaxIndexEntries));
  }
  if (dl > kRpmMaxDataBytes) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: offset 4: data store of %u bytes (cap %u)", where.c_str(), dl, kRpmMaxDataBytes));
  }
  uint64_t store_offset = 8 + uint64_t{il} * 16;
  uint64_t need = store_offset + dl;
  if (need != blob.size()) {
    return Error(Errc::kCorrupt, StrFormat("%s: offset 0: index %u x 16 + store %u needs %llu bytes, blob has %zu",
                                           where.c_str(), il, dl, static_cast<unsigned long long>(need), blob.size()));
  }
  HeaderReader r(blob.substr(store_offset), store_offset, where);

  Entry name, version, release, arch, old_names, dir_indexes, basenames, dirnames;
  for (uint32_t i = 0; i < il; ++i) {
    const char* p = blob.data() + 8 + size_t{i} * 16;
    Entry e{Be32(p), Be32(p + 4), Be32(p + 8), Be32(p + 12), i};
    if (e.offset >= dl && e.count != 0) {
      // Region trailers of immutable headers also point inside the store;
      // any entry pointing past it is damage.
      return Error(Errc::kCorrupt, StrFormat("%s: offset %zu: entry %u (tag %u) points past the %u-byte store",
                                             where.c_str(), static_cast<size_t>(8 + size_t{i} * 16), i, e.tag, dl));
    }
    switch (e.tag) {
      case kTagName:
        name = e;
        break;
      case kTagVersion:
        version = e;
        break;
      case kTagRelease:
        release = e;
        break;
      case kTagArch:
        arch = e;
        break;
      case kTagOldFilenames:
        old_names = e;
        break;
      case kTagDirIndexes:
        dir_indexes = e;
        break;
      case kTagBasenames:
        basenames = e;
        break;
      case kTagDirnames:
        dirnames = e;
        break;
      default:
        break;
    }
  }
  Package pkg;
  if (name.tag == 0) return Error(Errc::kCorrupt, StrFormat("%s: no NAME tag", where.c_str()));
  RETURN_IF_ERROR(r.String(name, &pkg.name));
  if (!IsValidPackageName(pkg.name)) return r.Fail(name, "empty NAME or one with blanks or control characters");
  std::string ver, rel;
  if (version.tag != 0) RETURN_IF_ERROR(r.String(version, &ver));
  if (release.tag != 0) RETURN_IF_ERROR(r.String(release, &rel));
  pkg.version = rel.empty() ? ver : ver + "-" + rel;
  if (arch.tag != 0) RETURN_IF_ERROR(r.String(arch, &pkg.arch));

  std::vector<std::string_view> bases, dirs;
  std::vector<uint32_t> idx;
  if (basenames.tag != 0) {
    if (dirnames.tag == 0 || dir_indexes.tag == 0) {
      return r.Fail(basenames, "BASENAMES without DIRNAMES and DIRINDEXES");
    }
    RETURN_IF_ERROR(r.Strings(basenames, &bases));
    RETURN_IF_ERROR(r.Strings(dirnames, &dirs));
    RETURN_IF_ERROR(r.Int32s(dir_indexes, &idx));
    if (idx.size() != bases.size()) return r.Fail(dir_indexes, "DIRINDEXES and BASENAMES counts differ");
    pkg.paths.reserve(bases.size());
    std::string joined;
    for (size_t i = 0; i < bases.size(); ++i) {
      if (idx[i] >= dirs.size()) return r.Fail(dir_indexes, "DIRINDEXES value out of range");
      joined.assign(dirs[idx[i]]);
      joined.push_back('/');
      joined.append(bases[i]);
      std::string p = NormalizePath(joined);
      if (p != "/") pkg.paths.push_back(std::move(p));
    }
  } else if (old_names.tag != 0) {
    RETURN_IF_ERROR(r.Strings(old_names, &bases));
    for (std::string_view b : bases) {
      std::string p = NormalizePath(b);
      if (p != "/") pkg.paths.push_back(std::move(p));
    }
  }
  return pkg;
}

}  // namespace whittle::pkg
