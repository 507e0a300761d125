#include "cache/waste_codec.h"

#include <bit>

#include "cache/byte_codec.h"
#include "cache/totals_codec.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr char kMagic[4] = {'W', 'W', 'S', 'T'};

void PutDouble(std::string* out, double v) {
  const uint64_t bits = std::bit_cast<uint64_t>(v);
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

double ReadDouble(ByteCursor& c) {
  std::string_view b = c.ReadBytes(8);
  if (!c.ok()) return 0;
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<uint8_t>(b[i])) << (8 * i);
  return std::bit_cast<double>(bits);
}

// A layer index as stored: 0 for kNoLayer, else index + 1.
uint64_t LayerCode(uint32_t layer) { return layer == kNoLayer ? 0 : uint64_t{layer} + 1; }

uint32_t ReadLayer(ByteCursor& c, uint64_t n_layers, const char* what) {
  const uint64_t v = c.ReadBounded(n_layers, what);
  return v == 0 ? kNoLayer : static_cast<uint32_t>(v - 1);
}

}  // namespace

std::string EncodeWasteResult(const ImageScan& scan, const WasteAnalysis& analysis,
                              const std::vector<std::string>& locations) {
  std::string out(kMagic, sizeof(kMagic));
  out.push_back(static_cast<char>(kWasteCodecVersion));
  AppendLayerTotals(scan, locations, &out);

  const DiveMetrics& d = analysis.dive;
  PutDouble(&out, d.efficiency);
  PutVarint(&out, d.size_bytes);
  PutVarint(&out, d.user_size_bytes);
  PutVarint(&out, d.wasted_bytes);
  PutDouble(&out, d.user_wasted_percent);
  PutVarint(&out, d.inefficient_files.size());
  for (const InefficientFile& f : d.inefficient_files) {
    PutString(&out, f.path);
    PutVarint(&out, f.count);
    PutVarint(&out, f.size_bytes);
  }
  PutVarint(&out, d.layer_sizes.size());
  for (uint64_t s : d.layer_sizes) PutVarint(&out, s);

  const WasteSummary& w = analysis.waste;
  PutVarint(&out, w.total_bytes);
  PutVarint(&out, w.reclaimable_bytes);
  PutDouble(&out, w.reclaimable_fraction);
  PutVarint(&out, w.layers.size());
  for (const LayerWaste& l : w.layers) {
    for (uint64_t v : {l.stored_bytes, l.dead_bytes, l.overwritten_bytes, l.deleted_bytes, l.hidden_bytes,
                       l.killed_bytes, l.dead_files}) {
      PutVarint(&out, v);
    }
  }
  PutVarint(&out, w.groups.size());
  for (const DeadGroup& g : w.groups) {
    PutString(&out, g.path);
    PutVarint(&out, LayerCode(g.layer));
    PutVarint(&out, LayerCode(g.killer));
    out.push_back(static_cast<char>(g.reason));
    PutVarint(&out, g.files);
    PutVarint(&out, g.bytes);
  }
  out.push_back(w.duplicate_bytes ? 1 : 0);
  if (w.duplicate_bytes) PutVarint(&out, *w.duplicate_bytes);

  AppendChecksum(&out);
  return out;
}

Status DecodeWasteResult(std::string_view bytes, const std::vector<std::string>& locations, CachedWaste* out) {
  constexpr const char* kWhat = "cached waste analysis";
  std::string_view body;
  RETURN_IF_ERROR(OpenSealedValue(bytes, kMagic, kWhat, &body));
  ByteCursor c(body);
  c.ReadBytes(sizeof(kMagic));
  if (uint8_t v = c.ReadU8(); c.ok() && v != kWasteCodecVersion) c.Fail(StrFormat("encoding version %u", v));
  CachedWaste result;
  ReadLayerTotals(c, locations, &result.layers);
  // Every record below takes at least two bytes: counts are capped by what
  // is left before anything is reserved.
  const uint64_t n_layers = result.layers.size();

  DiveMetrics& d = result.analysis.dive;
  d.efficiency = ReadDouble(c);
  d.size_bytes = c.ReadVarint();
  d.user_size_bytes = c.ReadVarint();
  d.wasted_bytes = c.ReadVarint();
  d.user_wasted_percent = ReadDouble(c);
  const uint64_t n_files = c.ReadBounded(c.remaining() / 3, "inefficient file count");
  for (uint64_t i = 0; i < n_files && c.ok(); ++i) {
    InefficientFile f;
    f.path = std::string(c.ReadString());
    f.count = static_cast<uint32_t>(c.ReadBounded(UINT32_MAX, "visit count"));
    f.size_bytes = c.ReadVarint();
    d.inefficient_files.push_back(std::move(f));
  }
  const uint64_t n_sizes = c.ReadBounded(c.remaining(), "layer size count");
  if (c.ok() && n_sizes > n_layers) c.Fail("more layer sizes than layers");
  for (uint64_t i = 0; i < n_sizes && c.ok(); ++i) d.layer_sizes.push_back(c.ReadVarint());

  WasteSummary& w = result.analysis.waste;
  w.total_bytes = c.ReadVarint();
  w.reclaimable_bytes = c.ReadVarint();
  w.reclaimable_fraction = ReadDouble(c);
  const uint64_t n_waste_layers = c.ReadBounded(c.remaining() / 7, "summary layer count");
  if (c.ok() && n_waste_layers > n_layers) c.Fail("more summary layers than layers");
  for (uint64_t i = 0; i < n_waste_layers && c.ok(); ++i) {
    LayerWaste l;
    l.stored_bytes = c.ReadVarint();
    l.dead_bytes = c.ReadVarint();
    l.overwritten_bytes = c.ReadVarint();
    l.deleted_bytes = c.ReadVarint();
    l.hidden_bytes = c.ReadVarint();
    l.killed_bytes = c.ReadVarint();
    l.dead_files = c.ReadVarint();
    w.layers.push_back(l);
  }
  const uint64_t n_groups = c.ReadBounded(c.remaining() / 6, "group count");
  for (uint64_t i = 0; i < n_groups && c.ok(); ++i) {
    DeadGroup g;
    g.path = std::string(c.ReadString());
    g.layer = ReadLayer(c, n_layers, "stored-in layer");
    g.killer = ReadLayer(c, n_layers, "killer layer");
    const uint8_t reason = c.ReadU8();
    if (c.ok() && reason > static_cast<uint8_t>(Fate::kMarker)) c.Fail(StrFormat("reason %u", reason));
    g.reason = static_cast<Fate>(reason);
    g.files = c.ReadVarint();
    g.bytes = c.ReadVarint();
    w.groups.push_back(std::move(g));
  }
  if (const uint8_t has = static_cast<uint8_t>(c.ReadBounded(1, "duplicates flag")); c.ok() && has) {
    w.duplicate_bytes = c.ReadVarint();
  }
  if (c.ok() && c.remaining() != 0) c.Fail(StrFormat("%zu bytes after the last field", c.remaining()));
  if (!c.ok()) return Error(Errc::kCorrupt, std::string(kWhat) + ": " + c.error());
  *out = std::move(result);
  return Status::Ok();
}

}  // namespace whittle
