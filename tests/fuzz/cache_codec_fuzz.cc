// Fuzz target for the layer cache's value decoder (src/cache/layer_codec.h):
// the cache file is a file on disk anyone may have scribbled on, so a value
// is untrusted input. The first byte picks the mode: odd, the rest is the
// body and its SHA-256 is appended (the checksum would otherwise stop almost
// every mutation at the door); even, the rest is decoded as it is. Must
// never crash or hang. Checked:
//  - a refused value: kCorrupt, one line starting "cached layer scan: ",
//    and the interner untouched;
//  - a decoded value: every path id valid, every owner index in range, the
//    totals what the entries add up to; encoded again and decoded into a
//    fresh interner, the same scan.
// Replayed over tests/fuzz/corpus/cache_codec by fuzz_replay_cache_codec.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cache/layer_codec.h"
#include "util/sha256.h"

namespace whittle {
namespace {

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "cache_codec invariant broken: %s\n", what.c_str());
  std::abort();
}

void Expect(bool ok, const std::string& what) {
  if (!ok) Fail(what);
}

constexpr size_t kRules = 2;

void CheckScan(const LayerScan& s, const PathInterner& paths) {
  uint64_t content = 0, files = 0;
  for (const LayerEntry& e : s.entries) {
    Expect(e.path < paths.size(), "path id out of range");
    Expect(e.target == kNoPath || e.target < paths.size(), "target id out of range");
    Expect(e.owner == kNoOwner || e.owner < s.owners.size(), "owner index out of range");
    content += e.size;
    files += e.kind == EntryKind::kFile || e.kind == EntryKind::kSymlink || e.kind == EntryKind::kHardLink;
  }
  Expect(content == s.content_size, "content size");
  Expect(files == s.files, "file count");
  for (const CapturedBody& c : s.captured) {
    Expect(c.entry < s.entries.size() && c.rule < kRules, "captured body out of range");
  }
}

void SameScan(const LayerScan& a, const PathInterner& pa, const LayerScan& b, const PathInterner& pb) {
  Expect(a.blob_size == b.blob_size && a.tar_size == b.tar_size && a.content_size == b.content_size &&
             a.files == b.files && a.end_tar_bytes == b.end_tar_bytes && a.end_blob_bytes == b.end_blob_bytes,
         "re-decoded totals differ");
  Expect(a.entries.size() == b.entries.size(), "re-decoded entry count differs");
  for (size_t i = 0; i < a.entries.size(); ++i) {
    const LayerEntry& x = a.entries[i];
    const LayerEntry& y = b.entries[i];
    Expect(pa.Get(x.path) == pb.Get(y.path), "re-decoded path differs");
    Expect((x.target == kNoPath) == (y.target == kNoPath), "re-decoded target differs");
    if (x.target != kNoPath) Expect(pa.Get(x.target) == pb.Get(y.target), "re-decoded target differs");
    Expect(x.kind == y.kind && x.mode == y.mode && x.size == y.size && x.stored_size == y.stored_size &&
               x.header_bytes == y.header_bytes && x.padding == y.padding && x.blob_bytes == y.blob_bytes,
           "re-decoded entry differs");
    const EntryOwner* ox = a.owner(x);
    const EntryOwner* oy = b.owner(y);
    Expect((ox == nullptr) == (oy == nullptr) && (ox == nullptr || *ox == *oy), "re-decoded owner differs");
  }
  Expect(a.content_hashes == b.content_hashes, "re-decoded hashes differ");
  Expect(a.captured.size() == b.captured.size(), "re-decoded captured bodies differ");
  Expect(a.warnings == b.warnings, "re-decoded warnings differ");
}

}  // namespace
}  // namespace whittle

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace whittle;
  if (size == 0) return 0;
  std::string value(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    Sha256 sum;
    sum.Update(value.data(), value.size());
    std::array<uint8_t, 32> digest = sum.FinishRaw();
    value.append(reinterpret_cast<const char*>(digest.data()), digest.size());
  }
  const std::string location = "img.tar:blobs/sha256/ab";
  PathInterner paths;
  paths.Intern("/already/there");
  const size_t before = paths.size();
  LayerScan scan;
  Status st = DecodeLayerScan(value, location, kRules, paths, &scan);
  if (!st.ok()) {
    Expect(st.code() == Errc::kCorrupt, "refusal is not kCorrupt: " + st.message());
    Expect(st.message().rfind("cached layer scan: ", 0) == 0, "refusal does not say what: " + st.message());
    Expect(st.message().find('\n') == std::string::npos, "refusal on several lines");
    Expect(paths.size() == before, "a refused value interned paths");
    return 0;
  }
  CheckScan(scan, paths);
  std::string again = EncodeLayerScan(scan, paths, location);
  PathInterner fresh;
  LayerScan back;
  Status st2 = DecodeLayerScan(again, location, kRules, fresh, &back);
  Expect(st2.ok(), "re-encoded value refused: " + st2.message());
  SameScan(scan, paths, back, fresh);
  return 0;
}
