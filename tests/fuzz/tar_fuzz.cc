// Fuzz target for the tar reader (invariants in tar_fuzz.h). Built as a
// libFuzzer binary by -DWHITTLE_FUZZ=ON (fuzz/run) and replayed over
// tests/fuzz/corpus/tar by the tar_fuzz_replay test.
#include "fuzz/tar_fuzz.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "io/byte_source.h"
#include "tar/tar_reader.h"
#include "util/strings.h"

namespace whittle::fuzz {
namespace {

using ull = unsigned long long;

constexpr char kName[] = "fuzz.tar";

// Hands out the input in small chunks of varying odd sizes, and skips by
// reading (ByteSource's default Skip): the reader's other code path.
class ChunkedSource final : public ByteSource {
 public:
  explicit ChunkedSource(std::string_view data) : data_(data), name_(kName) {}
  Result<size_t> Read(void* buf, size_t n) override {
    size_t chunk = 1 + 2 * ((step_++ * 7919u) % 31);  // 1, 3, ... 61
    size_t k = std::min<size_t>({n, chunk, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  uint64_t position() const override { return pos_; }
  const std::string& name() const override { return name_; }

 private:
  std::string_view data_;
  std::string name_;
  size_t pos_ = 0;
  size_t step_ = 0;
};

bool SameEntry(const TarEntry& a, const TarEntry& b) {
  return a.path == b.path && a.link_target == b.link_target && a.type == b.type && a.typeflag == b.typeflag &&
         a.mode == b.mode && a.uid == b.uid &&
         a.gid == b.gid && a.mtime == b.mtime && a.size == b.size && a.stored_size == b.stored_size &&
         a.header_offset == b.header_offset && a.header_size == b.header_size && a.data_offset == b.data_offset &&
         a.padding == b.padding && a.blob_offset == b.blob_offset && a.sparse == b.sparse &&
         a.path_escaped == b.path_escaped;
}

// A normalised path: "/" or "/a/b" without empty, "." or ".." components.
bool IsNormalizedPath(std::string_view p) {
  if (p == "/") return true;
  if (p.empty() || p[0] != '/' || p.back() == '/') return false;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view part = p.substr(i, j - i);
    if (part.empty() || part == "." || part == "..") return false;
    i = j + 1;
  }
  return true;
}

// "fuzz.tar: ... at offset N ..." with N inside the input; one line.
std::string CheckMessage(std::string_view what, const std::string& msg, size_t size) {
  if (msg.empty()) return std::string(what) + " is empty";
  if (msg.find('\n') != std::string::npos || msg.find('\r') != std::string::npos) {
    return std::string(what) + " is not one line: " + EscapeForMessage(msg);
  }
  if (!StartsWith(msg, std::string(kName) + ": ")) {
    return std::string(what) + " does not name the input: " + EscapeForMessage(msg);
  }
  size_t at = msg.find("offset ");
  if (at == std::string::npos) return std::string(what) + " names no offset: " + EscapeForMessage(msg);
  at += 7;
  uint64_t off = 0;
  size_t digits = 0;
  while (at + digits < msg.size() && msg[at + digits] >= '0' && msg[at + digits] <= '9' && digits < 20) {
    off = off * 10 + static_cast<uint64_t>(msg[at + digits] - '0');
    ++digits;
  }
  if (digits == 0) return std::string(what) + " names no offset: " + EscapeForMessage(msg);
  if (off > size) {
    return StrFormat("%.*s names offset %llu past the end of the %zu-byte input: %s", static_cast<int>(what.size()),
                     what.data(), static_cast<ull>(off), size, EscapeForMessage(msg).c_str());
  }
  return "";
}

}  // namespace

TarParse ParseTarForFuzz(std::string_view input, TarReadMode mode) {
  TarParse out;
  std::unique_ptr<ByteSource> src;
  if (mode == TarReadMode::kReadBodies) {
    src = MakeMemorySource(std::string(input), kName);
  } else {
    src = std::make_unique<ChunkedSource>(input);
  }
  TarReader reader(src.get());
  TarEntry entry;
  char buf[4096];
  for (;;) {
    Result<bool> r = reader.Next(&entry);
    if (!r.has_value()) {
      out.error = r.error().message();
      break;
    }
    if (!*r) {
      Result<uint64_t> end = reader.Finish();
      if (!end.has_value()) {
        out.error = end.error().message();
        break;
      }
      out.ok = true;
      out.end_offset = *end;
      out.total_size = reader.total_size();
      break;
    }
    out.entries.push_back(entry);
    out.data.emplace_back();
    out.data_complete.push_back(false);
    if (mode != TarReadMode::kReadBodies) continue;
    bool failed = false;
    for (;;) {
      Result<size_t> n = reader.ReadData(buf, sizeof buf);
      if (!n.has_value()) {
        out.error = n.error().message();
        failed = true;
        break;
      }
      if (*n == 0) break;
      out.data.back().append(buf, *n);
    }
    if (failed) break;
    out.data_complete.back() = true;
  }
  out.warnings = reader.warnings();
  return out;
}

std::string CheckTarParse(std::string_view input, const TarParse& p) {
  const uint64_t size = input.size();
  uint64_t expect_header = 0;  // where the next member must start
  for (size_t i = 0; i < p.entries.size(); ++i) {
    const TarEntry& e = p.entries[i];
    auto fail = [&](const char* what) {
      return StrFormat("member %zu (%s at offset %llu): %s", i, EscapeForMessage(e.path, 60).c_str(),
                       static_cast<ull>(e.header_offset), what);
    };
    if (e.header_offset != expect_header) return fail("does not start where the previous member ended");
    if (e.header_size == 0 || e.header_size % 512 != 0) return fail("header_size is not a positive multiple of 512");
    if (e.data_offset != e.header_offset + e.header_size) return fail("data_offset != header_offset + header_size");
    if (e.padding != (512 - e.stored_size % 512) % 512) return fail("padding does not round the data up to 512");
    if (e.data_offset > size) return fail("headers end past the end of the input");
    if (e.blob_offset != e.header_offset) return fail("blob_offset != header_offset on an uncompressed stream");
    if (e.stored_size > TarReader::kMaxMemberSize || e.size > TarReader::kMaxMemberSize) {
      return fail("a size above the reader's cap was accepted");
    }
    if (e.type == TarEntryType::kRegular && !e.sparse && e.size != e.stored_size) {
      return fail("a regular non-sparse member's size != stored_size");
    }
    if (e.type != TarEntryType::kRegular && e.type != TarEntryType::kOther && e.size != 0) {
      return fail("a link, directory or device has a non-zero size");
    }
    // Typeflags '1' and '5' carry no data whatever the size field says, as
    // GNU tar reads them; an old-style directory ('\0' and a trailing
    // slash) is followed by its size field's bytes, as GNU tar skips them.
    if ((e.typeflag == '1' || e.typeflag == '5') && e.stored_size != 0) {
      return fail("a '1' or '5' member has stored data");
    }
    if (!IsNormalizedPath(e.path)) return fail("path is not normalised");
    if (e.type == TarEntryType::kHardLink && !IsNormalizedPath(e.link_target)) {
      return fail("hard-link target is not normalised");
    }
    // The member ends where the next begins; its data was consumed only if a
    // later member or the end of the archive was read after it.
    uint64_t end = e.end_offset();
    bool consumed = i + 1 < p.entries.size() || p.ok;
    if (consumed && end > size) return fail("ends past the end of the input");
    if (i < p.data.size() && !p.data[i].empty()) {
      const std::string& d = p.data[i];
      if (d.size() > e.stored_size) return fail("ReadData returned more than stored_size bytes");
      if (e.data_offset + d.size() > size || input.substr(e.data_offset, d.size()) != d) {
        return fail("ReadData bytes differ from the input at data_offset");
      }
    }
    if (i < p.data_complete.size() && p.data_complete[i] && p.data[i].size() != e.stored_size) {
      return fail("ReadData ended before stored_size bytes");
    }
    expect_header = end;
  }
  if (p.ok) {
    if (!p.error.empty()) return "a successful parse carries an error";
    if (p.end_offset != expect_header) {
      return StrFormat("end of archive at %llu, but the members' bytes add up to %llu", static_cast<ull>(p.end_offset),
                       static_cast<ull>(expect_header));
    }
    if (p.total_size != size) {
      return StrFormat("total_size %llu != input size %llu", static_cast<ull>(p.total_size), static_cast<ull>(size));
    }
    if (p.end_offset > p.total_size) return "the end region starts past the end of the stream";
  } else {
    std::string bad = CheckMessage("error", p.error, size);
    if (!bad.empty()) return bad;
  }
  for (const std::string& w : p.warnings) {
    if (w.empty() || w.find('\n') != std::string::npos) return "a warning is empty or not one line";
    if (!StartsWith(w, std::string(kName) + ": ")) return "a warning does not name the input: " + EscapeForMessage(w);
  }
  if (p.warnings.size() > TarReader::kMaxWarnings + 1) return "more warnings kept than the cap";
  return "";
}

std::string CheckTarInput(std::string_view input) {
  TarParse read = ParseTarForFuzz(input, TarReadMode::kReadBodies);
  std::string bad = CheckTarParse(input, read);
  if (!bad.empty()) return "read pass: " + bad;
  TarParse skip = ParseTarForFuzz(input, TarReadMode::kSkipChunked);
  bad = CheckTarParse(input, skip);
  if (!bad.empty()) return "skip pass: " + bad;
  if (read.entries.size() != skip.entries.size()) {
    return StrFormat("re-parse found %zu members, the first parse %zu", skip.entries.size(), read.entries.size());
  }
  for (size_t i = 0; i < read.entries.size(); ++i) {
    if (!SameEntry(read.entries[i], skip.entries[i])) {
      return StrFormat("re-parse differs at member %zu (%s)", i, EscapeForMessage(read.entries[i].path, 60).c_str());
    }
  }
  if (read.ok != skip.ok || read.error != skip.error) {
    return "re-parse outcome differs: \"" + EscapeForMessage(read.error) + "\" vs \"" + EscapeForMessage(skip.error) +
           "\"";
  }
  if (read.ok && (read.end_offset != skip.end_offset || read.total_size != skip.total_size)) {
    return "re-parse end of archive differs";
  }
  if (read.warnings != skip.warnings) return "re-parse warnings differ";
  return "";
}

}  // namespace whittle::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string bad = whittle::fuzz::CheckTarInput(input);
  if (!bad.empty()) {
    std::fprintf(stderr, "tar invariant broken: %s\n", bad.c_str());
    std::abort();
  }
  return 0;
}
