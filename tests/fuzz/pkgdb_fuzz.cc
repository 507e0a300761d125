// Fuzz target for the package-database parsers in src/pkg/. The first byte
// picks the parser, the rest is the file body:
//
//   0 var/lib/dpkg/status        3 an rpmdb.sqlite Packages header blob
//   1 lib/apk/db/installed       4 a dpkg .list and the same bytes as md5sums
//   2 a pip RECORD               5 an ELF head + Go build info
//
// Any input must give a value or a clean error, never a crash. When a parse
// succeeds, CheckPkgdbInput checks what the rest of whittle relies on: every
// path is absolute and normalised and never "/", names are non-empty and
// free of blanks and NULs, a second parse gives the same result, every
// path maps back to a package that listed it through OwnershipIndex, and
// every path classifies to a known kind. The replay test
// (src/pkg/pkgdb_fuzz_replay_test.cc) calls CheckPkgdbInput directly and
// asserts on its answer; libFuzzer traps on a violation.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pkg/apk.h"
#include "pkg/dpkg.h"
#include "pkg/go_buildinfo.h"
#include "pkg/kinds.h"
#include "pkg/ownership.h"
#include "pkg/python_dist.h"
#include "pkg/rpm_header.h"
#include "util/strings.h"

// What one input did; declared identically in the replay test.
struct PkgdbOutcome {
  bool parsed = false;    // the parser returned a value
  std::string violation;  // "" when every invariant holds
};

namespace {

using whittle::pkg::Ecosystem;
using whittle::pkg::Package;

bool BadName(std::string_view n) {
  return n.empty() || n.find_first_of(std::string_view(" \t\n\0", 4)) != std::string_view::npos;
}

std::string CheckPackages(Ecosystem eco, const std::vector<Package>& pkgs) {
  whittle::pkg::OwnershipIndex idx;
  for (const Package& p : pkgs) {
    if (BadName(p.name)) return "bad package name '" + whittle::EscapeForMessage(p.name) + "'";
    for (const std::string& path : p.paths) {
      if (path.empty() || path[0] != '/' || path == "/" || whittle::NormalizePath(path) != path) {
        return "path not absolute and normalised: '" + whittle::EscapeForMessage(path) + "'";
      }
    }
    idx.AddPackage(eco, p);
  }
  for (const Package& p : pkgs) {
    for (const std::string& path : p.paths) {
      std::string_view label = idx.Lookup(path);
      if (label == whittle::pkg::kUnownedLabel) continue;  // shared by several packages
      // The owner must be a package that listed this very path.
      bool listed = false;
      for (const Package& q : pkgs) {
        if (whittle::pkg::PackageLabel(eco, q.name) == label &&
            std::find(q.paths.begin(), q.paths.end(), path) != q.paths.end()) {
          listed = true;
          break;
        }
      }
      if (!listed) return "owner " + std::string(label) + " did not list " + path;
      std::string_view kind = whittle::pkg::ClassifyKind(path, label);
      const auto& kinds = whittle::pkg::KindNames();
      if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) return "unknown kind for " + path;
    }
  }
  return "";
}

bool SamePackages(const std::vector<Package>& a, const std::vector<Package>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].version != b[i].version || a[i].arch != b[i].arch || a[i].paths != b[i].paths) {
      return false;
    }
  }
  return true;
}

}  // namespace

PkgdbOutcome CheckPkgdbInput(const uint8_t* data, size_t size) {
  PkgdbOutcome out;
  if (size == 0) return out;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 6) {
    case 0: {
      auto r = whittle::pkg::ParseDpkgStatus(body, "status");
      if (!r.has_value()) return out;
      out.parsed = true;
      std::vector<Package> pkgs;
      for (const auto& d : *r) {
        if (BadName(d.name)) out.violation = "bad dpkg name";
        std::vector<std::string_view> words = whittle::Split(d.status, ' ');
        if (words.size() != 3) out.violation = "status not three words: " + d.status;
        pkgs.push_back(Package{d.name, d.version, d.arch, {}});
      }
      if (out.violation.empty()) out.violation = CheckPackages(Ecosystem::kDeb, pkgs);
      return out;
    }
    case 1: {
      auto r = whittle::pkg::ParseApkInstalled(body, "installed");
      if (!r.has_value()) return out;
      out.parsed = true;
      out.violation = CheckPackages(Ecosystem::kApk, *r);
      auto again = whittle::pkg::ParseApkInstalled(body, "installed");
      if (out.violation.empty() && (!again.has_value() || !SamePackages(*r, *again))) {
        out.violation = "apk parse not stable";
      }
      return out;
    }
    case 2: {
      auto r = whittle::pkg::ParseDistInfoRecord("/usr/lib/python3/site-packages/fuzz-1.0.dist-info/RECORD", body);
      if (!r.has_value()) return out;
      out.parsed = true;
      if (r->normalized_name != whittle::pkg::NormalizePythonName(r->package.name)) out.violation = "name";
      Package p = r->package;
      p.name = r->normalized_name;
      if (out.violation.empty()) out.violation = CheckPackages(Ecosystem::kPip, {p});
      return out;
    }
    case 3: {
      auto r = whittle::pkg::ParseRpmHeader(body, "hdr");
      if (!r.has_value()) return out;
      out.parsed = true;
      out.violation = CheckPackages(Ecosystem::kRpm, {*r});
      auto again = whittle::pkg::ParseRpmHeader(body, "hdr");
      if (out.violation.empty() && (!again.has_value() || !SamePackages({*r}, {*again}))) {
        out.violation = "rpm parse not stable";
      }
      return out;
    }
    case 4: {
      auto list = whittle::pkg::ParseDpkgFileList(body, "x.list");
      auto sums = whittle::pkg::ParseDpkgMd5sums(body, "x.md5sums");
      out.parsed = list.has_value() || sums.has_value();
      if (list.has_value()) out.violation = CheckPackages(Ecosystem::kDeb, {Package{"x", "", "", *list}});
      if (out.violation.empty() && sums.has_value()) {
        out.violation = CheckPackages(Ecosystem::kDeb, {Package{"y", "", "", *sums}});
      }
      return out;
    }
    case 5: {
      auto layout = whittle::pkg::ParseElfLayout(body);
      whittle::pkg::ElfLayout l = layout.has_value() ? *layout : whittle::pkg::ElfLayout{};
      for (const auto& w : whittle::pkg::GoBuildInfoWindows(l)) {
        if (w.size > whittle::pkg::kGoBuildInfoWindowBytes) out.violation = "window over the cap";
      }
      auto info = whittle::pkg::ParseGoBuildInfo(body, 0, l);
      if (!info.has_value()) return out;
      out.parsed = true;
      if (info->go_version.empty()) out.violation = "empty go version";
      if (info->main_module.size() > whittle::pkg::kMaxGoModInfoBytes) out.violation = "module over the cap";
      return out;
    }
  }
  return out;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (!CheckPkgdbInput(data, size).violation.empty()) __builtin_trap();
  return 0;
}
