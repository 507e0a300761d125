#include "scan/body_capture.h"

#include <algorithm>

#include "util/strings.h"

namespace whittle {

Status MemberBody::ReadUpTo(uint64_t max, std::string* out) {
  uint64_t want = std::min(max, remaining());
  size_t base = out->size();
  out->resize(base + static_cast<size_t>(want));
  uint64_t got = 0;
  while (got < want) {
    ASSIGN_OR_RETURN(size_t n, Read(out->data() + base + got, static_cast<size_t>(want - got)));
    if (n == 0) break;
    got += n;
  }
  out->resize(base + static_cast<size_t>(got));
  return Status::Ok();
}

Status MemberBody::Skip(uint64_t n) {
  char buf[16384];
  while (n > 0) {
    ASSIGN_OR_RETURN(size_t got, Read(buf, static_cast<size_t>(std::min<uint64_t>(n, sizeof buf))));
    if (got == 0) break;
    n -= got;
  }
  return Status::Ok();
}

Result<std::string> ExtractWhole(const CaptureCandidate& c, MemberBody& body, uint64_t cap) {
  if (c.stored_size > cap) {
    return Error(Errc::kTooLarge, StrFormat("%llu bytes, more than the %llu this file type may have",
                                            static_cast<unsigned long long>(c.stored_size),
                                            static_cast<unsigned long long>(cap)));
  }
  std::string out;
  RETURN_IF_ERROR(body.ReadUpTo(cap, &out));
  return out;
}

int FirstWantingRule(const CaptureRules& rules, const CaptureCandidate& c) {
  for (size_t r = 0; r < rules.size(); ++r) {
    if (rules[r].wants(c)) return static_cast<int>(r);
  }
  return -1;
}

void ExtractWithRule(const CaptureRules& rules, int r, const CaptureCandidate& c, uint32_t entry, MemberBody& body,
                     const std::string& stream_name, std::vector<CapturedBody>* captured,
                     std::vector<std::string>* warnings) {
  const CaptureRule& rule = rules[static_cast<size_t>(r)];
  Result<std::string> payload = rule.extract(c, body);
  if (!payload) {
    warnings->push_back(StrFormat("%s: %.*s: %s: %s", stream_name.c_str(), static_cast<int>(c.path.size()),
                                  c.path.data(), rule.name.c_str(), payload.error().message().c_str()));
    return;
  }
  // An empty payload means "looked, nothing here" (an ELF that is no Go
  // binary): nothing to keep.
  if (!payload->empty()) captured->push_back({entry, static_cast<uint32_t>(r), std::move(*payload)});
}

}  // namespace whittle
