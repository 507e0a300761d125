#include "image/stream_archive.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <utility>

#include "image/docker_archive.h"
#include "image/layout_store.h"
#include "image/oci_layout.h"
#include "image/tar_archive_store.h"
#include "image/transport.h"
#include "io/compression.h"
#include "io/decompress.h"
#include "io/file_source.h"
#include "tar/tar_reader.h"
#include "util/strings.h"

namespace whittle {
namespace {

constexpr int kMaxLinkHops = 8;
constexpr size_t kHeadBytes = 512;  // enough to see a tar header's "ustar" at 257

enum class Kept : uint8_t { kBytes, kStreamed, kSkipped };

struct Member {
  uint64_t size = 0;
  TarEntryType type = TarEntryType::kRegular;
  std::string link_target;
  Kept kept = Kept::kSkipped;
  Compression compression = Compression::kNone;  // kStreamed: sniffed
  std::string data;                              // kBytes: the whole member; otherwise its first bytes
};

// Yields |head| and then fails: what opening a member that streamed by
// gives. The head is enough to sniff a layer's compression; anything
// reading further is told the bytes are gone rather than getting a short
// blob.
class HeadOnlySource final : public ByteSource {
 public:
  HeadOnlySource(std::string head, std::string name) : head_(std::move(head)), name_(std::move(name)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    if (pos_ < head_.size()) {
      size_t k = std::min(n, head_.size() - static_cast<size_t>(pos_));
      std::memcpy(buf, head_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    return Error(Errc::kInternal,
                 StrFormat("%s: read in one pass and not kept; it cannot be read again", name_.c_str()));
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

 private:
  std::string head_;
  std::string name_;
  uint64_t pos_ = 0;
};

// |head| (bytes already read from |inner|), then the rest of |inner|.
class PrefixedSource final : public ByteSource {
 public:
  PrefixedSource(std::string head, std::unique_ptr<ByteSource> inner)
      : head_(std::move(head)), inner_(std::move(inner)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    if (pos_ < head_.size()) {
      size_t k = std::min(n, head_.size() - static_cast<size_t>(pos_));
      std::memcpy(buf, head_.data() + pos_, k);
      pos_ += k;
      return k;
    }
    ASSIGN_OR_RETURN(size_t got, inner_->Read(buf, n));
    pos_ += got;
    return got;
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return inner_->name(); }

 private:
  std::string head_;
  std::unique_ptr<ByteSource> inner_;
  uint64_t pos_ = 0;
};

// The rest of the outer tar reader's current member, named |name|
// (PrefixedSource puts the member's already-read head in front).
class TarDataSource final : public ByteSource {
 public:
  TarDataSource(TarReader* reader, std::string name) : reader_(reader), name_(std::move(name)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    ASSIGN_OR_RETURN(size_t got, reader_->ReadData(buf, n));
    pos_ += got;
    return got;
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

 private:
  TarReader* reader_;
  std::string name_;
  uint64_t pos_ = 0;
};

// The kept members of a streamed archive, as a LayoutStore.
class StreamStore final : public LayoutStore {
 public:
  explicit StreamStore(std::string name) : name_(std::move(name)) {}

  void Add(std::string path, Member m) { members_.insert_or_assign(std::move(path), std::move(m)); }

  /// Follows links from |rel| to a regular member; |final_path| gets its name.
  Result<const Member*> Resolve(std::string_view rel, std::string* final_path) const {
    std::string cur(rel);
    for (int hop = 0; hop <= kMaxLinkHops; ++hop) {
      auto it = members_.find(cur);
      if (it == members_.end()) {
        return Error(Errc::kNotFound, StrFormat("%s: %s not found", name_.c_str(), EscapeForMessage(cur).c_str()));
      }
      const Member& m = it->second;
      if (m.type == TarEntryType::kRegular) {
        *final_path = cur;
        return &m;
      }
      std::string next;
      if (m.type == TarEntryType::kSymlink) {
        if (!ResolveArchiveSymlink(cur, m.link_target, &next)) {
          return Error(Errc::kCorrupt, StrFormat("%s: member %s is a symlink to %s, outside the archive: manifest "
                                                 "points outside the layout",
                                                 name_.c_str(), EscapeForMessage(cur).c_str(),
                                                 EscapeForMessage(m.link_target).c_str()));
        }
      } else if (m.type == TarEntryType::kHardLink) {
        std::string_view t = m.link_target;
        while (!t.empty() && t[0] == '/') t.remove_prefix(1);
        if (t.empty()) {
          return Error(Errc::kCorrupt, StrFormat("%s: member %s is a hard link with no target", name_.c_str(),
                                                 EscapeForMessage(cur).c_str()));
        }
        next = std::string(t);
      } else {
        return Error(Errc::kCorrupt,
                     StrFormat("%s: member %s is not a regular file", name_.c_str(), EscapeForMessage(cur).c_str()));
      }
      cur = std::move(next);
    }
    return Error(Errc::kCorrupt,
                 StrFormat("%s: %s: too many levels of links", name_.c_str(), EscapeForMessage(rel).c_str()));
  }

  Result<std::unique_ptr<ByteSource>> OpenPath(std::string_view rel) override {
    ASSIGN_OR_RETURN(std::string clean, CheckRelativePath(rel, name_));
    std::string path;
    ASSIGN_OR_RETURN(const Member* m, Resolve(clean, &path));
    if (m->kept == Kept::kBytes) return MakeMemorySource(m->data, PathLocation(clean));
    return std::unique_ptr<ByteSource>(std::make_unique<HeadOnlySource>(m->data, PathLocation(clean)));
  }
  Result<uint64_t> PathSize(std::string_view rel) override {
    ASSIGN_OR_RETURN(std::string clean, CheckRelativePath(rel, name_));
    std::string path;
    ASSIGN_OR_RETURN(const Member* m, Resolve(clean, &path));
    return m->size;
  }
  bool PathExists(std::string_view rel) override {
    auto clean = CheckRelativePath(rel, name_);
    std::string path;
    return clean && Resolve(*clean, &path).has_value();
  }
  std::string PathLocation(std::string_view rel) const override { return name_ + ":" + std::string(rel); }
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::map<std::string, Member, std::less<>> members_;  // key: path without leading '/'
};

bool LooksLikeJson(std::string_view head) {
  for (char c : head) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{' || c == '[';
  }
  return false;
}

bool LooksLikeTar(std::string_view head, uint64_t size) {
  if (head.size() >= 262 && head.substr(257, 5) == "ustar") return true;
  // An empty layer: only the two zero end blocks.
  return size >= 1024 && head.size() == kHeadBytes &&
         std::all_of(head.begin(), head.end(), [](char c) { return c == '\0'; });
}

Status ReadHead(TarReader& reader, uint64_t size, std::string* head) {
  head->resize(static_cast<size_t>(std::min<uint64_t>(size, kHeadBytes)));
  size_t n = 0;
  while (n < head->size()) {
    ASSIGN_OR_RETURN(size_t got, reader.ReadData(head->data() + n, head->size() - n));
    if (got == 0) break;
    n += got;
  }
  head->resize(n);
  return Status::Ok();
}

// Reads the rest of the current member (|size| bytes in all, |data| holding
// the first ones) into |data|.
Status ReadRest(TarReader& reader, uint64_t size, std::string* data) {
  size_t n = data->size();
  data->resize(static_cast<size_t>(size));
  while (n < data->size()) {
    ASSIGN_OR_RETURN(size_t got, reader.ReadData(data->data() + n, data->size() - n));
    if (got == 0) break;
    n += got;
  }
  data->resize(n);
  return Status::Ok();
}

// How the mismatch message names a compression: "uncompressed" reads
// better there than "none".
const char* DescribeCompression(Compression c) {
  return c == Compression::kNone ? "uncompressed" : CompressionName(c);
}

}  // namespace

Result<std::optional<ImageStream>> OpenImageStream(const std::string& reference) {
  ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference(reference));
  const Transport* docker = FindTransport("docker-archive");
  const Transport* oci = FindTransport("oci-archive");
  if (ref.transport != nullptr && ref.transport->open_stream != nullptr) {
    ImageStream s;
    ASSIGN_OR_RETURN(s.source, ref.transport->open_stream(ref, &s.name));
    s.format = ref.transport->name;
    s.ref.transport = docker;  // every stream transport serves a docker save archive
    s.ref.path = s.name;
    return std::optional<ImageStream>(std::move(s));
  }
  if (ref.transport != nullptr && ref.transport != docker && ref.transport != oci) return std::optional<ImageStream>();
  if (ref.path == "-") {
    ImageStream s;
    s.name = "stdin";
    // Sniff the first bytes, then hand them back in front of the rest.
    std::unique_ptr<ByteSource> in = MakeFdSource(STDIN_FILENO, s.name);
    std::string head(8, '\0');
    size_t n = 0;
    while (n < head.size()) {
      ASSIGN_OR_RETURN(size_t got, in->Read(head.data() + n, head.size() - n));
      if (got == 0) break;
      n += got;
    }
    head.resize(n);
    const Compression c = SniffCompression(head.data(), head.size());
    s.source = std::make_unique<PrefixedSource>(std::move(head), std::move(in));
    if (c != Compression::kNone) s.source = MakeDecompressor(c, std::move(s.source));
    s.ref = std::move(ref);
    return std::optional<ImageStream>(std::move(s));
  }
  auto file = File::Open(ref.path);
  if (!file || (*file)->is_directory()) return std::optional<ImageStream>();  // OpenImage says what is wrong
  unsigned char head[8] = {};
  ASSIGN_OR_RETURN(size_t got, (*file)->ReadAt(0, head, sizeof head));
  Compression c = SniffCompression(head, got);
  if (c == Compression::kNone) return std::optional<ImageStream>();
  ImageStream s;
  s.name = ref.path;
  s.source = MakeDecompressor(c, MakeFileRangeSource(*file, 0, (*file)->size(), ref.path));
  s.ref = std::move(ref);
  return std::optional<ImageStream>(std::move(s));
}

Status ReadImageStream(ImageStream& stream, const Platform& want, const LayerSink& sink, Image* image,
                       std::vector<std::string>* layer_members) {
  auto store = std::make_unique<StreamStore>(stream.name);
  const std::string& name = stream.name;
  TarReader reader(stream.source.get());
  TarEntry e;
  bool first = true;
  for (;;) {
    auto more = reader.Next(&e);
    if (!more) {
      if (first) {
        return Error(Errc::kUnsupported, StrFormat("%s: not an image: not a tar archive (%s)", name.c_str(),
                                                   more.error().message().c_str()));
      }
      return more.error();
    }
    if (!*more) break;
    first = false;
    if (e.type == TarEntryType::kDirectory || e.path_escaped) continue;
    std::string_view rel = e.path;
    while (!rel.empty() && rel[0] == '/') rel.remove_prefix(1);
    if (rel.empty()) continue;
    Member m;
    m.size = e.stored_size;
    m.type = e.type;
    m.link_target = e.link_target;
    if (e.type == TarEntryType::kRegular) {
      std::string head;
      RETURN_IF_ERROR(ReadHead(reader, e.stored_size, &head));
      const Compression c = SniffCompression(head.data(), head.size());
      const bool small = e.stored_size <= kMaxJsonBlob;
      if (small && LooksLikeJson(head)) {
        m.kept = Kept::kBytes;
      } else if (c != Compression::kNone || LooksLikeTar(head, e.stored_size)) {
        m.kept = Kept::kStreamed;
        m.compression = c;
      } else if (small) {
        m.kept = Kept::kBytes;
      }
      if (m.kept == Kept::kBytes) {
        m.data = std::move(head);
        RETURN_IF_ERROR(ReadRest(reader, e.stored_size, &m.data));
      } else {
        m.data = head.substr(0, 16);
      }
      if (m.kept == Kept::kStreamed) {
        StreamedMember sm;
        sm.path = std::string(rel);
        sm.location = store->PathLocation(rel);
        sm.size = e.stored_size;
        sm.compression = c;
        RETURN_IF_ERROR(sink(sm, std::make_unique<PrefixedSource>(std::move(head), std::make_unique<TarDataSource>(&reader, sm.location))));
      }
    }
    store->Add(std::string(rel), std::move(m));
  }
  if (first) return Error(Errc::kUnsupported, StrFormat("%s: not an image: an empty tar archive", name.c_str()));
  RETURN_IF_ERROR(reader.Finish().status());

  ImageReference& ref = stream.ref;
  if (ref.transport == nullptr) {
    if (store->PathExists("manifest.json")) {
      ref.transport = FindTransport("docker-archive");
    } else if (store->PathExists("index.json") && store->PathExists("oci-layout")) {
      ref.transport = FindTransport("oci-archive");
    } else {
      return Error(Errc::kUnsupported, StrFormat("%s: not an image: a tar with neither manifest.json (docker "
                                                 "save) nor index.json and oci-layout (OCI archive)",
                                                 name.c_str()));
    }
  }
  if (ref.transport == FindTransport("docker-archive")) {
    RETURN_IF_ERROR(ResolveDockerArchive(*store, ref, TransportHint(ref), image));
  } else {
    RETURN_IF_ERROR(ResolveOciLayout(*store, ref, want, TransportHint(ref), image));
  }

  layer_members->clear();
  for (size_t i = 0; i < image->layers.size(); ++i) {
    const LayerRef& layer = image->layers[i];
    ASSIGN_OR_RETURN(std::string rel, store->BlobPath(layer.blob));
    std::string path;
    ASSIGN_OR_RETURN(const Member* m, store->Resolve(rel, &path));
    switch (m->kept) {
      case Kept::kBytes:
        layer_members->push_back("");
        break;
      case Kept::kStreamed:
        if (m->compression != layer.compression) {
          return Error(Errc::kCorrupt,
                       StrFormat("%s (layer %zu): the manifest says %s, the content is %s", layer.blob.location.c_str(),
                                 i + 1, DescribeCompression(layer.compression), DescribeCompression(m->compression)));
        }
        layer_members->push_back(path);
        break;
      case Kept::kSkipped:
        return Error(Errc::kUnsupported, StrFormat("%s (layer %zu): neither a tar, gzip nor zstd stream",
                                                   layer.blob.location.c_str(), i + 1));
    }
  }
  image->blobs = std::move(store);
  return Status::Ok();
}

}  // namespace whittle
