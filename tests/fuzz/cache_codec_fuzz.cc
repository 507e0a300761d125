// Fuzz target for the layer cache's value decoders (src/cache/layer_codec.h,
// and the per-image results: totals_codec.h, waste_codec.h): the cache file
// is a file on disk anyone may have scribbled on, so a value is untrusted
// input. The first byte picks the mode: odd, the rest is the body and its
// SHA-256 is appended (the checksum would otherwise stop almost every
// mutation at the door); even, the rest is decoded as it is. The value's
// magic picks the decoder ("WTOT", "WWST", else the layer scan's); a
// per-image value is decoded for an image of as many layers as its count
// says (up to 64). Must never crash or hang. Checked:
//  - a refused value: kCorrupt, one line starting "cached layer scan: "
//    ("cached image totals: ", "cached waste analysis: "), and the
//    interner (the output) untouched;
//  - a decoded layer scan: every path id valid, every owner index in range,
//    the totals what the entries add up to; encoded again and decoded into
//    a fresh interner, the same scan;
//  - a decoded per-image value: one layer per image layer, every group's
//    layers in range (or none) and reason valid; encoded again and decoded,
//    the same value.
// Replayed over tests/fuzz/corpus/cache_codec by fuzz_replay_cache_codec.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "cache/layer_codec.h"
#include "cache/totals_codec.h"
#include "cache/waste_codec.h"
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

void SameTotals(const std::vector<LayerScan>& a, const std::vector<LayerScan>& b) {
  Expect(a.size() == b.size(), "re-decoded layer count differs");
  for (size_t i = 0; i < a.size(); ++i) {
    Expect(a[i].blob_size == b[i].blob_size && a[i].tar_size == b[i].tar_size &&
               a[i].content_size == b[i].content_size && a[i].files == b[i].files &&
               a[i].end_tar_bytes == b[i].end_tar_bytes && a[i].end_blob_bytes == b[i].end_blob_bytes &&
               a[i].warnings == b[i].warnings,
           "re-decoded layer totals differ");
    Expect(a[i].entries.empty(), "a per-image value gave entries");
  }
}

// A refusal: kCorrupt, one line, saying what was refused.
void CheckRefusal(const Status& st, const char* what) {
  Expect(st.code() == Errc::kCorrupt, "refusal is not kCorrupt: " + st.message());
  Expect(st.message().rfind(what, 0) == 0, "refusal does not say what: " + st.message());
  Expect(st.message().find('\n') == std::string::npos, "refusal on several lines");
}

// "WTOT" / "WWST" values, decoded for an image of as many layers as the
// value's count says (its first varint, when it is one byte below 64).
void FuzzImageResult(const std::string& value) {
  const size_t n_layers = value.size() > 5 && static_cast<uint8_t>(value[5]) < 64 ? static_cast<uint8_t>(value[5]) : 1;
  std::vector<std::string> locations;
  for (size_t i = 0; i < n_layers; ++i) locations.push_back("img.tar:blobs/sha256/" + std::to_string(i));
  ImageScan as_scan;
  if (value.compare(0, 4, "WTOT") == 0) {
    std::vector<LayerScan> layers(1);
    Status st = DecodeImageTotals(value, locations, &layers);
    if (!st.ok()) {
      CheckRefusal(st, "cached image totals: ");
      Expect(layers.size() == 1 && layers[0].blob_size == 0, "a refused value changed the output");
      return;
    }
    Expect(layers.size() == n_layers, "decoded layer count is not the image's");
    as_scan.layers = layers;
    std::vector<LayerScan> back;
    Status st2 = DecodeImageTotals(EncodeImageTotals(as_scan, locations), locations, &back);
    Expect(st2.ok(), "re-encoded totals refused: " + st2.message());
    SameTotals(layers, back);
    return;
  }
  CachedWaste out;
  out.analysis.dive.size_bytes = 7;
  Status st = DecodeWasteResult(value, locations, &out);
  if (!st.ok()) {
    CheckRefusal(st, "cached waste analysis: ");
    Expect(out.layers.empty() && out.analysis.dive.size_bytes == 7, "a refused value changed the output");
    return;
  }
  Expect(out.layers.size() == n_layers, "decoded layer count is not the image's");
  for (const DeadGroup& g : out.analysis.waste.groups) {
    Expect(g.layer == kNoLayer || g.layer < n_layers, "group layer out of range");
    Expect(g.killer == kNoLayer || g.killer < n_layers, "group killer out of range");
    Expect(g.reason <= Fate::kMarker, "group reason out of range");
  }
  as_scan.layers = out.layers;
  CachedWaste back;
  Status st2 = DecodeWasteResult(EncodeWasteResult(as_scan, out.analysis, locations), locations, &back);
  Expect(st2.ok(), "re-encoded waste analysis refused: " + st2.message());
  SameTotals(out.layers, back.layers);
  const WasteAnalysis& a = out.analysis;
  const WasteAnalysis& b = back.analysis;
  // Bit patterns, not ==: a NaN written must come back as that NaN.
  auto same_double = [](double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0; };
  Expect(same_double(a.dive.efficiency, b.dive.efficiency) &&
             same_double(a.dive.user_wasted_percent, b.dive.user_wasted_percent) &&
             a.dive.size_bytes == b.dive.size_bytes && a.dive.user_size_bytes == b.dive.user_size_bytes &&
             a.dive.wasted_bytes == b.dive.wasted_bytes && a.dive.layer_sizes == b.dive.layer_sizes &&
             a.dive.inefficient_files.size() == b.dive.inefficient_files.size(),
         "re-decoded dive metrics differ");
  for (size_t i = 0; i < a.dive.inefficient_files.size(); ++i) {
    const InefficientFile& x = a.dive.inefficient_files[i];
    const InefficientFile& y = b.dive.inefficient_files[i];
    Expect(x.path == y.path && x.count == y.count && x.size_bytes == y.size_bytes, "re-decoded file differs");
  }
  Expect(a.waste.total_bytes == b.waste.total_bytes && a.waste.reclaimable_bytes == b.waste.reclaimable_bytes &&
             same_double(a.waste.reclaimable_fraction, b.waste.reclaimable_fraction) &&
             a.waste.layers.size() == b.waste.layers.size() && a.waste.groups.size() == b.waste.groups.size() &&
             a.waste.duplicate_bytes == b.waste.duplicate_bytes,
         "re-decoded summary differs");
  for (size_t i = 0; i < a.waste.groups.size(); ++i) {
    const DeadGroup& x = a.waste.groups[i];
    const DeadGroup& y = b.waste.groups[i];
    Expect(x.path == y.path && x.layer == y.layer && x.killer == y.killer && x.reason == y.reason &&
               x.files == y.files && x.bytes == y.bytes,
           "re-decoded group differs");
  }
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
  if (value.compare(0, 4, "WTOT") == 0 || value.compare(0, 4, "WWST") == 0) {
    FuzzImageResult(value);
    return 0;
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
