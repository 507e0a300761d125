#include "pkg/dpkg.h"

#include <string>

#include "pkg/control_file.h"
#include "pkg/package.h"
#include "util/strings.h"

namespace whittle::pkg {

namespace {

std::string F(std::string_view file) { return std::string(file); }

Status CheckSize(std::string_view body, std::string_view file) {
  if (body.size() > kMaxTextDbBytes) {
    return Error(Errc::kTooLarge, StrFormat("%s: %zu bytes, more than the %llu-byte cap", F(file).c_str(), body.size(),
                                            static_cast<unsigned long long>(kMaxTextDbBytes)));
  }
  return Status::Ok();
}

// dpkg(1) "Package states": the ones that leave the package's files on disk.
bool StateHasFiles(std::string_view state, bool* known) {
  static const std::string_view kWithFiles[] = {"installed",      "unpacked",         "half-configured",
                                                "half-installed", "triggers-awaited", "triggers-pending"};
  static const std::string_view kWithout[] = {"not-installed", "config-files"};
  *known = true;
  for (std::string_view s : kWithFiles) {
    if (s == state) return true;
  }
  for (std::string_view s : kWithout) {
    if (s == state) return false;
  }
  *known = false;
  return false;
}

bool IsValidName(std::string_view s) { return IsValidPackageName(s); }

// Parses stanzas into packages; |need_status| is true for var/lib/dpkg/status.
Result<std::vector<DpkgPackage>> ParseStanzas(std::string_view body, std::string_view file, bool need_status) {
  RETURN_IF_ERROR(CheckSize(body, file));
  std::vector<DpkgPackage> out;
  Status st = ForEachControlStanza(body, file, [&](const ControlStanza& s) -> Status {
    DpkgPackage p;
    p.line = s.line;
    p.name = std::string(TrimWhitespace(s.Get("Package")));
    if (!IsValidName(p.name)) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: stanza without a valid Package field", F(file).c_str(), s.line));
    }
    p.version = std::string(TrimWhitespace(s.Get("Version")));
    p.arch = std::string(TrimWhitespace(s.Get("Architecture")));
    p.priority = std::string(TrimWhitespace(s.Get("Priority")));
    p.essential = TrimWhitespace(s.Get("Essential")) == "yes";
    p.multi_arch = std::string(TrimWhitespace(s.Get("Multi-Arch")));
    p.depends = s.Folded("Depends");
    p.pre_depends = s.Folded("Pre-Depends");
    p.recommends = s.Folded("Recommends");
    bool has_status = s.Has("Status");
    if (!has_status && need_status) {
      return Error(Errc::kCorrupt,
                   StrFormat("%s:%zu: package %s has no Status field", F(file).c_str(), s.line, p.name.c_str()));
    }
    if (has_status) {
      p.status = s.Folded("Status");
      std::vector<std::string_view> words = Split(p.status, ' ');
      bool known = false;
      bool files = words.size() == 3 && StateHasFiles(words[2], &known);
      if (words.size() != 3 || !known) {
        return Error(Errc::kCorrupt,
                     StrFormat("%s:%zu: package %s: bad Status %s (want 'WANT FLAG STATE')", F(file).c_str(), s.line,
                               p.name.c_str(), EscapeForMessage(p.status, 60).c_str()));
      }
      if (!files) return Status::Ok();
    }
    out.push_back(std::move(p));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

// Calls fn(line, line_no) for each line without its '\r\n'.
template <typename Fn>
Status ForEachLine(std::string_view body, Fn fn) {
  size_t pos = 0, line_no = 0;
  while (pos < body.size()) {
    ++line_no;
    size_t eol = body.find('\n', pos);
    size_t end = eol == std::string_view::npos ? body.size() : eol;
    std::string_view line = body.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    RETURN_IF_ERROR(fn(line, line_no));
    pos = eol == std::string_view::npos ? body.size() : eol + 1;
  }
  return Status::Ok();
}

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

}  // namespace

Result<std::vector<DpkgPackage>> ParseDpkgStatus(std::string_view body, std::string_view file) {
  return ParseStanzas(body, file, /*need_status=*/true);
}

Result<std::vector<DpkgPackage>> ParseDpkgStatusD(std::string_view body, std::string_view file) {
  return ParseStanzas(body, file, /*need_status=*/false);
}

Result<std::vector<std::string>> ParseDpkgFileList(std::string_view body, std::string_view file) {
  RETURN_IF_ERROR(CheckSize(body, file));
  std::vector<std::string> out;
  Status st = ForEachLine(body, [&](std::string_view line, size_t n) -> Status {
    if (line.empty()) return Status::Ok();
    if (line[0] != '/' || line.find('\0') != std::string_view::npos) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: expected an absolute path, got %s", F(file).c_str(), n,
                                             EscapeForMessage(line, 60).c_str()));
    }
    std::string p = NormalizePath(line);
    if (p != "/") out.push_back(std::move(p));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<std::string>> ParseDpkgMd5sums(std::string_view body, std::string_view file) {
  RETURN_IF_ERROR(CheckSize(body, file));
  std::vector<std::string> out;
  Status st = ForEachLine(body, [&](std::string_view line, size_t n) -> Status {
    if (line.empty()) return Status::Ok();
    size_t i = 0;
    while (i < line.size() && IsHex(line[i])) ++i;
    if (i != 32 || i >= line.size() || (line[i] != ' ' && line[i] != '\t')) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: expected '<md5>  <path>', got %s", F(file).c_str(), n,
                                             EscapeForMessage(line, 60).c_str()));
    }
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '*') ++i;
    std::string_view path = line.substr(i);
    if (path.empty() || path.find('\0') != std::string_view::npos) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: missing path after the digest", F(file).c_str(), n));
    }
    bool escaped = false;
    std::string p = NormalizePath(path, &escaped);
    if (escaped || p == "/") {
      return Error(Errc::kCorrupt,
                   StrFormat("%s:%zu: bad path %s", F(file).c_str(), n, EscapeForMessage(path, 60).c_str()));
    }
    out.push_back(std::move(p));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::vector<AptAutoInstalled>> ParseAptExtendedStates(std::string_view body, std::string_view file) {
  RETURN_IF_ERROR(CheckSize(body, file));
  std::vector<AptAutoInstalled> out;
  Status st = ForEachControlStanza(body, file, [&](const ControlStanza& s) -> Status {
    std::string_view name = TrimWhitespace(s.Get("Package"));
    if (!IsValidName(name)) {
      return Error(Errc::kCorrupt, StrFormat("%s:%zu: stanza without a valid Package field", F(file).c_str(), s.line));
    }
    if (TrimWhitespace(s.Get("Auto-Installed")) == "1") {
      out.push_back(AptAutoInstalled{std::string(name), std::string(TrimWhitespace(s.Get("Architecture")))});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

bool TrySplitDpkgInfoName(std::string_view base_name, DpkgInfoName* out) {
  size_t dot = base_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == base_name.size()) return false;
  std::string_view stem = base_name.substr(0, dot);
  DpkgInfoName r;
  r.extension = std::string(base_name.substr(dot + 1));
  size_t colon = stem.find(':');
  if (colon == std::string_view::npos) {
    r.package = std::string(stem);
  } else {
    r.package = std::string(stem.substr(0, colon));
    r.arch = std::string(stem.substr(colon + 1));
  }
  if (r.package.empty()) return false;
  *out = std::move(r);
  return true;
}

}  // namespace whittle::pkg
