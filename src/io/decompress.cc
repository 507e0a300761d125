#include "io/decompress.h"

#include <isa-l/igzip_lib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "util/strings.h"

namespace whittle {
namespace {

// The shared half of both decompressors: input buffering, output buffering
// for small reads, positions and blob_position() interpolation.
//
// A "step" is one call of Produce(): it decompresses into some buffer and
// may pull several input chunks. Before and after each step we record
// (compressed bytes consumed, decompressed bytes produced):
//
//   consumed:  step_in0_ ----------------------> step_in1_
//   produced:  step_out0_ ---- position() ----> step_out1_
//
// blob_position() maps position() linearly between the two pairs. Steps
// follow each other (step_in0_ of the next is step_in1_ of the last), so the
// mapping is monotonic, and the last step of a stream ends at the total
// consumed, so it is exact at end of stream.
//
// Reads of at least kDirectMin bytes are decompressed straight into the
// caller's memory; smaller ones go through out_ and are copied. Skip()
// decompresses into out_ and discards it: no copy at all.
class Decompressor : public ByteSource {
 public:
  static constexpr size_t kInSize = 256 * 1024;
  static constexpr size_t kOutSize = 256 * 1024;
  static constexpr size_t kDirectMin = 64 * 1024;

  Decompressor(std::unique_ptr<ByteSource> inner, const char* kind)
      : inner_(std::move(inner)), kind_(kind), use_view_(inner_->has_read_view()) {
    if (!use_view_) in_.resize(kInSize);
    in_base_ = inner_->position();
    step_in0_ = step_in1_ = in_base_;
  }

  Result<size_t> Read(void* buf, size_t n) override {
    if (!status_.ok()) return status_;
    if (n == 0) return size_t{0};
    if (out_pos_ < out_len_) {
      size_t k = std::min(n, out_len_ - out_pos_);
      std::memcpy(buf, out_.data() + out_pos_, k);
      out_pos_ += k;
      pos_ += k;
      return k;
    }
    if (n >= kDirectMin) {
      ASSIGN_OR_RETURN(size_t got, Step(static_cast<uint8_t*>(buf), n));
      pos_ += got;
      return got;
    }
    if (out_.empty()) out_.resize(kOutSize);
    ASSIGN_OR_RETURN(size_t got, Step(out_.data(), out_.size()));
    out_len_ = got;
    size_t k = std::min(n, got);
    std::memcpy(buf, out_.data(), k);
    out_pos_ = k;
    pos_ += k;
    return k;
  }

  Status Skip(uint64_t n) override {
    if (!status_.ok()) return status_;
    size_t buffered = out_len_ - out_pos_;
    if (n <= buffered) {
      out_pos_ += static_cast<size_t>(n);
      pos_ += n;
      return Status::Ok();
    }
    out_pos_ = out_len_ = 0;
    pos_ += buffered;
    n -= buffered;
    if (out_.empty()) out_.resize(kOutSize);
    while (n > 0) {
      size_t want = static_cast<size_t>(std::min<uint64_t>(n, out_.size()));
      ASSIGN_OR_RETURN(size_t got, Step(out_.data(), want));
      if (got == 0) {
        status_ = Error(Errc::kCorrupt,
                        StrFormat("%s: unexpected end of data at offset %llu (wanted %llu more bytes)",
                                  name().c_str(), static_cast<unsigned long long>(pos_),
                                  static_cast<unsigned long long>(n)));
        return status_;
      }
      pos_ += got;
      n -= got;
    }
    return Status::Ok();
  }

  uint64_t position() const override { return pos_; }

  uint64_t blob_position() const override {
    if (pos_ >= step_out1_ || step_out1_ == step_out0_) return step_in1_;
    uint64_t din = step_in1_ - step_in0_;
    uint64_t dout = step_out1_ - step_out0_;
    uint64_t at = pos_ - step_out0_;
    if (din < (1ull << 31) && dout < (1ull << 32)) return step_in0_ + din * at / dout;
    return step_in0_ + static_cast<uint64_t>(static_cast<long double>(din) * at / dout);
  }

