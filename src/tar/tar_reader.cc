#include "tar/tar_reader.h"

#include <cstring>

#include "tar/tar_header.h"
#include "util/strings.h"

namespace whittle {
namespace {

using ull = unsigned long long;

// Normalises |raw| into |*out| like NormalizePath, reusing |out|'s storage on
// the common already-clean path ("usr/bin/x", "./usr/bin/", "/etc").
void NormalizeInto(std::string_view raw, std::string* out, bool* escaped) {
  std::string_view s = raw;
  while (true) {
    if (StartsWith(s, "./")) {
      s.remove_prefix(2);
    } else if (!s.empty() && s[0] == '/') {
      s.remove_prefix(1);
    } else {
      break;
    }
  }
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  bool clean = true;
  size_t i = 0;
  while (i <= s.size() && !s.empty()) {
    size_t j = s.find('/', i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view part = s.substr(i, j - i);
    if (part.empty() || part == "." || part == "..") {
      clean = false;
      break;
    }
    i = j + 1;
  }
  if (!clean) {
    *out = NormalizePath(raw, escaped);
    return;
  }
  out->assign(1, '/');
  out->append(s);
}

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2, cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3, cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += len;
  }
  return true;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

const char* FieldName(size_t off) {
  switch (off) {
    case tar_field::kMode: return "mode";
    case tar_field::kUid: return "uid";
    case tar_field::kGid: return "gid";
    case tar_field::kSize: return "size";
    case tar_field::kMtime: return "mtime";
    case tar_field::kGnuRealSize: return "realsize";
    default: return "numeric";
  }
}

}  // namespace

TarReader::TarReader(ByteSource* src) : src_(src), base_(src->position()) {}

Status TarReader::Corrupt(uint64_t hoff, const std::string& what) const {
  return Error(Errc::kCorrupt,
               StrFormat("%s: tar header at offset %llu: %s", src_->name().c_str(), static_cast<ull>(hoff),
                         what.c_str()));
}

void TarReader::Warn(uint64_t hoff, const std::string& what) {
  if (warnings_.size() >= kMaxWarnings) {
    ++suppressed_warnings_;
    return;
  }
  warnings_.push_back(
      StrFormat("%s: tar header at offset %llu: %s", src_->name().c_str(), static_cast<ull>(hoff), what.c_str()));
}

Result<size_t> TarReader::ReadUpTo(char* buf, size_t n) {
  size_t done = 0;
  while (done < n) {
    ASSIGN_OR_RETURN(size_t got, src_->Read(buf + done, n - done));
    if (got == 0) break;
    done += got;
  }
  return done;
}

Status TarReader::SkipMemberRest() {
  uint64_t n = data_left_ + padding_left_;  // both < 2^53: no overflow
  data_left_ = padding_left_ = 0;
  if (n == 0) return Status::Ok();
  Status s = src_->Skip(n);
  if (s.ok()) return s;
  if (s.code() != Errc::kCorrupt) return s;
  return Corrupt(member_offset_, StrFormat("member data truncated: the stream ends before offset %llu",
                                           static_cast<ull>(member_end_)));
}

Status TarReader::ReadExtensionBody(const char* block, uint64_t hoff, const char* what) {
  int64_t size;
  if (!TryParseTarNumber(block + tar_field::kSize, tar_field::kSizeLen, &size)) {
    return Corrupt(hoff, StrFormat("bad size field \"%s\" in %s",
                                   EscapeForMessage(std::string_view(block + tar_field::kSize, 12)).c_str(), what));
  }
  if (size < 0) return Corrupt(hoff, StrFormat("negative size %lld in %s", static_cast<long long>(size), what));
  if (static_cast<uint64_t>(size) > kMaxExtensionSize) {
    return Error(Errc::kTooLarge,
                 StrFormat("%s: tar header at offset %llu: %s of %llu bytes exceeds the %llu-byte limit",
                           src_->name().c_str(), static_cast<ull>(hoff), what, static_cast<ull>(size),
                           static_cast<ull>(kMaxExtensionSize)));
  }
  size_t n = static_cast<size_t>(size);
  size_t padded = n + static_cast<size_t>(TarPadding(n));
  ext_buf_.resize(padded);
  ASSIGN_OR_RETURN(size_t got, ReadUpTo(ext_buf_.data(), padded));
  if (got < padded) {
    return Corrupt(hoff, StrFormat("%s body truncated (%zu of %zu bytes)", what, got, padded));
  }
  ext_buf_.resize(n);
  return Status::Ok();
}

Result<bool> TarReader::Next(TarEntry* entry) {
  if (!error_.ok()) return error_;
  if (done_) return false;
  Status s = SkipMemberRest();
  if (!s.ok()) {
    error_ = s;
    return s;
  }
  Result<bool> r = ReadMember(entry);
  if (!r.has_value()) error_ = r.error();
  return r;
}

// ReadMember reads one member in steps, one function each:
//
//   ReadHeaderChain   pax 'x'/'g' and GNU 'L'/'K' blocks, up to the member's own
//                     header (or the end of the archive)
//   SetNamesAndType   raw name and link target by precedence, typeflag -> type
//   ReadNumericFields mode, uid, gid, owner names, mtime, size (pax values override)
//   ReadSparse        old GNU 'S' extension blocks, pax GNU.sparse.*: logical size
//   NormalizeNames    normalised path and link target, with their warnings
//   SetOffsets        header/data/padding offsets; arms the skip of the data
//
// Header errors and warnings name |hoff|, the offset of the header block at hand.
Result<bool> TarReader::ReadMember(TarEntry* e) {
  const uint64_t start = Pos();
  const uint64_t blob = src_->blob_position();
  alignas(8) char block[kTarBlockSize];
  uint64_t hoff = 0;
  ASSIGN_OR_RETURN(bool member, ReadHeaderChain(block, start, blob, &hoff));
  if (!member) return false;
  // |block| is the member's own header, at |hoff|; raw names may point into it.
  std::string_view raw_name, raw_link;
  SetNamesAndType(block, hoff, e, &raw_name, &raw_link);
  uint64_t stored = 0;
  RETURN_IF_ERROR(ReadNumericFields(block, hoff, e, &stored));
  RETURN_IF_ERROR(ReadSparse(block, hoff, stored, e));
  NormalizeNames(raw_name, raw_link, hoff, e);
  RETURN_IF_ERROR(SetOffsets(start, hoff, stored, blob, e));
  return true;
}

const PaxValues* TarReader::Effective(PaxValues::Field f) const {
  if (pax_.has(f)) return &pax_;
  if (pax_.deleted & f) return nullptr;
  if (global_.has(f)) return &global_;
  return nullptr;
}

Status TarReader::ParseNumber(const char* block, uint64_t hoff, size_t off, size_t len,
                              int64_t* out) const {
  if (TryParseTarNumber(block + off, len, out)) return Status::Ok();
  return Corrupt(hoff, StrFormat("bad %s field \"%s\"", FieldName(off),
                                 EscapeForMessage(std::string_view(block + off, len)).c_str()));
}

Result<bool> TarReader::ReadHeaderChain(char* block, uint64_t start, uint64_t blob, uint64_t* hoff_out) {
  pax_.Clear();
  has_long_name_ = has_long_link_ = false;
  bool pending_ext = false;
  for (;;) {
    const uint64_t hoff = Pos();
    *hoff_out = hoff;
    ASSIGN_OR_RETURN(size_t got, ReadUpTo(block, kTarBlockSize));
    if (got == 0) {
      if (pending_ext) return Corrupt(hoff, "archive ends after an extension header, before its member");
      Warn(hoff, "archive ends without end-of-archive blocks");
      end_offset_ = hoff;
      end_blob_offset_ = blob;
      done_ = true;
      return false;
    }
    if (got < kTarBlockSize) return Corrupt(hoff, StrFormat("truncated header (%zu of 512 bytes)", got));
    if (IsZeroBlock(block)) {
      alignas(8) char block2[kTarBlockSize];
      ASSIGN_OR_RETURN(size_t got2, ReadUpTo(block2, kTarBlockSize));
      if (got2 == 0) {
        Warn(hoff, "a lone zero block ends the archive");
      } else if (got2 < kTarBlockSize || !IsZeroBlock(block2)) {
        Warn(hoff, "a lone zero block ends the archive; the bytes after it are ignored");
      }
      if (pending_ext) {
        Warn(start, "extension header is not followed by a member; counted as end of archive");
        end_offset_ = start;
      } else {
        end_offset_ = hoff;
      }
      end_blob_offset_ = blob;
      done_ = true;
      return false;
    }
    int64_t stored_sum;
    if (!TryParseTarNumber(block + tar_field::kChksum, tar_field::kChksumLen, &stored_sum) ||
        (block[tar_field::kChksum] & 0x80)) {
      return Corrupt(hoff,
                     StrFormat("bad checksum field \"%s\"",
                               EscapeForMessage(std::string_view(block + tar_field::kChksum, 8)).c_str()));
    }
    const int64_t unsigned_sum = TarUnsignedChecksum(block);
    if (stored_sum != unsigned_sum && stored_sum != TarSignedChecksum(block)) {
      return Corrupt(hoff, StrFormat("bad checksum (stored 0o%llo, computed 0o%llo)", static_cast<ull>(stored_sum),
                                     static_cast<ull>(unsigned_sum)));
    }
    const char t = block[tar_field::kTypeflag];
    if (t == 'x' || t == 'g' || t == 'X') {
      RETURN_IF_ERROR(ReadExtensionBody(block, hoff, t == 'g' ? "pax global header" : "pax extended header"));
      std::string err;
      if (!TryParsePaxRecords(ext_buf_, t == 'g', t == 'g' ? &global_ : &pax_, &err)) {
        return Corrupt(hoff, err);
      }
      pending_ext = true;
      continue;
    }
    if (t == 'L' || t == 'K') {
      RETURN_IF_ERROR(ReadExtensionBody(block, hoff, t == 'L' ? "GNU long name" : "GNU long link"));
      std::string& dst = t == 'L' ? long_name_ : long_link_;
      dst.assign(TarString(ext_buf_.data(), 0, ext_buf_.size()));
      (t == 'L' ? has_long_name_ : has_long_link_) = true;
      pending_ext = true;
      continue;
    }
    return true;
  }
}

void TarReader::SetNamesAndType(const char* block, uint64_t hoff, TarEntry* e, std::string_view* raw_name,
                                std::string_view* raw_link) {
  // Name: GNU.sparse.name > pax path > GNU 'L' > ustar prefix/name.
  const PaxValues* pv;
  if ((pv = Effective(PaxValues::kSparseName)) != nullptr) {
    *raw_name = pv->sparse_name;
  } else if ((pv = Effective(PaxValues::kPath)) != nullptr) {
    *raw_name = pv->path;
  } else if (has_long_name_) {
    *raw_name = long_name_;
  } else {
    std::string_view name = TarString(block, tar_field::kName, tar_field::kNameLen);
    std::string_view prefix = DetectTarMagic(block) == TarMagic::kUstar
                                  ? TarString(block, tar_field::kPrefix, tar_field::kPrefixLen)
                                  : std::string_view();
    if (prefix.empty()) {
      *raw_name = name;
    } else {
      scratch_.assign(prefix);
      scratch_.push_back('/');
      scratch_.append(name);
      *raw_name = scratch_;
    }
  }
  // Link: pax linkpath > GNU 'K' > ustar linkname.
  if ((pv = Effective(PaxValues::kLinkpath)) != nullptr) {
    *raw_link = pv->linkpath;
  } else if (has_long_link_) {
    *raw_link = long_link_;
  } else {
    *raw_link = TarString(block, tar_field::kLinkname, tar_field::kLinknameLen);
  }

  const char t = block[tar_field::kTypeflag];
  e->typeflag = t;
  e->sparse = false;
  e->path_escaped = false;
  switch (t) {
    case '0': case '7': case 'S': e->type = TarEntryType::kRegular; break;
    case '\0':
      // Pre-POSIX archives mark directories by a trailing slash only.
      e->type = !raw_name->empty() && raw_name->back() == '/' ? TarEntryType::kDirectory : TarEntryType::kRegular;
      break;
    case '1': e->type = TarEntryType::kHardLink; break;
    case '2': e->type = TarEntryType::kSymlink; break;
    case '3': e->type = TarEntryType::kCharDevice; break;
    case '4': e->type = TarEntryType::kBlockDevice; break;
    case '5': case 'D': e->type = TarEntryType::kDirectory; break;
    case '6': e->type = TarEntryType::kFifo; break;
    default:
      e->type = TarEntryType::kOther;
      Warn(hoff, StrFormat("unknown typeflag '%s' (0x%02x); member counted as other",
                           EscapeForMessage(std::string_view(&t, 1)).c_str(), static_cast<unsigned char>(t)));
      break;
  }
}

Status TarReader::ReadNumericFields(const char* block, uint64_t hoff, TarEntry* e, uint64_t* stored_out) {
  // pax values override the header's.
  const PaxValues* pv;
  int64_t v;
  RETURN_IF_ERROR(ParseNumber(block, hoff, tar_field::kMode, tar_field::kModeLen, &v));
  e->mode = static_cast<uint32_t>(v) & 07777;
  if ((pv = Effective(PaxValues::kUid)) != nullptr) {
    e->uid = pv->uid;
  } else {
    RETURN_IF_ERROR(ParseNumber(block, hoff, tar_field::kUid, tar_field::kUidLen, &v));
    if (v < 0) return Corrupt(hoff, StrFormat("negative uid %lld", static_cast<long long>(v)));
    e->uid = static_cast<uint64_t>(v);
  }
  if ((pv = Effective(PaxValues::kGid)) != nullptr) {
    e->gid = pv->gid;
  } else {
    RETURN_IF_ERROR(ParseNumber(block, hoff, tar_field::kGid, tar_field::kGidLen, &v));
    if (v < 0) return Corrupt(hoff, StrFormat("negative gid %lld", static_cast<long long>(v)));
    e->gid = static_cast<uint64_t>(v);
  }
  // Names: pax > the ustar/GNU fields (v7 headers have none; bytes there
  // belong to no field).
  const bool named = DetectTarMagic(block) != TarMagic::kV7;
  if ((pv = Effective(PaxValues::kUname)) != nullptr) {
    e->uname = pv->uname;
  } else if (named) {
    e->uname = TarString(block, tar_field::kUname, tar_field::kUnameLen);
  } else {
    e->uname.clear();
  }
  if ((pv = Effective(PaxValues::kGname)) != nullptr) {
    e->gname = pv->gname;
  } else if (named) {
    e->gname = TarString(block, tar_field::kGname, tar_field::kGnameLen);
  } else {
    e->gname.clear();
  }
  if ((pv = Effective(PaxValues::kMtime)) != nullptr) {
    e->mtime = pv->mtime;
  } else {
    RETURN_IF_ERROR(ParseNumber(block, hoff, tar_field::kMtime, tar_field::kMtimeLen, &v));
    e->mtime = v;
  }
  uint64_t stored;
  if ((pv = Effective(PaxValues::kSize)) != nullptr) {
    stored = pv->size;
  } else {
    RETURN_IF_ERROR(ParseNumber(block, hoff, tar_field::kSize, tar_field::kSizeLen, &v));
    if (v < 0) return Corrupt(hoff, StrFormat("negative size %lld", static_cast<long long>(v)));
    stored = static_cast<uint64_t>(v);
  }
  // Hard links and directories carry no data whatever the size field says
  // (GNU tar skips none for them); every other type is followed by |size|.
  const char t = block[tar_field::kTypeflag];
  if (t == '1' || t == '5') stored = 0;
  if (stored > kMaxMemberSize) {
    return Error(Errc::kTooLarge, StrFormat("%s: tar header at offset %llu: member size %llu is absurd (limit %llu)",
                                            src_->name().c_str(), static_cast<ull>(hoff), static_cast<ull>(stored),
                                            static_cast<ull>(kMaxMemberSize)));
  }
  *stored_out = stored;
  return Status::Ok();
}

Status TarReader::ReadSparse(const char* block, uint64_t hoff, uint64_t stored, TarEntry* e) {
  // Old GNU sparse: realsize in the header, the map continues in extension
  // blocks (header bytes) while isextended is set.
  uint64_t logical = stored;
  if (block[tar_field::kTypeflag] == 'S') {
    e->sparse = true;
    int64_t v;
    RETURN_IF_ERROR(ParseNumber(block, hoff, tar_field::kGnuRealSize, tar_field::kGnuRealSizeLen, &v));
    if (v < 0) return Corrupt(hoff, StrFormat("negative sparse realsize %lld", static_cast<long long>(v)));
    logical = static_cast<uint64_t>(v);
    bool more = block[tar_field::kGnuIsExtended] != 0;
    alignas(8) char ext[kTarBlockSize];  // |block| still backs the raw name
    while (more) {
      uint64_t xoff = Pos();
      ASSIGN_OR_RETURN(size_t got, ReadUpTo(ext, kTarBlockSize));
      if (got < kTarBlockSize) {
        return Corrupt(hoff, StrFormat("GNU sparse extension block at offset %llu truncated (%zu of 512 bytes)",
                                       static_cast<ull>(xoff), got));
      }
      more = ext[tar_field::kGnuExtIsExtended] != 0;
    }
  }
  if (pax_.has(PaxValues::kSparse) || global_.has(PaxValues::kSparse)) {
    e->sparse = true;
    if (const PaxValues* pv = Effective(PaxValues::kSparseRealSize); pv != nullptr) logical = pv->realsize;
  }
  if (logical > kMaxMemberSize) {
    return Error(Errc::kTooLarge, StrFormat("%s: tar header at offset %llu: sparse size %llu is absurd (limit %llu)",
                                            src_->name().c_str(), static_cast<ull>(hoff), static_cast<ull>(logical),
                                            static_cast<ull>(kMaxMemberSize)));
  }
  switch (e->type) {
    case TarEntryType::kRegular:
    case TarEntryType::kOther: e->size = logical; break;
    default: e->size = 0; break;
  }
  return Status::Ok();
}

void TarReader::NormalizeNames(std::string_view raw_name, std::string_view raw_link, uint64_t hoff, TarEntry* e) {
  bool escaped = false;
  NormalizeInto(raw_name, &e->path, &escaped);
  if (escaped) {
    e->path_escaped = true;
    Warn(hoff, StrFormat("path \"%s\" climbs above the root; read as \"%s\"", EscapeForMessage(raw_name).c_str(),
                         EscapeForMessage(e->path).c_str()));
  }
  if (!IsAscii(raw_name) && !IsValidUtf8(raw_name)) {
    Warn(hoff, StrFormat("path \"%s\" is not valid UTF-8", EscapeForMessage(raw_name).c_str()));
  }
  if (e->type == TarEntryType::kHardLink) {
    bool link_escaped = false;
    NormalizeInto(raw_link, &e->link_target, &link_escaped);
    if (link_escaped) {
      e->path_escaped = true;
      Warn(hoff, StrFormat("hard-link target \"%s\" climbs above the root; read as \"%s\"",
                           EscapeForMessage(raw_link).c_str(), EscapeForMessage(e->link_target).c_str()));
    }
  } else if (e->type == TarEntryType::kSymlink) {
    e->link_target.assign(raw_link);
  } else {
    e->link_target.clear();
  }
}

Status TarReader::SetOffsets(uint64_t start, uint64_t hoff, uint64_t stored, uint64_t blob, TarEntry* e) {
  const uint64_t data_offset = Pos();
  const uint64_t padding = TarPadding(stored);
  uint64_t end;
  if (__builtin_add_overflow(data_offset, stored, &end) || __builtin_add_overflow(end, padding, &end)) {
    return Error(Errc::kTooLarge, StrFormat("%s: tar header at offset %llu: member end overflows",
                                            src_->name().c_str(), static_cast<ull>(hoff)));
  }
  e->stored_size = stored;
  e->header_offset = start;
  e->member_header_offset = hoff;
  e->header_size = data_offset - start;
  e->data_offset = data_offset;
  e->padding = padding;
  e->blob_offset = blob;
  data_left_ = stored;
  padding_left_ = padding;
  member_offset_ = start;
  member_end_ = end;
  return Status::Ok();
}

Result<size_t> TarReader::ReadData(void* buf, size_t n) {
  if (!error_.ok()) return error_;
  if (data_left_ == 0 || n == 0) return size_t{0};
  size_t want = n < data_left_ ? n : static_cast<size_t>(data_left_);
  Result<size_t> got = src_->Read(buf, want);
  if (!got.has_value()) {
    error_ = got.error();
    return error_;
  }
  if (*got == 0) {
    error_ = Corrupt(member_offset_, StrFormat("member data truncated: the stream ends before offset %llu",
                                               static_cast<ull>(member_end_)));
    return error_;
  }
  data_left_ -= *got;
  return *got;
}

Result<uint64_t> TarReader::Finish() {
  if (!error_.ok()) return error_;
  if (finished_) return end_offset_;
  if (!done_) {
    return Error(Errc::kInternal,
                 StrFormat("%s: TarReader::Finish called before the end of the archive", src_->name().c_str()));
  }
  char buf[64 * 1024];
  bool nonzero = false;
  uint64_t nonzero_at = 0;
  for (;;) {
    uint64_t at = Pos();
    Result<size_t> got = src_->Read(buf, sizeof buf);
    if (!got.has_value()) {
      error_ = got.error();
      return error_;
    }
    if (*got == 0) break;
    if (!nonzero) {
      for (size_t i = 0; i < *got; ++i) {
        if (buf[i] != 0) {
          nonzero = true;
          nonzero_at = at + i;
          break;
        }
      }
    }
  }
  total_size_ = Pos();
  finished_ = true;
  if (nonzero) {
    Warn(end_offset_, StrFormat("non-zero bytes after the end of the archive (first at offset %llu)",
                                static_cast<ull>(nonzero_at)));
  }
  if (suppressed_warnings_ > 0) {
    warnings_.push_back(StrFormat("%s: %llu more tar warnings not shown", src_->name().c_str(),
                                  static_cast<ull>(suppressed_warnings_)));
    suppressed_warnings_ = 0;
  }
  return end_offset_;
}

}  // namespace whittle
