#include "compact/compact.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "compact/config_rewrite.h"
#include "compact/fs_tree.h"
#include "compact/layer_index.h"
#include "compact/member_reader.h"
#include "compact/output_image.h"
#include "compact/squash_plan.h"
#include "io/byte_sink.h"
#include "io/compress.h"
#include "io/compression.h"
#include "io/decompress.h"
#include "io/file_source.h"
#include "io/hashing_source.h"
#include "scan/history_labels.h"
#include "util/interrupt.h"
#include "util/strings.h"

namespace whittle {

namespace {

Status Interrupted() { return Error(Errc::kIo, "interrupted; nothing written"); }

// Indexes every layer, |threads| at a time; the lowest failing layer's
// error wins.
Result<std::vector<LayerIndex>> IndexAll(const Image& image, unsigned threads) {
  const size_t n = image.layers.size();
  std::vector<LayerIndex> out(n);
  std::vector<Status> errors(n);
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next++) < n;) {
      const LayerRef& l = image.layers[i];
      auto src = image.blobs->Open(l.blob);
      if (!src) {
        errors[i] = src.error();
        continue;
      }
      auto idx = IndexLayer(std::move(*src), static_cast<int>(l.compression), l.blob.digest, l.blob.size);
      if (!idx) {
        errors[i] = idx.error();
        continue;
      }
      out[i] = std::move(*idx);
    }
  };
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<size_t>(threads, n));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  for (size_t i = 0; i < n; ++i) {
    if (!errors[i].ok()) return errors[i];
  }
  return out;
}

// Streams the kept members of input layers [from, to) into |tar|; with
// |whiteouts|, every kept whiteout and opaque marker of the upper layers
// comes first (they act on the base only).
Status WriteSquashedTar(const Image& image, int base, int from, int to, bool whiteouts,
                        const std::vector<LayerIndex>& index, const SquashPlan& plan, ByteSink& tar) {
  const int layers = static_cast<int>(image.layers.size());
  for (int l = base; whiteouts && l < layers; ++l) {
    const auto& members = index[l].members;
    for (size_t i = 0; i < members.size(); ++i) {
      if (plan.keep[l - base][i] && members[i].is_whiteout()) {
        RETURN_IF_ERROR(tar.Write(members[i].raw_headers.data(), members[i].raw_headers.size()));
      }
    }
  }
  static const char kZeros[1024] = {};
  std::vector<char> buf(256 * 1024);
  for (int l = from; l < to; ++l) {
    const LayerRef& ref = image.layers[l];
    ASSIGN_OR_RETURN(auto blob, image.blobs->Open(ref.blob));
    MemberReader reader(MakeDecompressor(ref.compression, std::move(blob)));
    const auto& members = index[l].members;
    const auto& keep = plan.keep[l - base];
    for (size_t i = 0;; ++i) {
      if (InterruptSignal() != 0) return Interrupted();
      ASSIGN_OR_RETURN(bool more, reader.Next());
      if (!more) {
        if (i != members.size()) return Error(Errc::kInternal, ref.blob.location + ": layer changed between reads");
        break;
      }
      const TarEntry& e = reader.entry();
      if (i >= members.size() || members[i].path != e.path) {
        return Error(Errc::kInternal, ref.blob.location + ": layer changed between reads");
      }
      if (!keep[i] || members[i].is_whiteout()) continue;
      const SquashPlan::Ref last = plan.headers_from[l - base][i];
      std::string_view headers = reader.raw_headers();
      if (last.layer >= 0) headers = index[base + last.layer].members[last.index].raw_headers;
      RETURN_IF_ERROR(tar.Write(headers.data(), headers.size()));
      uint64_t copied = 0;
      for (;;) {
        ASSIGN_OR_RETURN(size_t n, reader.ReadData(buf.data(), buf.size()));
        if (n == 0) break;
        RETURN_IF_ERROR(tar.Write(buf.data(), n));
        copied += n;
      }
      if (copied != e.stored_size) return Error(Errc::kInternal, e.path + ": short member data");
      RETURN_IF_ERROR(tar.Write(kZeros, e.padding));
    }
  }
  return tar.Write(kZeros, sizeof kZeros);  // end of archive
}

// Copies a stored blob unchanged, checking (or, for legacy layers with no
// digest, computing) its digest.
Result<StagedBlob> CopyBlob(const Image& image, const BlobRef& ref, OutputImage& out) {
  ASSIGN_OR_RETURN(auto src, image.blobs->Open(ref));
  auto hashing = HashingSource::Make(std::move(src), ref.digest, ref.size);
  std::string temp = out.TempPath();
  ASSIGN_OR_RETURN(auto sink, out.CreateSink(temp));
  std::vector<char> buf(1 << 20);
  uint64_t size = 0;
  for (;;) {
    if (InterruptSignal() != 0) return Interrupted();
    ASSIGN_OR_RETURN(size_t n, hashing->Read(buf.data(), buf.size()));
    if (n == 0) break;
    RETURN_IF_ERROR(sink->Write(buf.data(), n));
    size += n;
  }
  RETURN_IF_ERROR(sink->Close());
  StagedBlob staged;
  staged.digest = hashing->digest();
  staged.size = size;
  RETURN_IF_ERROR(out.AddBlobFile(temp, staged.digest));
  return staged;
}