  const std::string& name() const override { return inner_->name(); }

 protected:
  /// Decompresses up to |cap| bytes into |dst|; 0 means the stream ended
  /// cleanly. Errors are returned (the caller makes them sticky).
  virtual Result<size_t> Produce(uint8_t* dst, size_t cap) = 0;

  /// Compressed bytes the decoder has taken so far (offset in the blob).
  uint64_t consumed() const { return in_base_ + in_read_ - in_avail(); }
  /// Input bytes fetched but not yet taken by the decoder.
  virtual size_t in_avail() const = 0;

  /// Replaces the (fully consumed) input with the next chunk of |inner_|:
  /// a view of inner's own buffer when it offers one, else a copy in in_.
  /// Returns the new input; empty at end of input.
  ///
  /// Every chunk but the last is kInSize bytes, whatever sizes |inner_|
  /// hands out (a pipe gives what the writer has written so far): the
  /// decoder's steps, and so blob_position(), then depend only on the blob.
  /// View sources (a memory blob, the hasher's 512 KiB chunks) give full
  /// views of up to kInSize bytes already.
  Result<std::string_view> Refill() {
    if (inner_eof_) return std::string_view();
    std::string_view got;
    if (use_view_) {
      ASSIGN_OR_RETURN(got, inner_->ReadView(kInSize));
    } else {
      // An error after some bytes waits for the next call: the decoder
      // takes the good bytes first.
      if (!inner_error_.ok()) return inner_error_;
      size_t n = 0;
      while (n < in_.size()) {
        auto k = inner_->Read(in_.data() + n, in_.size() - n);
        if (!k.has_value()) {
          if (n == 0) return k.error();
          inner_error_ = k.error();
          break;
        }
        if (*k == 0) break;
        n += *k;
      }
      got = std::string_view(reinterpret_cast<const char*>(in_.data()), n);
    }
    if (got.empty()) inner_eof_ = true;
    in_read_ += got.size();
    return got;
  }

  /// Returns |s|, unless |produced| bytes were already decompressed in this
  /// step: then those are handed out first and |s| comes on the next call,
  /// so consumers see every good byte before the damage.
  Result<size_t> Fail(Status s, size_t produced) {
    if (produced == 0) return s;
    deferred_ = std::move(s);
    return produced;
  }

  Status Corrupt(const char* what) const { return CorruptAt(consumed(), what); }
  Status CorruptAt(uint64_t offset, const char* what) const {
    return Error(Errc::kCorrupt, StrFormat("%s: corrupt %s stream at compressed offset %llu: %s",
                                           name().c_str(), kind_,
                                           static_cast<unsigned long long>(offset), what));
  }
  Status Truncated() const {
    return Error(Errc::kCorrupt, StrFormat("%s: truncated %s stream at compressed offset %llu",
                                           name().c_str(), kind_,
                                           static_cast<unsigned long long>(consumed())));
  }

  std::unique_ptr<ByteSource> inner_;
  const char* kind_;
  bool use_view_;            // decode from inner_->ReadView(), no copy
  std::vector<uint8_t> in_;  // input copy buffer, unused with views
  bool inner_eof_ = false;
  Status inner_error_;  // |inner_| failed after the bytes of the last chunk

 private:
  Result<size_t> Step(uint8_t* dst, size_t cap) {
    if (done_) return size_t{0};
    if (!deferred_.ok()) {
      status_ = deferred_;
      return status_;
    }
    step_in0_ = consumed();
    step_out0_ = produced_;
    auto got = Produce(dst, cap);
    if (!got.has_value()) {
      status_ = got.error();
      return status_;
    }
    produced_ += *got;
    step_in1_ = consumed();
    step_out1_ = produced_;
    if (*got == 0) done_ = true;
    return *got;
  }

