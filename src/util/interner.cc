#include "util/interner.h"

namespace whittle {

namespace {
constexpr size_t kChunkSize = 1 << 20;
}

PathId PathInterner::Intern(std::string_view s) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < s.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(s.size() > kChunkSize ? s.size() : kChunkSize);
  }
  std::string& chunk = chunks_.back();
  size_t at = chunk.size();
  chunk.append(s);  // within reserved capacity: no reallocation
  std::string_view stored(chunk.data() + at, s.size());
  PathId id = static_cast<PathId>(strings_.size());
  strings_.push_back(stored);
  index_.emplace(stored, id);
  return id;
}

PathId PathInterner::Find(std::string_view s) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = index_.find(s);
  return it == index_.end() ? kNoPath : it->second;
}

std::string_view PathInterner::Get(PathId id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return strings_[id];
}

size_t PathInterner::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return strings_.size();
}

}  // namespace whittle
