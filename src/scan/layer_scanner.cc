// ScanImage / ScanLayerTar: the one pass over layer blobs.
//
// Per layer the pipeline is (STYLE.md §8):
//
//   BlobStore::Open -> BlobErrorSource -> [HashingSource: blob digest] -> decompressor
//                   -> [HashingSource: diff_id, --verify only] -> TarReader
//
// The blob digest is checked whenever the stored bytes are read anyway
// (compressed layers) or when --verify asks; an uncompressed layer in a local
// archive is skipped through with seeks and so is not hashed by default.
//
// Layers run in parallel, one task per layer; each worker fills its own
// LayerScan, so the result never depends on scheduling, and neither does
// the error: the lowest failing layer's wins (see ScanImage). Paths are
// interned into the image-wide PathInterner.
#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "io/decompress.h"
#include "io/hashing_source.h"
#include "scan/background_capture.h"
#include "scan/layer_cache.h"
#include "scan/layer_scan.h"
#include "scan/whiteout.h"
#include "tar/tar_reader.h"
#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

namespace {

// Whiteouts are recognised by name alone, whatever the member's tar type.
EntryKind KindOf(const TarEntry& e, WhiteoutKind whiteout) {
  if (whiteout == WhiteoutKind::kOpaque) return EntryKind::kOpaque;
  if (whiteout == WhiteoutKind::kFile) return EntryKind::kWhiteout;
  switch (e.type) {
    case TarEntryType::kRegular: return EntryKind::kFile;
    case TarEntryType::kDirectory: return EntryKind::kDir;
    case TarEntryType::kSymlink: return EntryKind::kSymlink;
    case TarEntryType::kHardLink: return EntryKind::kHardLink;
    case TarEntryType::kCharDevice:
    case TarEntryType::kBlockDevice: return EntryKind::kDevice;
    case TarEntryType::kFifo: return EntryKind::kFifo;
    case TarEntryType::kOther: return EntryKind::kOther;
  }
  return EntryKind::kOther;
}

// The current member's data, read through the tar reader. When |hash| is
// set, every byte read (by a capture rule or by Drain) also feeds it, so a
// captured body is still hashed for `--hash` without a second read. A
// failure of the stream itself is remembered: it is fatal, unlike a rule's
// complaint about the body's content.
class TarMemberBody : public MemberBody {
 public:
  TarMemberBody(TarReader* reader, uint64_t size, Sha256* hash) : reader_(reader), left_(size), hash_(hash) {}
  Result<size_t> Read(void* buf, size_t n) override {
    Result<size_t> got = reader_->ReadData(buf, n);
    if (!got) {
      stream_error_ = got.error();
      return got;
    }
    if (hash_ != nullptr) hash_->Update(buf, *got);
    left_ -= std::min<uint64_t>(left_, *got);
    return got;
  }
  uint64_t remaining() const override { return left_; }
  /// Reads what is left (hashing it when hashing).
  Status Drain(std::vector<char>& buf) {
    while (left_ > 0) {
      ASSIGN_OR_RETURN(size_t got, Read(buf.data(), buf.size()));
      if (got == 0) break;
    }
    return Status::Ok();
  }
  const Status& stream_error() const { return stream_error_; }

 private:
  TarReader* reader_;
  uint64_t left_;
  Sha256* hash_;
  Status stream_error_;
};

// Offers the member to each rule in turn; the first that wants it reads it,
// here or, past the first kInlineCaptures bodies of a layer whose stream has
// positional access, on the layer's BackgroundCapture. A rule's failure is a
// warning: the accounting does not depend on it.
constexpr size_t kInlineCaptures = 16;

class MemberCapture {
 public:
  MemberCapture(const CaptureRules& rules, const ByteSource& stream, bool may_defer, bool defer_all)
      : rules_(rules), stream_(stream), base_(stream.position()), may_defer_(may_defer),
        defer_all_(may_defer && defer_all) {}