  uint64_t in_base_ = 0;  // inner_->position() when we took it over
  uint64_t in_read_ = 0;  // bytes fetched from inner_ by us
  std::vector<uint8_t> out_;  // small-read buffer, allocated on first use
  size_t out_pos_ = 0;        // out_[out_pos_, out_len_) is not yet handed out
  size_t out_len_ = 0;
  uint64_t pos_ = 0;          // decompressed bytes handed out or skipped
  uint64_t produced_ = 0;     // decompressed bytes produced (>= pos_)
  uint64_t step_in0_ = 0, step_in1_ = 0, step_out0_ = 0, step_out1_ = 0;
  bool done_ = false;
  Status deferred_;  // an error to report after the bytes produced before it
  Status status_;    // sticky error
};

// gzip through ISA-L. ISA-L parses the gzip header and checks the CRC32 and
// ISIZE trailer itself (crc_flag = ISAL_GZIP). After a member ends, any
// further input must be another member (pigz, estargz, `cat a.gz b.gz`);
// anything else fails as an invalid header.
class GzipSource final : public Decompressor {
 public:
  explicit GzipSource(std::unique_ptr<ByteSource> inner)
      : Decompressor(std::move(inner), "gzip"), state_(std::make_unique<inflate_state>()) {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP;
    state_->hist_bits = 0;
    state_->next_in = nullptr;
    state_->avail_in = 0;
  }

 protected:
  size_t in_avail() const override { return state_->avail_in; }

  Result<size_t> Produce(uint8_t* dst, size_t cap) override {
    inflate_state& s = *state_;
    s.next_out = dst;
    s.avail_out = static_cast<uint32_t>(std::min<size_t>(cap, UINT32_MAX));
    uint32_t want = s.avail_out;
    while (s.avail_out > 0) {
      if (member_done_) {
        if (s.avail_in == 0) {
          auto got = Refill();
          if (!got.has_value()) return Fail(got.error(), want - s.avail_out);
          if (got->empty()) break;  // clean end after a complete member
          SetInput(*got);
        }
        // Another member follows: start over, keeping the input pointers.
        uint8_t* next_in = s.next_in;
        uint32_t avail_in = s.avail_in;
        uint8_t* next_out = s.next_out;
        uint32_t avail_out = s.avail_out;
        isal_inflate_reset(&s);
        s.crc_flag = ISAL_GZIP;
        s.hist_bits = 0;
        s.next_in = next_in;
        s.avail_in = avail_in;
        s.next_out = next_out;
        s.avail_out = avail_out;
        member_done_ = false;
        member_start_ = consumed();
      }
      if (s.avail_in == 0 && !inner_eof_) {
        auto got = Refill();
        if (!got.has_value()) return Fail(got.error(), want - s.avail_out);
        SetInput(*got);
      }
      uint32_t in_before = s.avail_in;
      uint32_t out_before = s.avail_out;
      int ret = isal_inflate(&s);
      if (ret != ISAL_DECOMP_OK) {
        // A bad header is reported where its member starts (e.g. junk
        // after the last member); other damage where the decoder stopped.
        bool header = ret == ISAL_INVALID_WRAPPER || ret == ISAL_UNSUPPORTED_METHOD;
        return Fail(CorruptAt(header ? member_start_ : consumed(), IsalError(ret)),
                    want - s.avail_out);
      }
      if (s.block_state == ISAL_BLOCK_FINISH) {
        member_done_ = true;
        continue;
      }
      if (s.avail_in == in_before && s.avail_out == out_before) {
        // No progress: the decoder wants input we do not have.
        if (inner_eof_ && s.avail_in == 0) return Fail(Truncated(), want - s.avail_out);
        if (s.avail_in != 0) return Fail(Corrupt("decoder made no progress"), want - s.avail_out);
      }
    }
    return static_cast<size_t>(want - s.avail_out);
  }

