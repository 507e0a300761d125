#include "pkg/package.h"

#include "util/strings.h"

namespace whittle::pkg {

std::string_view EcosystemName(Ecosystem eco) {
  switch (eco) {
    case Ecosystem::kDeb:
      return "deb";
    case Ecosystem::kApk:
      return "apk";
    case Ecosystem::kRpm:
      return "rpm";
    case Ecosystem::kPip:
      return "pip";
    case Ecosystem::kNpm:
      return "npm";
    case Ecosystem::kGo:
      return "go";
  }
  return "?";
}

std::string PackageLabel(Ecosystem eco, std::string_view name) {
  std::string out(EcosystemName(eco));
  out.push_back(':');
  out.append(name);
  return out;
}

bool IsValidPackageName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '/') return false;
  }
  return true;
}

std::string JoinPath(std::string_view base, std::string_view rel, bool* escaped) {
  if (!rel.empty() && rel[0] == '/') return NormalizePath(rel, escaped);
  std::string joined;
  joined.reserve(base.size() + 1 + rel.size());
  joined.append(base.data(), base.size());
  joined += '/';
  joined.append(rel.data(), rel.size());
  return NormalizePath(joined, escaped);
}

}  // namespace whittle::pkg