  Status Offer(TarMemberBody& body, const TarEntry& e, const LayerEntry& le, uint32_t entry_index, LayerScan* out) {
    if (le.kind != EntryKind::kFile || e.stored_size == 0 || e.sparse) return Status::Ok();
    CaptureCandidate c{e.path, le.kind, le.mode, e.stored_size};
    const int r = FirstWantingRule(rules_, c);
    if (r < 0) return Status::Ok();
    if (defer_all_ && background_ == nullptr) {
      background_ = BackgroundCapture::Deferred(stream_, rules_);
      may_defer_ = defer_all_ = background_ != nullptr;
    }
    if (may_defer_ && background_ == nullptr && ++inline_ > kInlineCaptures) {
      background_ = BackgroundCapture::Start(stream_, rules_);
      may_defer_ = background_ != nullptr;
    }
    if (background_ != nullptr) {
      background_->Add(entry_index, r, base_ + e.data_offset, c);
      return Status::Ok();
    }
    ExtractWithRule(rules_, r, c, entry_index, body, stream_.name(), &out->captured, &out->warnings);
    return body.stream_error();
  }

  /// Joins the background reader, if any, appending what it captured.
  Status Finish(LayerScan* out) {
    if (background_ == nullptr) return Status::Ok();
    if (defer_all_) {  // read later, by whoever needs the bodies
      out->deferred_bodies = std::move(background_);
      return Status::Ok();
    }
    Status st = background_->Finish(&out->captured, &out->warnings);
    background_.reset();
    return st;
  }

 private:
  const CaptureRules& rules_;
  const ByteSource& stream_;
  uint64_t base_;  // the stream's position where the tar began (tar offsets count from there)
  bool may_defer_;
  bool defer_all_;  // ScanOptions::defer_capture, and the stream allows it
  size_t inline_ = 0;
  std::unique_ptr<BackgroundCapture> background_;
};

// Interns a member's owner into the layer's table. Members mostly share
// their neighbour's owner, so the last one is checked first; the map is
// only consulted when the owner changes.
class OwnerTable {
 public:
  explicit OwnerTable(std::vector<EntryOwner>* owners) : owners_(owners) {}

  uint16_t Intern(const TarEntry& e) {
    std::string_view uname = std::string_view(e.uname).substr(0, kMaxOwnerName);
    std::string_view gname = std::string_view(e.gname).substr(0, kMaxOwnerName);
    if (last_ != kNoOwner) {
      const EntryOwner& o = (*owners_)[last_];
      if (o.uid == e.uid && o.gid == e.gid && o.uname == uname && o.gname == gname) return last_;
    }
    key_.assign(reinterpret_cast<const char*>(&e.uid), sizeof e.uid);
    key_.append(reinterpret_cast<const char*>(&e.gid), sizeof e.gid);
    key_.append(uname);
    key_.push_back('\0');  // names hold no NUL (ustar fields end at one)
    key_.append(gname);
    auto it = index_.find(key_);
    if (it != index_.end()) return last_ = it->second;
    if (owners_->size() >= kNoOwner) return kNoOwner;
    const uint16_t id = static_cast<uint16_t>(owners_->size());
    owners_->push_back({e.uid, e.gid, std::string(uname), std::string(gname)});
    index_.emplace(key_, id);
    return last_ = id;
  }

 private:
  std::vector<EntryOwner>* owners_;
  std::unordered_map<std::string, uint16_t> index_;
  std::string key_;  // reused
  uint16_t last_ = kNoOwner;
};

}  // namespace

const std::vector<CapturedBody>& CapturedBodies(const LayerScan& layer) {
  return layer.deferred_bodies != nullptr ? layer.deferred_bodies->bodies() : layer.captured;
}