 private:
  // ISA-L never writes through next_in; its type is just not const.
  void SetInput(std::string_view in) {
    state_->next_in = reinterpret_cast<uint8_t*>(const_cast<char*>(in.data()));
    state_->avail_in = static_cast<uint32_t>(in.size());
  }

  static const char* IsalError(int ret) {
    switch (ret) {
      case ISAL_INVALID_BLOCK: return "invalid deflate block";
      case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
      case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
      case ISAL_INVALID_WRAPPER: return "invalid gzip header";
      case ISAL_UNSUPPORTED_METHOD: return "unsupported compression method";
      case ISAL_INCORRECT_CHECKSUM: return "CRC32 or length check failed";
      case ISAL_NEED_DICT: return "preset dictionary required";
      default: return "inflate error";
    }
  }

  // inflate_state is ~50 KiB of tables; keep it off the stack and out of
  // the object's inline size.
  std::unique_ptr<inflate_state> state_;
  bool member_done_ = false;   // the last member ended (CRC and size checked)
  uint64_t member_start_ = 0;  // compressed offset where the current member began
};

// zstd through libzstd's streaming decoder, which continues across frames
// and skips skippable frames by itself. The window is capped at libzstd's
// default (2^27 bytes), which bounds memory on untrusted input.
class ZstdSource final : public Decompressor {
 public:
  explicit ZstdSource(std::unique_ptr<ByteSource> inner)
      : Decompressor(std::move(inner), "zstd"), dctx_(ZSTD_createDCtx()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

 protected:
  size_t in_avail() const override { return in_buf_.size - in_buf_.pos; }

  Result<size_t> Produce(uint8_t* dst, size_t cap) override {
    if (dctx_ == nullptr) return Error(Errc::kInternal, "out of memory creating a zstd decoder");
    ZSTD_outBuffer out = {dst, cap, 0};
    while (out.pos < out.size) {
      if (in_buf_.pos == in_buf_.size && !inner_eof_) {
        auto got = Refill();
        if (!got.has_value()) return Fail(got.error(), out.pos);
        in_buf_ = {got->data(), got->size(), 0};
      }
      if (in_buf_.pos == in_buf_.size && inner_eof_ && !in_frame_) break;  // clean end
      size_t in_before = in_buf_.pos;
      size_t out_before = out.pos;
      size_t ret = ZSTD_decompressStream(dctx_, &out, &in_buf_);
      if (ZSTD_isError(ret)) {
        if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge) {
          return Fail(Error(Errc::kTooLarge,
                       StrFormat("%s: zstd frame at compressed offset %llu needs a window larger "
                                 "than 128 MiB",
                                 name().c_str(), static_cast<unsigned long long>(consumed()))),
                      out.pos);
        }
        return Fail(Corrupt(ZSTD_getErrorName(ret)), out.pos);
      }
      // ret == 0: a frame ended and everything was flushed.
      in_frame_ = ret != 0;
      if (in_buf_.pos == in_before && out.pos == out_before && inner_eof_ &&
          in_buf_.pos == in_buf_.size) {
        return Fail(Truncated(), out.pos);
      }
    }
    return out.pos;
  }

 private:
  ZSTD_DCtx* dctx_;
  ZSTD_inBuffer in_buf_ = {nullptr, 0, 0};
  bool in_frame_ = true;  // a frame is started or expected: EOF now is truncation
};

}  // namespace

std::unique_ptr<ByteSource> MakeDecompressor(Compression c, std::unique_ptr<ByteSource> inner) {
  switch (c) {
    case Compression::kGzip: return std::make_unique<GzipSource>(std::move(inner));
    case Compression::kZstd: return std::make_unique<ZstdSource>(std::move(inner));
    case Compression::kNone: break;
  }
  return inner;
}

}  // namespace whittle