// The first upper layer (0-based) of each output layer: --keep N splits
// before the N-1 upper layers that keep the most bytes (the instructions
// that add the most), in layer order; the first group starts at 0.
std::vector<int> GroupStarts(const std::vector<const LayerIndex*>& upper, const SquashPlan& plan, int keep) {
  const int n = static_cast<int>(upper.size());
  std::vector<int> starts = {0};
  if (keep <= 1 || n <= 1) return starts;
  std::vector<std::pair<uint64_t, int>> sizes;
  for (int l = 1; l < n; ++l) {
    uint64_t kept = 0;
    for (size_t i = 0; i < upper[l]->members.size(); ++i) {
      if (plan.keep[l][i]) kept += upper[l]->members[i].tar_bytes;
    }
    sizes.push_back({kept, l});
  }
  // Largest first; ties: the lower layer.
  std::sort(sizes.begin(), sizes.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  for (int k = 0; k + 1 < keep && k < static_cast<int>(sizes.size()); ++k) starts.push_back(sizes[k].second);
  std::sort(starts.begin(), starts.end());
  return starts;
}

}  // namespace

int DetectBaseLayers(const Image& image, std::string* reason) {
  std::vector<int> match = MatchHistoryToLayers(image);
  if (match.empty() || match[0] < 0) {
    *reason = "history does not match the layers: no base detected (use --base-layers N)";
    return 0;
  }
  const int layers = static_cast<int>(image.layers.size());
  int boundary = -1;  // history index of the base image's last entry
  for (size_t h = 0; h < image.history.size(); ++h) {
    const HistoryEntry& e = image.history[h];
    if (!e.empty_layer) continue;
    std::string by = CleanCreatedBy(e.created_by);
    if (by.rfind("CMD", 0) != 0 && by.rfind("ENTRYPOINT", 0) != 0) continue;
    // Only a boundary if a layer is made after it.
    if (match[layers - 1] > static_cast<int>(h)) boundary = static_cast<int>(h);
  }
  if (boundary < 0) {
    *reason = "no CMD/ENTRYPOINT before the last layer: no base image detected";
    return 0;
  }
  int base = 0;
  while (base < layers && match[base] < boundary) ++base;
  *reason = StrFormat("base image ends at history entry %d (%s)", boundary + 1,
                      CleanCreatedBy(image.history[boundary].created_by).c_str());
  return base;
}