Status ScanLayerTar(ByteSource& tar_stream, PathInterner& paths, LayerScan* out, bool hash_contents,
                    const CaptureRules* capture, bool defer_capture) {
  TarReader reader(&tar_stream);
  OwnerTable owners(&out->owners);
  const bool capturing = capture != nullptr && !capture->empty();
  // Bodies read on a second thread only when the data is otherwise skipped.
  std::optional<MemberCapture> captures;
  if (capturing) captures.emplace(*capture, tar_stream, !hash_contents, defer_capture);
  std::vector<char> buf;
  if (hash_contents) buf.resize(256 * 1024);
  TarEntry e;
  std::string whiteout_target;  // reused: set by ClassifyWhiteout for markers
  // Blob attribution: a member owns the compressed bytes from where its first
  // header began to where the next member's began (see docs/how-it-works.md).
  uint64_t first_blob = 0;
  bool have_prev = false;
  uint64_t prev_blob = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(&e));
    if (!more) break;
    if (have_prev) {
      out->entries.back().blob_bytes = e.blob_offset - prev_blob;
    } else {
      first_blob = e.blob_offset;
      have_prev = true;
    }
    prev_blob = e.blob_offset;

    if (e.path_escaped) {
      // A member that would land outside the root: container runtimes refuse
      // to apply such a layer, so its numbers would describe no real image.
      return Error(Errc::kCorrupt,
                   StrFormat("%s: tar member at offset %llu: name climbs out of the root with '..'",
                             tar_stream.name().c_str(), static_cast<unsigned long long>(e.header_offset)));
    }
    const WhiteoutKind whiteout = ClassifyWhiteout(e.path, &whiteout_target);
    if (whiteout == WhiteoutKind::kMalformed) {
      reader.AddWarning(e.member_header_offset,
                        StrFormat("whiteout \"%s\" names no file; not treated as a whiteout",
                                  EscapeForMessage(e.path).c_str()));
    }
    LayerEntry le;
    le.path = paths.Intern(e.path);
    le.kind = KindOf(e, whiteout);
    switch (le.kind) {
      case EntryKind::kWhiteout:
      case EntryKind::kOpaque:
        le.target = paths.Intern(whiteout_target);
        break;
      case EntryKind::kHardLink:
        le.target = paths.Intern(e.link_target);
        break;
      case EntryKind::kSymlink:
        le.target = paths.Intern(e.link_target);
        break;
      default:
        break;
    }
    le.mode = e.mode;
    le.size = e.size;
    le.stored_size = e.stored_size;
    le.header_bytes = static_cast<uint32_t>(e.header_size);
    le.padding = static_cast<uint16_t>(e.padding);
    le.owner = owners.Intern(e);
    out->entries.push_back(le);
    const bool hashing = hash_contents && le.kind == EntryKind::kFile && e.stored_size > 0;
    if (hashing || capturing) {
      std::optional<Sha256> h;  // an EVP context per member only when hashing
      if (hashing) h.emplace();
      TarMemberBody body(&reader, e.stored_size, hashing ? &*h : nullptr);
      if (capturing) {
        RETURN_IF_ERROR(captures->Offer(body, e, le, static_cast<uint32_t>(out->entries.size() - 1), out));
      }
      if (hashing) {
        RETURN_IF_ERROR(body.Drain(buf));
        out->content_hashes.push_back(h->FinishRaw());
      }
    }
    if (hash_contents && !hashing) out->content_hashes.push_back({});
    out->content_size += e.size;
    if (le.kind == EntryKind::kFile || le.kind == EntryKind::kSymlink ||
        le.kind == EntryKind::kHardLink) {
      ++out->files;
    }
  }
  uint64_t end_blob = reader.end_blob_offset();
  if (have_prev) out->entries.back().blob_bytes = end_blob - prev_blob;
  ASSIGN_OR_RETURN(uint64_t end_offset, reader.Finish());
  // The bodies read in the background, before the reader's warnings, as
  // capturing in the scan would have ordered them.
  if (capturing) RETURN_IF_ERROR(captures->Finish(out));
  out->tar_size = reader.total_size();
  out->end_tar_bytes = out->tar_size - end_offset;
  // The compressed bytes before the first member (gzip header) and after
  // the end-of-archive marker (trailer, padding) go with the end region.
  // The stream was read to its end, so blob_position() is now exact.
  uint64_t final_blob = tar_stream.blob_position();
  out->end_blob_bytes = first_blob + (final_blob > end_blob ? final_blob - end_blob : 0);
  for (auto& w : reader.warnings()) out->warnings.push_back(w);
  return Status::Ok();
}

