#include "cache/layer_codec.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <vector>

#include "cache/byte_codec.h"
#include "cache/totals_codec.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr char kMagic[4] = {'W', 'L', 'S', 'C'};
constexpr size_t kChecksumSize = 32;
bool CheckedAdd(uint64_t a, uint64_t b, uint64_t* out) { return !__builtin_add_overflow(a, b, out); }

bool CountsAsFile(EntryKind k) {
  return k == EntryKind::kFile || k == EntryKind::kSymlink || k == EntryKind::kHardLink;
}

// Assigns table indexes to paths in order of first use.
class PathTable {
 public:
  uint64_t IndexOf(PathId id) {
    auto [it, added] = index_.try_emplace(id, order_.size());
    if (added) order_.push_back(id);
    return it->second;
  }
  const std::vector<PathId>& order() const { return order_; }

 private:
  std::unordered_map<PathId, uint64_t> index_;
  std::vector<PathId> order_;
};

}  // namespace

std::string EncodeLayerScan(const LayerScan& scan, const PathInterner& paths, std::string_view location) {
  PathTable table;
  std::vector<std::pair<uint64_t, uint64_t>> refs;  // per entry: path index, target index + 1
  refs.reserve(scan.entries.size());
  for (const LayerEntry& e : scan.entries) {
    uint64_t path = table.IndexOf(e.path);
    uint64_t target = e.target == kNoPath ? 0 : table.IndexOf(e.target) + 1;
    refs.emplace_back(path, target);
  }

  std::string out(kMagic, sizeof(kMagic));
  out.push_back(static_cast<char>(kLayerCodecVersion));
  PutScanTotals(scan, &out);
  PutVarint(&out, table.order().size());
  std::string_view prev;
  for (PathId id : table.order()) {
    std::string_view p = paths.Get(id);
    size_t shared = 0;
    while (shared < p.size() && shared < prev.size() && p[shared] == prev[shared]) ++shared;
    PutVarint(&out, shared);
    PutString(&out, p.substr(shared));
    prev = p;
  }
  PutVarint(&out, scan.entries.size());
  for (size_t i = 0; i < scan.entries.size(); ++i) {
    const LayerEntry& e = scan.entries[i];
    out.push_back(static_cast<char>(e.kind));
    PutVarint(&out, refs[i].first);
    PutVarint(&out, refs[i].second);
    for (uint64_t v : {uint64_t{e.mode}, e.size, e.stored_size, uint64_t{e.header_bytes}, uint64_t{e.padding},
                       e.blob_bytes}) {
      PutVarint(&out, v);
    }
    PutVarint(&out, e.owner < scan.owners.size() ? uint64_t{e.owner} + 1 : 0);
  }
  PutVarint(&out, scan.owners.size());
  for (const EntryOwner& o : scan.owners) {
    PutVarint(&out, o.uid);
    PutVarint(&out, o.gid);
    PutString(&out, o.uname);
    PutString(&out, o.gname);
  }
  const bool hashed = !scan.content_hashes.empty();
  out.push_back(hashed ? 1 : 0);
  if (hashed) {
    for (const auto& h : scan.content_hashes) out.append(reinterpret_cast<const char*>(h.data()), h.size());
  }
  PutVarint(&out, scan.captured.size());
  for (const CapturedBody& c : scan.captured) {
    PutVarint(&out, c.entry);
    PutVarint(&out, c.rule);
    PutString(&out, c.payload);
  }
  PutVarint(&out, scan.warnings.size());
  const std::string prefix = std::string(location) + ": ";
  for (const std::string& w : scan.warnings) {
    const bool relative = !location.empty() && w.compare(0, prefix.size(), prefix) == 0;
    out.push_back(relative ? 1 : 0);
    PutString(&out, relative ? std::string_view(w).substr(prefix.size()) : std::string_view(w));
  }
  Sha256 sum;
  sum.Update(out.data(), out.size());
  std::array<uint8_t, 32> digest = sum.FinishRaw();
  out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  return out;
}

