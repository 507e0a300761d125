#include "pkg/ownership.h"

namespace whittle::pkg {

namespace {
constexpr size_t kChunkSize = 1 << 20;
}

std::string_view OwnershipIndex::Store(std::string_view s) {
  if (arena_.empty() || arena_.back().capacity() - arena_.back().size() < s.size()) {
    arena_.emplace_back();
    arena_.back().reserve(s.size() > kChunkSize ? s.size() : kChunkSize);
  }
  std::string& chunk = arena_.back();
  size_t at = chunk.size();
  chunk.append(s);  // within capacity: no reallocation, earlier views stay valid
  return std::string_view(chunk.data() + at, s.size());
}

OwnerId OwnershipIndex::InternLabel(std::string label) {
  auto it = label_ids_.find(label);
  if (it != label_ids_.end()) return it->second;
  std::string_view stored = Store(label);
  auto id = static_cast<OwnerId>(labels_.size());
  labels_.push_back(stored);
  label_ids_.emplace(stored, id);
  return id;
}

OwnershipIndex::Claim& OwnershipIndex::ClaimFor(std::string_view path) {
  auto it = claims_.find(path);
  if (it != claims_.end()) return it->second;
  return claims_.emplace(Store(path), Claim{}).first->second;
}

void OwnershipIndex::Merge(OwnerId* slot, OwnerId id) {
  if (*slot == kNoOwner) {
    *slot = id;
  } else if (*slot != id) {
    *slot = kShared;
  }
}

void OwnershipIndex::AddPaths(Ecosystem eco, std::string_view name, const std::vector<std::string>& paths) {
  OwnerId id = InternLabel(PackageLabel(eco, name));
  const bool lang = eco == Ecosystem::kPip;
  for (const std::string& p : paths) {
    Claim& c = ClaimFor(p);
    Merge(lang ? &c.lang : &c.os, id);
  }
}

void OwnershipIndex::AddPathsIf(Ecosystem eco, std::string_view name, const std::vector<std::string>& paths,
                                const std::function<bool(size_t index)>& keep) {
  OwnerId id = kNoOwner;
  const bool lang = eco == Ecosystem::kPip;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (!keep(i)) continue;
    if (id == kNoOwner) id = InternLabel(PackageLabel(eco, name));
    Claim& c = ClaimFor(paths[i]);
    Merge(lang ? &c.lang : &c.os, id);
  }
}

void OwnershipIndex::AddPackage(Ecosystem eco, const Package& pkg) { AddPaths(eco, pkg.name, pkg.paths); }

bool OwnershipIndex::AddNodePackage(std::string_view package_json_path, std::string_view name) {
  if (!node_.Add(package_json_path, name)) return false;
  const NodePackageTree::Entry* e = node_.Find(package_json_path);
  if (e == nullptr) return false;
  if (node_dir_owner_.find(std::string_view(e->dir)) == node_dir_owner_.end()) {
    node_dir_owner_.emplace(Store(e->dir), InternLabel(PackageLabel(Ecosystem::kNpm, e->name)));
  }
  return true;
}

void OwnershipIndex::AddGoBinary(std::string_view path, std::string_view module) {
  OwnerId id = InternLabel(PackageLabel(Ecosystem::kGo, module));
  Merge(&ClaimFor(path).go, id);
}

OwnerId OwnershipIndex::Find(std::string_view path) const {
  const Claim* c = nullptr;
  auto it = claims_.find(path);
  if (it != claims_.end()) c = &it->second;
  if (c != nullptr && c->lang != kNoOwner && c->lang != kShared) return c->lang;
  if (c != nullptr && c->os != kNoOwner && c->os != kShared) return c->os;
  if (const NodePackageTree::Entry* e = node_.Find(path)) {
    auto n = node_dir_owner_.find(std::string_view(e->dir));
    if (n != node_dir_owner_.end()) return n->second;
  }
  if (c != nullptr && c->go != kNoOwner && c->go != kShared) return c->go;
  return kNoOwner;
}

std::string_view OwnershipIndex::label(OwnerId id) const {
  if (id >= labels_.size()) return kUnownedLabel;
  return labels_[id];
}

}  // namespace whittle::pkg