namespace {

// What ScanBlob hashes and checks on the way.
struct BlobChecks {
  bool hash_blob = false;
  std::string blob_digest;  // expected; "" to only compute
  int64_t blob_size = -1;
  bool hash_diff = false;
  std::string diff_id;      // expected; "" to only compute
  HashThreading threading = HashThreading::kAuto;
};

// The bottom of the pipeline: passes |inner| through, and makes sure a read
// error names the blob. A store's own sources name themselves (a file's
// path and offset, a registry URL); one that does not (a bare "Input/output
// error") gets "LOCATION: read failed at blob offset N: " in front.
class BlobErrorSource final : public ByteSource {
 public:
  BlobErrorSource(std::unique_ptr<ByteSource> inner, std::string location)
      : inner_(std::move(inner)), location_(std::move(location)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    uint64_t at = inner_->position();
    Result<size_t> got = inner_->Read(buf, n);
    if (!got) return Named(got.error(), at);
    return got;
  }
  Status Skip(uint64_t n) override {
    Status st = inner_->Skip(n);
    return st.ok() ? st : Named(st, inner_->position());  // as far as it got
  }
  uint64_t position() const override { return inner_->position(); }
  uint64_t blob_position() const override { return inner_->blob_position(); }
  const std::string& name() const override { return inner_->name(); }
  bool has_read_view() const override { return inner_->has_read_view(); }
  std::unique_ptr<ByteSource> OpenAt(uint64_t offset) const override {
    std::unique_ptr<ByteSource> second = inner_->OpenAt(offset);
    if (second == nullptr) return nullptr;
    return std::make_unique<BlobErrorSource>(std::move(second), location_);
  }
  Result<std::string_view> ReadView(size_t max) override {
    uint64_t at = inner_->position();
    Result<std::string_view> got = inner_->ReadView(max);
    if (!got) return Named(got.error(), at);
    return got;
  }

 private:
  Status Named(const Status& st, uint64_t at) const {
    if (location_.empty() || st.message().find(location_) != std::string::npos) return st;
    return Status(st.code(), StrFormat("%s: read failed at blob offset %llu: %s", location_.c_str(),
                                       static_cast<unsigned long long>(at), st.message().c_str()));
  }
  std::unique_ptr<ByteSource> inner_;
  std::string location_;
};

// raw -> [blob hash] -> decompressor -> [diff hash] -> ScanLayerTar, then
// the attribution check against |stored|. Computed digests go to
// *blob_digest / *diff_digest (left empty when not hashed).
Status ScanBlob(std::unique_ptr<ByteSource> raw, uint64_t stored, Compression compression,
                const BlobChecks& checks, const std::string& location, const ScanOptions& options,
                PathInterner& paths, LayerScan* out, std::string* blob_digest, std::string* diff_digest) {
  out->blob_size = stored;
  raw = std::make_unique<BlobErrorSource>(std::move(raw), location);
  HashingSource* blob_hash = nullptr;
  if (checks.hash_blob) {
    auto h = HashingSource::Make(std::move(raw), checks.blob_digest, checks.blob_size, checks.threading);
    blob_hash = h.get();
    raw = std::move(h);
  }
  std::unique_ptr<ByteSource> tar = MakeDecompressor(compression, std::move(raw));
  HashingSource* diff_hash = nullptr;
  if (checks.hash_diff) {
    // Inline: a background hasher reads ahead, and blob_position() must
    // keep following the decompressor below it for BLOB attribution.
    auto h = HashingSource::Make(std::move(tar), checks.diff_id, -1, HashThreading::kInline);
    diff_hash = h.get();
    tar = std::move(h);
  }
  Status st = ScanLayerTar(*tar, paths, out, options.hash_contents, options.capture, options.defer_capture);
  if (!st.ok()) return st;
  // Every stored byte must be attributed exactly once.
  uint64_t attributed = out->end_blob_bytes;
  for (const LayerEntry& e : out->entries) attributed += e.blob_bytes;
  if (attributed < stored) {
    out->end_blob_bytes += stored - attributed;  // bytes past what the decompressor needed
  } else if (attributed > stored) {
    return Error(Errc::kInternal,
                 StrFormat("%s: attributed %llu compressed bytes, the blob has %llu", location.c_str(),
                           static_cast<unsigned long long>(attributed), static_cast<unsigned long long>(stored)));
  }
  // The tar reader drained its stream, so the hashers have normally seen the
  // end already; Finish() makes sure (and runs the digest and size checks).
  if (diff_hash) {
    RETURN_IF_ERROR(diff_hash->Finish());
    *diff_digest = diff_hash->digest();
  }
  if (blob_hash) {
    RETURN_IF_ERROR(blob_hash->Finish());
    *blob_digest = blob_hash->digest();
  }
  return Status::Ok();
}

}  // namespace

