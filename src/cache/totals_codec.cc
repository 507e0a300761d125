#include "cache/totals_codec.h"

namespace whittle {
namespace {

constexpr char kMagic[4] = {'W', 'T', 'O', 'T'};

}  // namespace

void PutScanTotals(const LayerScan& scan, std::string* out) {
  for (uint64_t v : {scan.blob_size, scan.tar_size, scan.content_size, scan.files, scan.end_tar_bytes,
                     scan.end_blob_bytes}) {
    PutVarint(out, v);
  }
}

void ReadScanTotals(ByteCursor& c, LayerScan* scan) {
  scan->blob_size = c.ReadVarint();
  scan->tar_size = c.ReadVarint();
  scan->content_size = c.ReadVarint();
  scan->files = c.ReadVarint();
  scan->end_tar_bytes = c.ReadVarint();
  scan->end_blob_bytes = c.ReadVarint();
}

void AppendLayerTotals(const ImageScan& scan, const std::vector<std::string>& locations, std::string* out) {
  PutVarint(out, scan.layers.size());
  for (size_t i = 0; i < scan.layers.size(); ++i) {
    const LayerScan& l = scan.layers[i];
    PutScanTotals(l, out);
    const std::string_view location = i < locations.size() ? std::string_view(locations[i]) : std::string_view();
    const std::string prefix = std::string(location) + ": ";
    PutVarint(out, l.warnings.size());
    for (const std::string& w : l.warnings) {
      const bool relative = !location.empty() && w.compare(0, prefix.size(), prefix) == 0;
      out->push_back(relative ? 1 : 0);
      PutString(out, relative ? std::string_view(w).substr(prefix.size()) : std::string_view(w));
    }
  }
}

void ReadLayerTotals(ByteCursor& c, const std::vector<std::string>& locations, std::vector<LayerScan>* out) {
  // Every layer takes at least seven bytes: the count is capped by what is
  // left before anything is reserved.
  const uint64_t n_layers = c.ReadBounded(c.remaining() / 7, "layer count");
  if (c.ok() && n_layers != locations.size()) {
    c.Fail(StrFormat("%llu layers, the image has %zu", static_cast<unsigned long long>(n_layers), locations.size()));
  }
  for (uint64_t i = 0; i < n_layers && c.ok(); ++i) {
    LayerScan l;
    ReadScanTotals(c, &l);
    const uint64_t n_warnings = c.ReadBounded(c.remaining() / 2, "warning count");
    for (uint64_t k = 0; k < n_warnings && c.ok(); ++k) {
      const uint8_t relative = static_cast<uint8_t>(c.ReadBounded(1, "warning flag"));
      std::string_view w = c.ReadString();
      if (!c.ok()) break;
      l.warnings.push_back(relative ? locations[i] + ": " + std::string(w) : std::string(w));
    }
    out->push_back(std::move(l));
  }
}

std::string EncodeImageTotals(const ImageScan& scan, const std::vector<std::string>& locations) {
  std::string out(kMagic, sizeof(kMagic));
  out.push_back(static_cast<char>(kTotalsCodecVersion));
  AppendLayerTotals(scan, locations, &out);
  AppendChecksum(&out);
  return out;
}

Status DecodeImageTotals(std::string_view bytes, const std::vector<std::string>& locations,
                         std::vector<LayerScan>* out) {
  constexpr const char* kWhat = "cached image totals";
  std::string_view body;
  RETURN_IF_ERROR(OpenSealedValue(bytes, kMagic, kWhat, &body));
  ByteCursor c(body);
  c.ReadBytes(sizeof(kMagic));
  if (uint8_t v = c.ReadU8(); c.ok() && v != kTotalsCodecVersion) c.Fail(StrFormat("encoding version %u", v));
  std::vector<LayerScan> layers;
  ReadLayerTotals(c, locations, &layers);
  if (c.ok() && c.remaining() != 0) c.Fail(StrFormat("%zu bytes after the last field", c.remaining()));
  if (!c.ok()) return Error(Errc::kCorrupt, std::string(kWhat) + ": " + c.error());
  *out = std::move(layers);
  return Status::Ok();
}

}  // namespace whittle
