#include "scan/open_and_scan.h"

#include <map>
#include <utility>

#include "image/platform.h"
#include "image/stream_archive.h"
#include "scan/layer_cache.h"

namespace whittle {
namespace {

// A layer-like member scanned as it streamed by, before any manifest named it.
struct StreamedScan {
  LayerScan scan;
  std::string blob_digest;
  std::string diff_digest;
};

}  // namespace

Result<ScannedImage> ScanImageStream(ImageStream& stream, const OpenOptions& open, const ScanOptions& options,
                                     LayerScanCache* cache) {
  Platform want;
  if (open.platform.empty()) {
    want = HostPlatform();
  } else {
    ASSIGN_OR_RETURN(want, ParsePlatform(open.platform));
  }
  ScannedImage out;
  std::map<std::string, StreamedScan> scanned;  // by member path
  size_t done = 0;
  LayerSink sink = [&](const StreamedMember& m, std::unique_ptr<ByteSource> data) -> Status {
    StreamedScan s;
    RETURN_IF_ERROR(ScanStreamedBlob(std::move(data), m.size, m.compression, options, *out.scan.paths, &s.scan,
                                     &s.blob_digest, &s.diff_digest));
    scanned.insert_or_assign(m.path, std::move(s));
    if (options.progress) options.progress(++done, 0);
    return Status::Ok();
  };
  std::vector<std::string> members;
  RETURN_IF_ERROR(ReadImageStream(stream, want, sink, &out.image, &members));
  out.image.format = stream.format.empty() ? stream.ref.transport->name : stream.format;

  const size_t n = out.image.layers.size();
  out.scan.layers.resize(n);
  for (size_t i = 0; i < n; ++i) {
    LayerScan* layer = &out.scan.layers[i];
    if (members[i].empty()) {  // small enough to have been kept: scan it now
      RETURN_IF_ERROR(ScanImageLayer(out.image, i, options, *out.scan.paths, layer));
      continue;
    }
    auto it = scanned.find(members[i]);
    if (it == scanned.end()) {
      return Error(Errc::kInternal, out.image.layers[i].blob.location + ": layer was not scanned");
    }
    *layer = it->second.scan;  // a copy: a layer may be listed twice
    RETURN_IF_ERROR(AdoptStreamedScan(out.image.layers[i], i, options.verify, it->second.blob_digest,
                                      it->second.diff_digest, layer));
  }
  // A stream is read whole anyway, so the cache is not asked; what was
  // scanned is offered for later runs on a file or a registry (not under
  // --verify: see ScanImage).
  if (cache != nullptr && !options.verify) {
    LayerCacheKey key;
    for (size_t i = 0; i < n; ++i) {
      if (TryMakeLayerCacheKey(out.image.layers[i], options, &key)) {
        cache->Store(key, out.image.layers[i], out.scan.layers[i], *out.scan.paths);
      }
    }
  }
  return out;
}

Result<ScannedImage> OpenAndScanImage(const std::string& reference, const OpenOptions& open,
                                      const ScanOptions& options, LayerScanCache* cache, const ScanSteps& steps) {
  ASSIGN_OR_RETURN(std::optional<ImageStream> stream, OpenImageStream(reference));
  if (stream) {
    ASSIGN_OR_RETURN(ScannedImage out, ScanImageStream(*stream, open, options, cache));
    out.image.reference = reference;
    if (steps.after_stream) steps.after_stream(out);
    return out;
  }
  ScannedImage out;
  ASSIGN_OR_RETURN(out.image, OpenImage(reference, open));
  if (steps.scan_random) {
    ASSIGN_OR_RETURN(out.scan, steps.scan_random(out.image));
  } else {
    ASSIGN_OR_RETURN(out.scan, ScanImage(out.image, options, cache));
  }
  return out;
}

Result<ScannedImage> OpenAndScanImage(const std::string& reference, const OpenOptions& open,
                                      const ScanOptions& options, LayerScanCache* cache) {
  return OpenAndScanImage(reference, open, options, cache, ScanSteps{});
}

}  // namespace whittle