Status ScanImageLayer(Image& image, size_t index, const ScanOptions& options, PathInterner& paths,
                      LayerScan* out) {
  const bool verify = options.verify;
  const LayerRef& layer = image.layers[index];
  out->index = index;
  ASSIGN_OR_RETURN(uint64_t stored, image.blobs->Size(layer.blob));
  ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> raw, image.blobs->Open(layer.blob));

  const bool compressed = layer.compression != Compression::kNone;
  BlobChecks checks;
  checks.hash_blob = (compressed || verify) && !layer.blob.digest.empty();
  checks.blob_digest = layer.blob.digest;
  checks.blob_size = layer.blob.size;
  checks.hash_diff = verify && !layer.diff_id.empty() && (compressed || layer.blob.digest != layer.diff_id);
  checks.diff_id = layer.diff_id;
  std::string blob_digest, diff_digest;
  RETURN_IF_ERROR(ScanBlob(std::move(raw), stored, layer.compression, checks, layer.blob.location, options, paths,
                           out, &blob_digest, &diff_digest));
  out->blob_digest = blob_digest;
  if (checks.hash_diff) out->diff_id = diff_digest;
  else if (!compressed && checks.hash_blob) out->diff_id = out->blob_digest;
  return Status::Ok();
}

Status ScanStreamedBlob(std::unique_ptr<ByteSource> raw, uint64_t stored, Compression compression,
                        const ScanOptions& options, PathInterner& paths, LayerScan* out, std::string* blob_digest,
                        std::string* diff_digest) {
  BlobChecks checks;
  checks.hash_blob = true;
  checks.blob_size = static_cast<int64_t>(stored);
  checks.hash_diff = options.verify;
  // The same threading as a file scan of the blob would pick: BLOB
  // attribution follows the decompressor's read sizes, which it sets.
  checks.threading = HashThreading::kAuto;
  std::string location = raw->name();
  return ScanBlob(std::move(raw), stored, compression, checks, location, options, paths, out, blob_digest,
                  diff_digest);
}

Status AdoptStreamedScan(const LayerRef& layer, size_t index, bool verify, const std::string& blob_digest,
                         const std::string& diff_digest, LayerScan* out) {
  out->index = index;
  const bool compressed = layer.compression != Compression::kNone;
  const bool check_blob = (compressed || verify) && !layer.blob.digest.empty();
  if (!layer.blob.digest.empty() && blob_digest != layer.blob.digest) {
    return Error(Errc::kDigestMismatch, StrFormat("%s: digest mismatch: manifest says %s, content is %s",
                                                  layer.blob.location.c_str(), layer.blob.digest.c_str(),
                                                  blob_digest.c_str()));
  }
  if (layer.blob.size >= 0 && static_cast<uint64_t>(layer.blob.size) != out->blob_size) {
    return Error(Errc::kDigestMismatch,
                 StrFormat("%s: size %llu, the manifest says %lld", layer.blob.location.c_str(),
                           static_cast<unsigned long long>(out->blob_size), static_cast<long long>(layer.blob.size)));
  }
  const bool check_diff = verify && !layer.diff_id.empty() && (compressed || layer.blob.digest != layer.diff_id);
  if (check_diff && diff_digest != layer.diff_id) {
    return Error(Errc::kDigestMismatch,
                 StrFormat("%s: diff_id mismatch: expected %s, the uncompressed tar is %s", layer.blob.location.c_str(),
                           layer.diff_id.c_str(), diff_digest.c_str()));
  }
  // Report what a scan of the same blob from a file reports.
  out->blob_digest = check_blob ? blob_digest : std::string();
  if (check_diff) out->diff_id = diff_digest;
  else if (!compressed && check_blob) out->diff_id = out->blob_digest;
  else out->diff_id.clear();
  return Status::Ok();
}