Result<CompactResult> Compact(const Image& image, const CompactOptions& options) {
  // A signal only sets a flag that the loops poll; unwinding removes the
  // staging directory (OutputImage's destructor).
  CooperativeInterrupts interrupts;
  ASSIGN_OR_RETURN(OutputRef ref, ParseOutputRef(options.output));
  CompactResult result;
  result.input = image.reference;
  result.output = options.output;
  const int layers = static_cast<int>(image.layers.size());
  int base = options.base_layers;
  if (base < 0) {
    base = DetectBaseLayers(image, &result.base_reason);
  } else {
    if (base > layers) {
      return Error(Errc::kUsage, StrFormat("--base-layers %d: the image has only %d layers", base, layers));
    }
    result.base_reason = "set by --base-layers";
  }
  result.base_layers = base;
  if (image.diff_ids.size() != image.layers.size()) {
    return Error(Errc::kCorrupt, image.config.location + ": rootfs.diff_ids do not match the layers");
  }

  ASSIGN_OR_RETURN(std::vector<LayerIndex> index, IndexAll(image, options.threads));
  FsTree base_tree;
  for (int l = 0; l < base; ++l) base_tree.Apply(index[l]);
  FsTree input_tree = base_tree;
  std::vector<const LayerIndex*> upper;
  for (int l = base; l < layers; ++l) {
    input_tree.Apply(index[l]);
    upper.push_back(&index[l]);
  }
  SquashPlan plan = PlanSquash(upper, base_tree);
  result.members_total = plan.members_total;
  result.members_kept = plan.members_kept;
  result.dropped_tar_bytes = plan.dropped_tar_bytes;
  result.kept_for_links = plan.kept_for_links;
  result.tree_hash = input_tree.Hash();
  result.tree_paths = input_tree.size();
  std::vector<std::string> labels = LayerLabels(image);
  for (int l = 0; l < layers; ++l) {
    result.before_blob += index[l].blob_size;
    result.before_tar += index[l].tar_size;
  }
  if (InterruptSignal() != 0) return Interrupted();

  ASSIGN_OR_RETURN(OutputImage out, OutputImage::Create(ref));
  const bool as_is = upper.empty() || (plan.members_kept == plan.members_total &&
                                       static_cast<int>(upper.size()) <= std::max(1, options.keep_layers));
  result.nothing_dropped = as_is;
  std::vector<StagedBlob> staged;
  for (int l = 0; l < (as_is ? layers : base); ++l) {
    ASSIGN_OR_RETURN(StagedBlob b, CopyBlob(image, image.layers[l].blob, out));
    b.media_type = OciLayerMediaType(image.layers[l].compression);
    staged.push_back(b);
    result.layers.push_back({"kept", labels[l], b.digest, b.size, index[l].tar_size});
    result.after_blob += b.size;
    result.after_tar += index[l].tar_size;
  }
  StagedBlob config;
  config.media_type = "application/vnd.oci.image.config.v1+json";
  if (as_is) {
    result.compression = CompressionName(upper.empty() ? Compression::kNone : image.layers.back().compression);
    ASSIGN_OR_RETURN(config.digest, out.AddBlobBytes(image.config_json));
    config.size = image.config_json.size();
  } else {
    result.compression = CompressionName(options.compress.compression);
    std::vector<int> starts = GroupStarts(upper, plan, options.keep_layers);
    std::vector<std::pair<int, int>> groups;  // input layer ranges [first, last]
    std::vector<std::string> diff_ids;
    std::vector<std::string> temps;
    std::vector<CompactLayerRow> added;
    FsTree output_tree = base_tree;
    const CompressOptions& co = options.compress;
    for (size_t g = 0; g < starts.size(); ++g) {
      const int from = base + starts[g];
      const int to = g + 1 < starts.size() ? base + starts[g + 1] : layers;
      std::string temp = out.TempPath();
      ASSIGN_OR_RETURN(auto file, out.CreateSink(temp));
      HashingSink blob_hash(file.get());
      auto compressor = MakeCompressor(co, &blob_hash);
      HashingSink tar_hash(compressor.get());
      RETURN_IF_ERROR(WriteSquashedTar(image, base, from, to, g == 0, index, plan, tar_hash));
      RETURN_IF_ERROR(tar_hash.Close());
      RETURN_IF_ERROR(compressor->Close());
      RETURN_IF_ERROR(blob_hash.Close());
      RETURN_IF_ERROR(file->Close());
      // Verification input: the bytes just written, read back as any layer.
      ASSIGN_OR_RETURN(auto written, OpenFileSource(temp));
      ASSIGN_OR_RETURN(LayerIndex new_index, IndexLayer(std::move(written), static_cast<int>(co.compression),
                                                        blob_hash.digest(), static_cast<int64_t>(blob_hash.size())));
      output_tree.Apply(new_index);
      groups.push_back({from, to - 1});
      diff_ids.push_back(tar_hash.digest());
      temps.push_back(temp);
      std::string label = from + 1 == to ? StrFormat("#%d rewritten", to) : StrFormat("#%d-#%d squashed", from + 1, to);
      added.push_back({"added", label, blob_hash.digest(), blob_hash.size(), tar_hash.size()});
    }
    // The output's final filesystem must be the input's.
    if (output_tree.Hash() != result.tree_hash) {
      std::string msg =
          "verification failed: the compacted image's filesystem differs from the input's; nothing "
          "written. First differences:";
      for (const std::string& d : input_tree.Differences(output_tree, 10)) msg += "\n  " + d;
      return Error(Errc::kInternal, msg);
    }
    for (size_t g = 0; g < groups.size(); ++g) {
      RETURN_IF_ERROR(out.AddBlobFile(temps[g], added[g].digest));
      staged.push_back(StagedBlob{added[g].digest, added[g].blob_size, OciLayerMediaType(co.compression)});
    }
    for (int l = base; l < layers; ++l) {
      result.layers.push_back(
          {"replaced", labels[l], image.layers[l].blob.digest, index[l].blob_size, index[l].tar_size});
    }
    for (const CompactLayerRow& a : added) {
      result.layers.push_back(a);
      result.after_blob += a.blob_size;
      result.after_tar += a.tar_size;
    }
    ASSIGN_OR_RETURN(std::string config_json, RewriteConfig(image, base, groups, diff_ids));
    ASSIGN_OR_RETURN(config.digest, out.AddBlobBytes(config_json));
    config.size = config_json.size();
  }
  if (InterruptSignal() != 0) return Interrupted();
  RETURN_IF_ERROR(out.Commit(config, staged));
  return result;
}

}  // namespace whittle
