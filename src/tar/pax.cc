#include "tar/pax.h"

#include <cstdint>

#include "util/strings.h"

namespace whittle {
namespace {

bool TryParseDecimal(std::string_view s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    if (__builtin_mul_overflow(v, uint64_t{10}, &v)) return false;
    if (__builtin_add_overflow(v, static_cast<uint64_t>(c - '0'), &v)) return false;
  }
  *out = v;
  return true;
}

// "[-]S[.F]" -> whole seconds, truncated toward zero.
bool TryParsePaxTime(std::string_view s, int64_t* out) {
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.remove_prefix(1);
  size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    for (char c : frac) {
      if (c < '0' || c > '9') return false;
    }
  }
  uint64_t v;
  if (!TryParseDecimal(whole, &v) || v > static_cast<uint64_t>(INT64_MAX)) return false;
  *out = neg ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  return true;
}

}  // namespace

bool TryParsePaxRecords(std::string_view body, bool global, PaxValues* v, std::string* err) {
  size_t pos = 0;
  while (pos < body.size()) {
    if (body[pos] == '\0') {
      // NUL padding after the last record (some writers count it in size).
      for (size_t i = pos; i < body.size(); ++i) {
        if (body[i] != '\0') {
          *err = StrFormat("malformed pax record at byte %zu (NUL inside the records)", pos);
          return false;
        }
      }
      return true;
    }
    std::string_view rest = body.substr(pos);
    size_t digits = 0;
    while (digits < rest.size() && digits < 20 && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    uint64_t len = 0;
    if (digits == 0 || digits >= rest.size() || rest[digits] != ' ' ||
        !TryParseDecimal(rest.substr(0, digits), &len)) {
      *err = StrFormat("malformed pax record at byte %zu (expected \"LENGTH KEY=VALUE\\n\")", pos);
      return false;
    }
    // Shortest record: digits, space, one-char key, '=', '\n'.
    if (len < digits + 4 || len > rest.size()) {
      *err = StrFormat("malformed pax record at byte %zu (length %llu %s)", pos,
                       static_cast<unsigned long long>(len),
                       len > rest.size() ? "runs past the header" : "is too short");
      return false;
    }
    std::string_view rec = rest.substr(0, static_cast<size_t>(len));
    if (rec.back() != '\n') {
      *err = StrFormat("malformed pax record at byte %zu (length %llu does not end at a newline)", pos,
                       static_cast<unsigned long long>(len));
      return false;
    }
    std::string_view kv = rec.substr(digits + 1, rec.size() - digits - 2);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      *err = StrFormat("malformed pax record at byte %zu (no \"key=\")", pos);
      return false;
    }
    std::string_view key = kv.substr(0, eq);
    std::string_view value = kv.substr(eq + 1);

    uint16_t field = 0;
    std::string* str = nullptr;
    uint64_t* num = nullptr;
    bool is_time = false;
    if (key == "path") {
      field = PaxValues::kPath, str = &v->path;
    } else if (key == "linkpath") {
      field = PaxValues::kLinkpath, str = &v->linkpath;
    } else if (key == "size") {
      field = PaxValues::kSize, num = &v->size;
    } else if (key == "uid") {
      field = PaxValues::kUid, num = &v->uid;
    } else if (key == "gid") {
      field = PaxValues::kGid, num = &v->gid;
    } else if (key == "uname") {
      field = PaxValues::kUname, str = &v->uname;
    } else if (key == "gname") {
      field = PaxValues::kGname, str = &v->gname;
    } else if (key == "mtime") {
      field = PaxValues::kMtime, is_time = true;
    } else if (key == "GNU.sparse.name") {
      field = PaxValues::kSparseName, str = &v->sparse_name;
    } else if (key == "GNU.sparse.realsize" || key == "GNU.sparse.size") {
      field = PaxValues::kSparseRealSize, num = &v->realsize;
    } else if (StartsWith(key, "GNU.sparse.")) {
      field = PaxValues::kSparse;
    }
    if (field == 0) {
      pos += rec.size();
      continue;
    }
    if (value.empty()) {
      v->set &= static_cast<uint16_t>(~field);
      if (!global) v->deleted |= field;
      pos += rec.size();
      continue;
    }
    if (str != nullptr) {
      str->assign(value);
    } else if (num != nullptr) {
      if (!TryParseDecimal(value, num)) {
        *err = StrFormat("bad pax %.*s value \"%s\" at byte %zu", static_cast<int>(key.size()), key.data(),
                         EscapeForMessage(value, 40).c_str(), pos);
        return false;
      }
    } else if (is_time) {
      if (!TryParsePaxTime(value, &v->mtime)) {
        *err = StrFormat("bad pax mtime value \"%s\" at byte %zu", EscapeForMessage(value, 40).c_str(), pos);
        return false;
      }
    }
    v->set |= field;
    v->deleted &= static_cast<uint16_t>(~field);
    if (field == PaxValues::kSparseName || field == PaxValues::kSparseRealSize) v->set |= PaxValues::kSparse;
    pos += rec.size();
  }
  return true;
}

}  // namespace whittle