Result<ImageScan> ScanImage(Image& image, const ScanOptions& options) { return ScanImage(image, options, nullptr); }

Result<ImageScan> ScanImage(Image& image, const ScanOptions& options, LayerScanCache* cache) {
  ImageScan scan;
  const size_t n = image.layers.size();
  scan.layers.resize(n);
  if (n == 0) return scan;
  if (!image.blobs) return Error(Errc::kInternal, image.reference + ": image has no blob store");

  unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
  if (threads == 0) threads = 1;
  threads = static_cast<unsigned>(std::min<size_t>(threads, n));

  // Layers an earlier run scanned come from the cache (never under
  // --verify, which must read every blob); only the others are read.
  std::atomic<size_t> done{0};
  std::vector<LayerCacheKey> keys(n);
  std::vector<bool> keyed(n, false), hit(n, false);
  if (cache != nullptr && !options.verify) {
    for (size_t i = 0; i < n; ++i) keyed[i] = TryMakeLayerCacheKey(image.layers[i], options, &keys[i]);
    for (size_t i = 0; i < n; ++i) {
      if (!keyed[i]) continue;
      Result<uint64_t> stored = image.blobs->Size(image.layers[i].blob);
      if (!stored) continue;  // the scan below reports it
      LayerScan cached;
      if (!cache->TryLoad(keys[i], image.layers[i], *stored, *scan.paths, options.totals_only, &cached)) continue;
      SetUnverifiedDigests(image.layers[i], i, &cached);
      scan.layers[i] = std::move(cached);
      hit[i] = true;
      size_t d = done.fetch_add(1) + 1;
      if (options.progress) options.progress(d, n);
    }
  }

  // Largest blobs first, so one big layer does not start last and run alone.
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i) {
    if (!hit[i]) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return image.layers[a].blob.size > image.layers[b].blob.size;
  });
  threads = static_cast<unsigned>(std::max<size_t>(1, std::min<size_t>(threads, order.size())));

  // The error reported is the lowest failing layer's, whatever the
  // scheduling. Layers are handed out largest first, so a high layer may
  // fail before a lower one has started: after a failure at index F, workers
  // skip the layers above F (they cannot change the answer) but still scan
  // those below it, since one of them may fail too and then it wins.
  //
  //   handed out:  #5 ok  #4 FAIL  #6 skip  #1 ok  #2 FAIL  #3 skip  -> #2's error
  std::atomic<size_t> next{0};
  std::atomic<size_t> lowest_failed{n};  // n: none yet
  std::vector<Status> errors(n);
  auto worker = [&] {
    for (;;) {
      size_t k = next.fetch_add(1);
      if (k >= order.size()) return;
      size_t i = order[k];
      if (i > lowest_failed.load()) continue;
      Status st = ScanImageLayer(image, i, options, *scan.paths, &scan.layers[i]);
      if (!st.ok()) {
        errors[i] = std::move(st);
        size_t cur = lowest_failed.load();
        while (i < cur && !lowest_failed.compare_exchange_weak(cur, i)) {
        }
        continue;
      }
      size_t d = done.fetch_add(1) + 1;
      if (options.progress) options.progress(d, n);
    }
  };
  if (threads == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (size_t f = lowest_failed.load(); f < n) return errors[f];
  // Not under --verify: hashing the diff_id inline changes the read sizes
  // that compressed layers' per-member BLOB bytes follow (exact in sum, not
  // per member), so a verified scan is not what a plain scan would record.
  if (cache != nullptr && !options.verify) {
    for (size_t i = 0; i < n; ++i) {
      // A layer whose bodies are still queued is offered once they are
      // read (StoreDeferredLayers): stored now, it would lack them.
      if (keyed[i] && !hit[i] && scan.layers[i].deferred_bodies == nullptr) {
        cache->Store(keys[i], image.layers[i], scan.layers[i], *scan.paths);
      }
    }
  }
  return scan;
}

}  // namespace whittle
