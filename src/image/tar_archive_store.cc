#include "image/tar_archive_store.h"

#include <vector>

#include "io/compression.h"
#include "tar/tar_reader.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr int kMaxLinkHops = 8;

}  // namespace

bool ResolveArchiveSymlink(std::string_view member, std::string_view target, std::string* out) {
  if (target.empty() || target[0] == '/') return false;
  std::vector<std::string_view> parts;
  for (std::string_view p : Split(member, '/')) parts.push_back(p);
  if (!parts.empty()) parts.pop_back();  // the link's own name
  for (std::string_view p : Split(target, '/')) {
    if (p.empty() || p == ".") continue;
    if (p == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
      continue;
    }
    parts.push_back(p);
  }
  out->clear();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out->push_back('/');
    out->append(parts[i]);
  }
  return !out->empty();
}

Result<std::unique_ptr<TarArchiveStore>> TarArchiveStore::IndexArchive(const std::string& path) {
  ASSIGN_OR_RETURN(std::shared_ptr<File> file, File::Open(path));
  if (file->is_directory()) {
    return Error(Errc::kUnsupported, StrFormat("%s: is a directory, not an archive", path.c_str()));
  }
  unsigned char head[8] = {};
  ASSIGN_OR_RETURN(size_t got, file->ReadAt(0, head, sizeof head));
  if (got == 0) {
    return Error(Errc::kUnsupported, StrFormat("%s: not an image: empty file", path.c_str()));
  }
  Compression c = SniffCompression(head, got);
  if (c != Compression::kNone) {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not an image: a %s-compressed file; decompress it first (whittle "
                           "reads image archives as plain tar)",
                           path.c_str(), c == Compression::kGzip ? "gzip" : "zstd"));
  }

  std::unique_ptr<TarArchiveStore> store(new TarArchiveStore(file, path));
  auto src = MakeFileRangeSource(file, 0, file->size(), path);
  TarReader reader(src.get());
  TarEntry e;
  bool first = true;
  for (;;) {
    auto more = reader.Next(&e);
    if (!more) {
      if (first) {
        return Error(Errc::kUnsupported, StrFormat("%s: not an image: not a tar archive (%s)",
                                                   path.c_str(), more.error().message().c_str()));
      }
      return more.error();
    }
    if (!*more) break;
    first = false;
    if (e.data_offset + e.stored_size > file->size() || e.data_offset + e.stored_size < e.data_offset) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s: truncated archive: member %s at offset %llu needs %llu bytes, "
                             "the file has %llu",
                             path.c_str(), EscapeForMessage(e.path).c_str(),
                             static_cast<unsigned long long>(e.header_offset),
                             static_cast<unsigned long long>(e.data_offset + e.stored_size),
                             static_cast<unsigned long long>(file->size())));
    }
    if (e.type == TarEntryType::kDirectory || e.path_escaped) continue;
    std::string_view name = e.path;
    while (!name.empty() && name[0] == '/') name.remove_prefix(1);
    if (name.empty()) continue;
    Member m;
    m.offset = e.data_offset;
    m.size = e.stored_size;
    m.type = e.type;
    m.link_target = e.link_target;
    store->members_.insert_or_assign(std::string(name), std::move(m));
  }
  if (first) {
    return Error(Errc::kUnsupported,
                 StrFormat("%s: not an image: an empty tar archive", path.c_str()));
  }
  return store;
}

Result<const TarArchiveStore::Member*> TarArchiveStore::Resolve(std::string_view rel) const {
  std::string cur(rel);
  for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
    auto it = members_.find(cur);
    if (it == members_.end()) {
      return Error(Errc::kNotFound,
                   StrFormat("%s: %s not found", name_.c_str(), EscapeForMessage(cur).c_str()));
    }
    const Member& m = it->second;
    switch (m.type) {
      case TarEntryType::kRegular:
        return &m;
      case TarEntryType::kSymlink: {
        std::string next;
        if (!ResolveArchiveSymlink(cur, m.link_target, &next)) {
          return Error(Errc::kCorrupt,
                       StrFormat("%s: member %s is a symlink to %s, outside the archive: manifest "
                                 "points outside the layout",
                                 name_.c_str(), EscapeForMessage(cur).c_str(),
                                 EscapeForMessage(m.link_target).c_str()));
        }
        cur = std::move(next);
        break;
      }
      case TarEntryType::kHardLink: {
        std::string_view t = m.link_target;
        while (!t.empty() && t[0] == '/') t.remove_prefix(1);
        if (t.empty()) {
          return Error(Errc::kCorrupt, StrFormat("%s: member %s is a hard link with no target",
                                                 name_.c_str(), EscapeForMessage(cur).c_str()));
        }
        cur = std::string(t);
        break;
      }
      default:
        return Error(Errc::kCorrupt, StrFormat("%s: member %s is not a regular file",
                                               name_.c_str(), EscapeForMessage(cur).c_str()));
    }
  }
  return Error(Errc::kCorrupt, StrFormat("%s: %s: too many levels of links", name_.c_str(),
                                         EscapeForMessage(rel).c_str()));
}

Result<std::unique_ptr<ByteSource>> TarArchiveStore::OpenPath(std::string_view rel) {
  ASSIGN_OR_RETURN(std::string clean, CheckRelativePath(rel, name_));
  ASSIGN_OR_RETURN(const Member* m, Resolve(clean));
  return MakeFileRangeSource(file_, m->offset, m->size, PathLocation(clean));
}

Result<uint64_t> TarArchiveStore::PathSize(std::string_view rel) {
  ASSIGN_OR_RETURN(std::string clean, CheckRelativePath(rel, name_));
  ASSIGN_OR_RETURN(const Member* m, Resolve(clean));
  return m->size;
}

bool TarArchiveStore::PathExists(std::string_view rel) {
  auto clean = CheckRelativePath(rel, name_);
  return clean && Resolve(*clean).has_value();
}

std::string TarArchiveStore::PathLocation(std::string_view rel) const {
  return name_ + ":" + std::string(rel);
}

}  // namespace whittle
