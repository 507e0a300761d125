#include "compact/layer_index.h"

#include "compact/member_reader.h"
#include "io/compression.h"
#include "io/decompress.h"
#include "io/hashing_source.h"
#include "util/interrupt.h"
#include "util/sha256.h"

namespace whittle {

Result<LayerIndex> IndexLayer(std::unique_ptr<ByteSource> blob, int compression, const std::string& expected_digest,
                              int64_t expected_size) {
  auto hashing = HashingSource::Make(std::move(blob), expected_digest, expected_size);
  HashingSource* hasher = hashing.get();
  MemberReader reader(MakeDecompressor(static_cast<Compression>(compression), std::move(hashing)));
  LayerIndex out;
  std::vector<char> buf(256 * 1024);
  for (;;) {
    if (InterruptSignal() != 0) return Error(Errc::kIo, "interrupted; nothing written");
    ASSIGN_OR_RETURN(bool more, reader.Next());
    if (!more) break;
    const TarEntry& e = reader.entry();
    MemberRecord r;
    r.path = e.path;
    r.link_target = e.link_target;
    r.type = e.type;
    r.mode = e.mode & 07777;
    r.uid = e.uid;
    r.gid = e.gid;
    r.size = e.size;
    r.tar_bytes = e.header_size + e.stored_size + e.padding;
    r.whiteout = ClassifyWhiteout(e.path, &r.whiteout_target);
    if (!r.is_whiteout()) r.xattrs = XattrsFromRawHeaders(reader.raw_headers());
    if (r.is_whiteout() || e.type == TarEntryType::kDirectory) r.raw_headers.assign(reader.raw_headers());
    if (e.type == TarEntryType::kRegular && !r.is_whiteout()) {
      Sha256 h;
      for (;;) {
        ASSIGN_OR_RETURN(size_t n, reader.ReadData(buf.data(), buf.size()));
        if (n == 0) break;
        h.Update(buf.data(), n);
      }
      r.content = h.FinishRaw();
    }
    out.members.push_back(std::move(r));
  }
  ASSIGN_OR_RETURN(out.tar_size, reader.Finish());
  RETURN_IF_ERROR(hasher->Finish());
  out.blob_digest = hasher->digest();
  out.blob_size = hasher->position();
  return out;
}

}  // namespace whittle
