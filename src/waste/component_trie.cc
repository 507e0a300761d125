#include "waste/component_trie.h"

namespace whittle {

void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t start = i;
    while (i < path.size() && path[i] != '/') ++i;
    if (i > start) out->push_back(path.substr(start, i - start));
  }
}

uint32_t ComponentTrie::FindOrAdd(uint32_t parent, std::string_view name, bool* created) {
  auto [it, inserted] = children_.try_emplace(Key{parent, name}, static_cast<uint32_t>(parents_.size()));
  if (inserted) parents_.push_back(parent);
  if (created != nullptr) *created = inserted;
  return it->second;
}

}  // namespace whittle
