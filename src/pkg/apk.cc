#include "pkg/apk.h"

#include <string>

#include "util/strings.h"

namespace whittle::pkg {

Result<std::vector<Package>> ParseApkInstalled(std::string_view body, std::string_view file) {
  const std::string f(file);
  if (body.size() > kMaxTextDbBytes) {
    return Error(Errc::kTooLarge, StrFormat("%s: %zu bytes, more than the %llu-byte cap", f.c_str(), body.size(),
                                            static_cast<unsigned long long>(kMaxTextDbBytes)));
  }
  std::vector<Package> out;
  Package cur;
  bool open = false;  // a block has started
  size_t block_line = 0;
  std::string folder = "/";  // the last F: folder, normalised
  auto finish = [&]() -> Status {
    if (!open) return Status::Ok();
    if (cur.name.empty()) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: package block without P: (name)", f.c_str(), block_line));
    }
    if (!IsValidPackageName(cur.name)) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: bad package name %s", f.c_str(), block_line,
                                             EscapeForMessage(cur.name, 60).c_str()));
    }
    out.push_back(std::move(cur));
    cur = Package();
    open = false;
    folder.assign(1, '/');  // (not = "/": GCC 12 -Wrestrict false positive)
    return Status::Ok();
  };
  auto make_path = [&](std::string_view base, std::string_view rel, size_t n, std::string* dst) -> Status {
    bool escaped = false;
    *dst = JoinPath(base, rel, &escaped);
    if (rel.empty() || escaped || rel.find('\0') != std::string_view::npos) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: bad path %s", f.c_str(), n, EscapeForMessage(rel, 60).c_str()));
    }
    return Status::Ok();
  };

  size_t pos = 0, n = 0;
  while (pos < body.size()) {
    ++n;
    size_t eol = body.find('\n', pos);
    size_t end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view line = body.substr(pos, end - pos);
    pos = eol == std::string_view::npos ? body.size() : eol + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      RETURN_IF_ERROR(finish());
      continue;
    }
    if (line.size() < 2 || line[1] != ':') {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: expected '<letter>:<value>', got %s", f.c_str(), n,
                                             EscapeForMessage(line, 60).c_str()));
    }
    if (!open) {
      open = true;
      block_line = n;
    }
    std::string_view value = line.substr(2);
    switch (line[0]) {
      case 'P':
        cur.name = std::string(value);
        break;
      case 'V':
        cur.version = std::string(value);
        break;
      case 'A':
        cur.arch = std::string(value);
        break;
      case 'F': {
        std::string p;
        RETURN_IF_ERROR(make_path("/", value, n, &p));
        if (p != "/") cur.paths.push_back(p);
        folder = std::move(p);
        break;
      }
      case 'R': {
        std::string p;
        RETURN_IF_ERROR(make_path(folder, value, n, &p));
        if (value.find('/') != std::string_view::npos) {
          return Error(Errc::kCorrupt,
                       StrFormat("%s:%zu: R: holds a '/' (%s)", f.c_str(), n, EscapeForMessage(value, 60).c_str()));
        }
        cur.paths.push_back(std::move(p));
        break;
      }
      default:
        break;  // metadata we do not need
    }
  }
  RETURN_IF_ERROR(finish());
  return out;
}

}  // namespace whittle::pkg
