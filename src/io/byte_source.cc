#include "io/byte_source.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "util/strings.h"

namespace whittle {

Status ByteSource::Skip(uint64_t n) {
  char buf[64 * 1024];
  while (n > 0) {
    size_t want = n < sizeof buf ? static_cast<size_t>(n) : sizeof buf;
    ASSIGN_OR_RETURN(size_t got, Read(buf, want));
    if (got == 0) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s: unexpected end of data at offset %llu (wanted %llu more bytes)",
                             name().c_str(), static_cast<unsigned long long>(position()),
                             static_cast<unsigned long long>(n)));
    }
    n -= got;
  }
  return Status::Ok();
}

Result<std::string_view> ByteSource::ReadView(size_t /*max*/) {
  return Error(Errc::kInternal, name() + ": ReadView called on a source without views");
}

Status ReadFull(ByteSource& src, void* buf, size_t n) {
  char* p = static_cast<char*>(buf);
  size_t done = 0;
  while (done < n) {
    ASSIGN_OR_RETURN(size_t got, src.Read(p + done, n - done));
    if (got == 0) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s: unexpected end of data at offset %llu (wanted %zu more bytes)",
                             src.name().c_str(), static_cast<unsigned long long>(src.position()),
                             n - done));
    }
    done += got;
  }
  return Status::Ok();
}

Result<uint64_t> Drain(ByteSource& src) {
  std::vector<char> buf(256 * 1024);
  uint64_t total = 0;
  while (true) {
    ASSIGN_OR_RETURN(size_t got, src.Read(buf.data(), buf.size()));
    if (got == 0) return total;
    total += got;
  }
}

Result<std::string> ReadAllCapped(ByteSource& src, size_t cap) {
  std::string out;
  char buf[64 * 1024];
  while (true) {
    ASSIGN_OR_RETURN(size_t got, src.Read(buf, sizeof buf));
    if (got == 0) return out;
    if (out.size() + got > cap) {
      return Error(Errc::kTooLarge, StrFormat("%s: larger than the %zu-byte limit for this kind of blob",
                                              src.name().c_str(), cap));
    }
    out.append(buf, got);
  }
}

namespace {

class MemorySource final : public ByteSource {
 public:
  MemorySource(std::string data, std::string name) : data_(std::move(data)), name_(std::move(name)) {}
  Result<size_t> Read(void* buf, size_t n) override {
    size_t left = data_.size() - pos_;
    size_t k = n < left ? n : left;
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  Status Skip(uint64_t n) override {
    if (n > data_.size() - pos_) {
      pos_ = data_.size();
      return Error(Errc::kCorrupt, StrFormat("%s: unexpected end of data at offset %zu", name_.c_str(), pos_));
    }
    pos_ += static_cast<size_t>(n);
    return Status::Ok();
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }
  bool has_read_view() const override { return true; }
  Result<std::string_view> ReadView(size_t max) override {
    size_t k = std::min(max, data_.size() - pos_);
    std::string_view v(data_.data() + pos_, k);
    pos_ += k;
    return v;
  }

 private:
  std::string data_;
  std::string name_;
  size_t pos_ = 0;
};

}  // namespace

std::unique_ptr<ByteSource> MakeMemorySource(std::string data, std::string name) {
  return std::make_unique<MemorySource>(std::move(data), std::move(name));
}

}  // namespace whittle
