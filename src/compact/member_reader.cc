#include "compact/member_reader.h"

#include <algorithm>
#include <vector>

#include "util/strings.h"

namespace whittle {

// Records what the tar reader reads while capturing is on; otherwise a plain
// pass-through (skips stay seeks).
class MemberReader::Tee : public ByteSource {
 public:
  explicit Tee(ByteSource* inner) : inner_(inner) {}
  Result<size_t> Read(void* buf, size_t n) override {
    ASSIGN_OR_RETURN(size_t got, inner_->Read(buf, n));
    if (capturing_) captured_.append(static_cast<const char*>(buf), got);
    return got;
  }
  Status Skip(uint64_t n) override {
    if (!capturing_) return inner_->Skip(n);
    return ByteSource::Skip(n);  // reads through Read(), so it is captured
  }
  uint64_t position() const override { return inner_->position(); }
  uint64_t blob_position() const override { return inner_->blob_position(); }
  const std::string& name() const override { return inner_->name(); }

  void StartCapture() {
    captured_.clear();
    capture_start_ = inner_->position();
    capturing_ = true;
  }
  void StopCapture() { capturing_ = false; }
  const std::string& captured() const { return captured_; }
  uint64_t capture_start() const { return capture_start_; }

 private:
  ByteSource* inner_;
  bool capturing_ = false;
  std::string captured_;
  uint64_t capture_start_ = 0;
};

MemberReader::MemberReader(std::unique_ptr<ByteSource> tar)
    : inner_(std::move(tar)),
      tee_(std::make_unique<Tee>(inner_.get())),
      reader_(std::make_unique<TarReader>(tee_.get())) {}

MemberReader::~MemberReader() = default;

Result<bool> MemberReader::Next() {
  // Drain the current member's data uncaptured, so the capture below holds
  // only its padding and the next member's headers.
  char buf[64 * 1024];
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, reader_->ReadData(buf, sizeof buf));
    if (n == 0) break;
  }
  tee_->StartCapture();
  Result<bool> more = reader_->Next(&entry_);
  tee_->StopCapture();
  if (!more) return more.error();
  raw_headers_.clear();
  if (!*more) return false;
  const uint64_t start = tee_->capture_start();
  const std::string& cap = tee_->captured();
  if (entry_.header_offset < start || entry_.data_offset != start + cap.size()) {
    return Error(Errc::kInternal,
                 StrFormat("%s: tar header at offset %llu: headers not where the reader said", inner_->name().c_str(),
                           static_cast<unsigned long long>(entry_.header_offset)));
  }
  raw_headers_.assign(cap, entry_.header_offset - start, entry_.header_size);
  return true;
}

Result<size_t> MemberReader::ReadData(void* buf, size_t n) { return reader_->ReadData(buf, n); }

Result<uint64_t> MemberReader::Finish() {
  ASSIGN_OR_RETURN(uint64_t end, reader_->Finish());
  (void)end;
  return reader_->total_size();
}

namespace {

// Parses an octal ustar size field; false when it is not plain octal.
bool OctalField(std::string_view f, uint64_t* out) {
  uint64_t v = 0;
  bool any = false;
  for (char c : f) {
    if (c == ' ' || c == '\0') {
      if (any) break;
      continue;
    }
    if (c < '0' || c > '7') return false;
    v = v * 8 + static_cast<uint64_t>(c - '0');
    any = true;
  }
  *out = v;
  return true;
}

void CollectXattrs(std::string_view body, std::vector<std::string>* out) {
  static constexpr std::string_view kPrefixes[] = {"SCHILY.xattr.", "LIBARCHIVE.xattr."};
  while (!body.empty()) {
    size_t sp = body.find(' ');
    if (sp == std::string_view::npos || sp == 0) return;
    uint64_t len = 0;
    for (size_t i = 0; i < sp; ++i) {
      if (body[i] < '0' || body[i] > '9') return;
      len = len * 10 + static_cast<uint64_t>(body[i] - '0');
      if (len > body.size()) return;
    }
    if (len <= sp + 1 || len > body.size()) return;
    std::string_view rec = body.substr(sp + 1, len - sp - 2);  // without the '\n'
    body.remove_prefix(len);
    for (std::string_view p : kPrefixes) {
      if (rec.substr(0, p.size()) == p) {
        out->push_back(std::string(rec.substr(p.size())) + "\n");
        break;
      }
    }
  }
}

}  // namespace

std::string XattrsFromRawHeaders(std::string_view raw) {
  std::vector<std::string> attrs;
  size_t off = 0;
  while (off + 512 <= raw.size()) {
    std::string_view block = raw.substr(off, 512);
    char type = block[156];
    uint64_t size = 0;
    if (!OctalField(block.substr(124, 12), &size)) break;
    off += 512;
    if (type != 'x' && type != 'g' && type != 'L' && type != 'K') break;  // the member's own header
    uint64_t padded = (size + 511) / 512 * 512;
    if (padded > raw.size() - off) break;
    if (type == 'x') CollectXattrs(raw.substr(off, size), &attrs);
    off += padded;
  }
  std::sort(attrs.begin(), attrs.end());
  std::string out;
  for (const auto& a : attrs) out += a;
  return out;
}

}  // namespace whittle
