#include "io/compress.h"

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <deque>
#include <future>
#include <vector>

#include "util/strings.h"

namespace whittle {

namespace {

Result<std::string> GzipChunk(int level, const void* data, size_t n) {
  if (level < 0) level = 1;
  if (level > ISAL_DEF_MAX_LEVEL) level = ISAL_DEF_MAX_LEVEL;
  static constexpr uint32_t kLevelBuf[] = {ISAL_DEF_LVL0_DEFAULT, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT,
                                           ISAL_DEF_LVL3_DEFAULT};
  std::vector<uint8_t> level_buf(kLevelBuf[level]);
  isal_zstream s;
  isal_deflate_init(&s);
  s.level = static_cast<uint32_t>(level);
  s.level_buf = level_buf.data();
  s.level_buf_size = static_cast<uint32_t>(level_buf.size());
  s.gzip_flag = IGZIP_GZIP;
  s.end_of_stream = 1;
  s.flush = NO_FLUSH;
  s.next_in = static_cast<uint8_t*>(const_cast<void*>(data));
  s.avail_in = static_cast<uint32_t>(n);
  // Stored blocks bound the output: input + 5 bytes per 64 KiB + header/trailer.
  std::string out(n + n / 8192 + 1024, '\0');
  s.next_out = reinterpret_cast<uint8_t*>(out.data());
  s.avail_out = static_cast<uint32_t>(out.size());
  while (s.internal_state.state != ZSTATE_END) {
    int rc = isal_deflate(&s);
    if (rc != COMP_OK) return Error(Errc::kInternal, StrFormat("isal_deflate failed (%d)", rc));
    if (s.avail_out == 0 && s.internal_state.state != ZSTATE_END) {
      size_t used = out.size();
      out.resize(used * 2);
      s.next_out = reinterpret_cast<uint8_t*>(out.data()) + used;
      s.avail_out = static_cast<uint32_t>(out.size() - used);
    }
  }
  out.resize(s.total_out);
  return out;
}

Result<std::string> ZstdChunk(int level, const void* data, size_t n) {
  if (level < 0) level = 3;
  std::string out(ZSTD_compressBound(n), '\0');
  size_t rc = ZSTD_compress(out.data(), out.size(), data, n, level);
  if (ZSTD_isError(rc)) return Error(Errc::kInternal, std::string("zstd: ") + ZSTD_getErrorName(rc));
  out.resize(rc);
  return out;
}

class ChunkCompressor : public ByteSink {
 public:
  ChunkCompressor(const CompressOptions& o, ByteSink* out)
      : c_(o.compression), level_(o.level), threads_(o.threads == 0 ? 1 : o.threads), out_(out) {
    buf_.reserve(kCompressChunk);
  }
  ~ChunkCompressor() override {
    for (auto& f : pending_) f.wait();
  }

  Status Write(const void* data, size_t n) override {
    if (!error_.ok()) return error_;
    const char* p = static_cast<const char*>(data);
    while (n > 0) {
      size_t take = std::min(n, kCompressChunk - buf_.size());
      buf_.append(p, take);
      p += take;
      n -= take;
      if (buf_.size() == kCompressChunk) {
        if (Status st = Submit(); !st.ok()) return st;
      }
    }
    return Status::Ok();
  }

  Status Close() override {
    if (!error_.ok()) return error_;
    if (!buf_.empty() || !wrote_any_) {
      if (Status st = Submit(); !st.ok()) return st;
    }
    while (!pending_.empty()) {
      if (Status st = WriteFront(); !st.ok()) return st;
    }
    return Status::Ok();
  }

 private:
  Status Submit() {
    while (pending_.size() >= threads_) {
      if (Status st = WriteFront(); !st.ok()) return st;
    }
    auto chunk = std::make_shared<std::string>(std::move(buf_));
    buf_ = std::string();
    buf_.reserve(kCompressChunk);
    Compression c = c_;
    int level = level_;
    pending_.push_back(std::async(std::launch::async,
                                  [chunk, c, level] { return CompressChunk(c, level, chunk->data(), chunk->size()); }));
    wrote_any_ = true;
    return Status::Ok();
  }

  Status WriteFront() {
    Result<std::string> r = pending_.front().get();
    pending_.pop_front();
    if (!r) {
      error_ = r.error();
      return error_;
    }
    error_ = out_->Write(r->data(), r->size());
    return error_;
  }

  Compression c_;
  int level_;
  size_t threads_;
  ByteSink* out_;
  std::string buf_;
  std::deque<std::future<Result<std::string>>> pending_;
  bool wrote_any_ = false;
  Status error_;
};

class PassThrough : public ByteSink {
 public:
  explicit PassThrough(ByteSink* out) : out_(out) {}
  Status Write(const void* data, size_t n) override { return out_->Write(data, n); }
  Status Close() override { return Status::Ok(); }

 private:
  ByteSink* out_;
};

}  // namespace

Result<std::string> CompressChunk(Compression c, int level, const void* data, size_t n) {
  switch (c) {
    case Compression::kGzip:
      return GzipChunk(level, data, n);
    case Compression::kZstd:
      return ZstdChunk(level, data, n);
    case Compression::kNone:
      break;
  }
  return std::string(static_cast<const char*>(data), n);
}

std::unique_ptr<ByteSink> MakeCompressor(const CompressOptions& options, ByteSink* out) {
  if (options.compression == Compression::kNone) return std::make_unique<PassThrough>(out);
  return std::make_unique<ChunkCompressor>(options, out);
}

}  // namespace whittle
