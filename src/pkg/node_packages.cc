#include "pkg/node_packages.h"

#include <nlohmann/json.hpp>

#include "pkg/package.h"
#include "util/strings.h"

namespace whittle::pkg {

Result<NodePackageJson> ParsePackageJson(std::string_view body, std::string_view file_view) {
  const std::string file(file_view);
  if (body.size() > kMaxPackageJsonBytes) {
    return Error(Errc::kTooLarge, StrFormat("%s: %zu bytes, more than the %llu-byte cap", file.c_str(), body.size(),
                                            static_cast<unsigned long long>(kMaxPackageJsonBytes)));
  }
  nlohmann::json j = nlohmann::json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(Errc::kCorrupt, StrFormat("%s: not valid JSON", file.c_str()));
  if (!j.is_object()) return Error(Errc::kCorrupt, StrFormat("%s: not a JSON object", file.c_str()));
  NodePackageJson out;
  for (const char* key : {"name", "version"}) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_string()) return Error(Errc::kCorrupt, StrFormat("%s: \"%s\" is not a string", file.c_str(), key));
    (std::string_view(key) == "name" ? out.name : out.version) = it->get<std::string>();
  }
  return out;
}

bool TryNodePackageDir(std::string_view path, std::string* dir, std::string* dir_name) {
  constexpr std::string_view kFile = "/package.json";
  constexpr std::string_view kNm = "/node_modules/";
  if (!EndsWith(path, kFile)) return false;
  std::string_view d = path.substr(0, path.size() - kFile.size());
  size_t nm = d.rfind(kNm);
  if (nm == std::string_view::npos) return false;
  std::string_view rest = d.substr(nm + kNm.size());  // "NAME" or "@SCOPE/NAME"
  size_t slash = rest.find('/');
  if (rest.empty() || rest[0] == '.') return false;  // .bin, .pnpm, .cache
  if (rest[0] == '@') {
    if (slash == std::string_view::npos || slash == 1 || slash + 1 == rest.size()) return false;
    if (rest.find('/', slash + 1) != std::string_view::npos) return false;
  } else if (slash != std::string_view::npos) {
    return false;
  }
  *dir = std::string(d);
  *dir_name = std::string(rest);
  return true;
}

bool NodePackageTree::Add(std::string_view package_json_path, std::string_view name) {
  std::string dir, dir_name;
  if (!TryNodePackageDir(package_json_path, &dir, &dir_name)) return false;
  if (by_dir_.find(std::string_view(dir)) != by_dir_.end()) return true;
  by_dir_.emplace(dir, entries_.size());
  entries_.push_back(Entry{std::move(dir), name.empty() ? std::move(dir_name) : std::string(name)});
  return true;
}

const NodePackageTree::Entry* NodePackageTree::Find(std::string_view path) const {
  if (entries_.empty()) return nullptr;
  constexpr std::string_view kNm = "/node_modules/";
  size_t first = path.find(kNm);
  if (first == std::string_view::npos) return nullptr;
  // Walk ancestors from the path itself outwards; a package directory is at
  // least "<...>/node_modules/x", so stop once above the first node_modules.
  std::string_view key = path;
  size_t floor = first + kNm.size();
  while (key.size() > floor) {
    auto it = by_dir_.find(key);
    if (it != by_dir_.end()) return &entries_[it->second];
    size_t slash = key.rfind('/');
    if (slash == std::string_view::npos || slash < floor) break;
    key = key.substr(0, slash);
  }
  return nullptr;
}

}  // namespace whittle::pkg