namespace {

// One parser for both passes of a decode. With |paths| null (a totals-only
// decode, or the first pass of a full one) every field is read and
// bounds-checked, and the totals checked against what the entries add up
// to, but no path text, entry, owner, hash or body is kept. With |paths|
// set the bytes have passed that first pass: paths are interned as they are
// read (the interner must not see a value that fails), each entry gets its
// ids at once, and |checksum| is false (the first pass checked it).
Status Decode(std::string_view bytes, std::string_view location, size_t rule_count, PathInterner* paths,
              bool checksum, LayerScan* out) {
  const bool keep = paths != nullptr;
  auto corrupt = [](const std::string& what) { return Error(Errc::kCorrupt, "cached layer scan: " + what); };
  if (bytes.size() < sizeof(kMagic) + 1 + kChecksumSize) return corrupt("offset 0: too short");
  if (std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) return corrupt("offset 0: bad magic");
  std::string_view body = bytes.substr(0, bytes.size() - kChecksumSize);
  if (checksum) {
    Sha256 sum;
    sum.Update(body.data(), body.size());
    std::array<uint8_t, 32> digest = sum.FinishRaw();
    if (std::memcmp(digest.data(), bytes.data() + body.size(), kChecksumSize) != 0) {
      return corrupt(StrFormat("offset %zu: checksum mismatch", body.size()));
    }
  }

  ByteCursor c(body);
  c.ReadBytes(sizeof(kMagic));
  if (uint8_t v = c.ReadU8(); c.ok() && v != kLayerCodecVersion) c.Fail(StrFormat("encoding version %u", v));
  LayerScan scan;
  ReadScanTotals(c, &scan);

  // Every path takes at least two bytes, every entry at least ten: counts
  // are capped by what is left before anything is reserved.
  const uint64_t n_paths = c.ReadBounded(c.remaining() / 2, "path count");
  // Path i's id (full pass); each path is the previous one's first |shared|
  // bytes plus its own suffix, built in |path| without a table of them all.
  std::vector<PathId> ids;
  std::string path;
  if (keep) ids.reserve(n_paths);
  size_t prev_len = 0;
  for (uint64_t i = 0; i < n_paths && c.ok(); ++i) {
    const uint64_t shared = c.ReadBounded(prev_len, "shared prefix");
    std::string_view suffix = c.ReadString();
    if (!c.ok()) break;
    prev_len = shared + suffix.size();
    if (!keep) continue;
    path.resize(shared);  // shared <= path.size(): only ever cuts
    path.append(suffix);
    ids.push_back(paths->Intern(path));
  }
  const uint64_t n_entries = c.ReadBounded(c.remaining() / 10, "entry count");
  if (c.ok() && keep) scan.entries.reserve(n_entries);
  uint64_t blob_sum = scan.end_blob_bytes, tar_sum = scan.end_tar_bytes, content_sum = 0, files = 0;
  uint64_t max_owner_ref = 0;
  bool overflow = false;
  for (uint64_t i = 0; i < n_entries && c.ok(); ++i) {
    LayerEntry e;
    e.kind = static_cast<EntryKind>(c.ReadBounded(static_cast<uint64_t>(EntryKind::kOther), "entry kind"));
    const uint64_t path_index = c.ReadBounded(n_paths == 0 ? 0 : n_paths - 1, "path index");
    const uint64_t target = c.ReadBounded(n_paths, "target index");
    if (c.ok() && n_paths == 0) c.Fail("an entry but no paths");
    e.mode = static_cast<uint32_t>(c.ReadBounded(std::numeric_limits<uint32_t>::max(), "mode"));
    e.size = c.ReadVarint();
    e.stored_size = c.ReadVarint();
    e.header_bytes = static_cast<uint32_t>(c.ReadBounded(std::numeric_limits<uint32_t>::max(), "header bytes"));
    e.padding = static_cast<uint16_t>(c.ReadBounded(511, "padding"));
    e.blob_bytes = c.ReadVarint();
    const uint64_t owner = c.ReadBounded(kNoOwner, "owner index");
    if (!c.ok()) break;
    uint64_t tar = 0;
    overflow |= !CheckedAdd(e.stored_size, uint64_t{e.header_bytes} + e.padding, &tar) ||
                !CheckedAdd(tar_sum, tar, &tar_sum) || !CheckedAdd(blob_sum, e.blob_bytes, &blob_sum) ||
                !CheckedAdd(content_sum, e.size, &content_sum);
    if (CountsAsFile(e.kind)) ++files;
    max_owner_ref = std::max(max_owner_ref, owner);
    if (keep) {
      // Bounds passed in the first pass; checked again, never trusted.
      if (path_index >= ids.size() || target > ids.size()) {
        c.Fail("path index out of range");
        break;
      }
      e.path = ids[path_index];
      e.target = target == 0 ? kNoPath : ids[target - 1];
      e.owner = owner == 0 ? kNoOwner : static_cast<uint16_t>(owner - 1);
      scan.entries.push_back(e);
    }
  }
  if (c.ok() && overflow) c.Fail("sizes overflow");
  // Owners: uid, gid and two names, at least four bytes each.
  const uint64_t n_owners = c.ReadBounded(std::min<uint64_t>(kNoOwner, c.remaining() / 4), "owner count");
  for (uint64_t i = 0; i < n_owners && c.ok(); ++i) {
    EntryOwner o;
    o.uid = c.ReadVarint();
    o.gid = c.ReadVarint();
    std::string_view uname = c.ReadString();
    std::string_view gname = c.ReadString();
    if (c.ok() && (uname.size() > kMaxOwnerName || gname.size() > kMaxOwnerName)) c.Fail("owner name too long");
    if (c.ok() && keep) {
      o.uname = std::string(uname);
      o.gname = std::string(gname);
      scan.owners.push_back(std::move(o));
    }
  }
  if (c.ok() && max_owner_ref > n_owners) {
    c.Fail(StrFormat("an entry names owner %llu of %llu", static_cast<unsigned long long>(max_owner_ref - 1),
                     static_cast<unsigned long long>(n_owners)));
  }
  const uint8_t hashed = static_cast<uint8_t>(c.ReadBounded(1, "hash flag"));
  if (hashed && c.ok()) {
    if (n_entries > c.remaining() / 32) {
      c.Fail("content hashes truncated");
    } else if (!keep) {
      c.ReadBytes(n_entries * 32);
    } else {
      scan.content_hashes.resize(n_entries);
      for (auto& h : scan.content_hashes) std::memcpy(h.data(), c.ReadBytes(32).data(), 32);
    }
  }
  const uint64_t n_captured = c.ReadBounded(c.remaining() / 3, "captured count");
  for (uint64_t i = 0; i < n_captured && c.ok(); ++i) {
    CapturedBody captured;
    captured.entry = static_cast<uint32_t>(c.ReadBounded(n_entries == 0 ? 0 : n_entries - 1, "captured entry"));
    captured.rule = static_cast<uint32_t>(c.ReadBounded(rule_count == 0 ? 0 : rule_count - 1, "capture rule"));
    if (c.ok() && (n_entries == 0 || rule_count == 0)) c.Fail("a captured body without entries or rules");
    std::string_view payload = c.ReadString();
    if (c.ok() && keep) {
      captured.payload = std::string(payload);
      scan.captured.push_back(std::move(captured));
    }
  }
  const uint64_t n_warnings = c.ReadBounded(c.remaining() / 2, "warning count");
  for (uint64_t i = 0; i < n_warnings && c.ok(); ++i) {
    const uint8_t relative = static_cast<uint8_t>(c.ReadBounded(1, "warning flag"));
    std::string_view w = c.ReadString();
    if (!c.ok()) break;
    scan.warnings.push_back(relative ? std::string(location) + ": " + std::string(w) : std::string(w));
  }
  if (c.ok() && c.remaining() != 0) c.Fail(StrFormat("%zu bytes after the last field", c.remaining()));
  // The scan's own invariants: every TAR and BLOB byte accounted for once.
  if (c.ok() && tar_sum != scan.tar_size) c.Fail("entry TAR bytes do not add up to the tar size");
  if (c.ok() && blob_sum != scan.blob_size) c.Fail("entry BLOB bytes do not add up to the blob size");
  if (c.ok() && content_sum != scan.content_size) c.Fail("entry sizes do not add up to the content size");
  if (c.ok() && files != scan.files) c.Fail("file count does not match the entries");
  if (!c.ok()) return corrupt(c.error());
  *out = std::move(scan);
  return Status::Ok();
}

}  // namespace

Status DecodeLayerScan(std::string_view bytes, std::string_view location, size_t rule_count, PathInterner& paths,
                       LayerScan* out) {
  // Two passes: the first checks everything and keeps nothing, so the
  // second may intern paths as it meets them (no copy of every path to
  // intern afterwards) and a rejected value still leaves |paths| untouched.
  LayerScan checked;
  RETURN_IF_ERROR(Decode(bytes, location, rule_count, nullptr, /*checksum=*/true, &checked));
  return Decode(bytes, location, rule_count, &paths, /*checksum=*/false, out);
}

Status DecodeLayerTotals(std::string_view bytes, std::string_view location, LayerScan* out) {
  // Captured bodies are read but not kept: any rule index is accepted.
  return Decode(bytes, location, std::numeric_limits<uint32_t>::max(), nullptr, /*checksum=*/true, out);
}
}  // namespace whittle
