#include "model/rollup.h"

#include <algorithm>

#include "util/strings.h"

namespace whittle {

void Rollup::Add(const std::vector<std::string_view>& labels, uint64_t blob, uint64_t tar) {
  Rollup* node = this;
  node->blob_ += blob;
  node->tar_ += tar;
  for (std::string_view label : labels) {
    auto it = node->children_.find(label);
    if (it == node->children_.end()) {
      it = node->children_.emplace(std::string(label), std::make_unique<Rollup>()).first;
    }
    node = it->second.get();
    node->blob_ += blob;
    node->tar_ += tar;
  }
}

void Rollup::Merge(const Rollup& other) {
  blob_ += other.blob_;
  tar_ += other.tar_;
  for (const auto& [name, child] : other.children_) {
    auto it = children_.find(name);
    if (it == children_.end()) it = children_.emplace(name, std::make_unique<Rollup>()).first;
    it->second->Merge(*child);
  }
}

namespace {

uint64_t SortKey(const RollupRow& r, SortBy sort) {
  switch (sort) {
    case SortBy::kBlob: return r.blob;
    case SortBy::kTar: return r.tar;
    case SortBy::kBoth: return std::max(r.blob, r.tar);
  }
  return 0;
}

double Percent(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

}  // namespace

void Rollup::FillRow(RollupRow* row, size_t max_rows, SortBy sort) const {
  row->blob = blob_;
  row->tar = tar_;
  for (const auto& [name, child] : children_) {
    RollupRow c;
    c.name = name;
    child->FillRow(&c, max_rows, sort);
    row->children.push_back(std::move(c));
  }
  auto cmp = [sort](const RollupRow& a, const RollupRow& b) {
    uint64_t ka = SortKey(a, sort), kb = SortKey(b, sort);
    if (ka != kb) return ka > kb;
    return a.name < b.name;
  };
  std::sort(row->children.begin(), row->children.end(), cmp);
  if (max_rows > 0 && row->children.size() > max_rows) {
    RollupRow others;
    others.others = true;
    size_t folded = row->children.size() - max_rows;
    for (size_t i = max_rows; i < row->children.size(); ++i) {
      others.blob += row->children[i].blob;
      others.tar += row->children[i].tar;
    }
    others.name = StrFormat("[%zu Others]", folded);
    row->children.resize(max_rows);
    row->children.push_back(std::move(others));
    std::stable_sort(row->children.begin(), row->children.end(), cmp);
  }
  for (auto& c : row->children) {
    c.blob_percent = Percent(c.blob, row->blob);
    c.tar_percent = Percent(c.tar, row->tar);
  }
}

RollupOutput Rollup::Finish(std::vector<std::string> source_names, size_t max_rows, SortBy sort) const {
  RollupOutput out;
  out.source_names = std::move(source_names);
  out.total.name = "TOTAL";
  FillRow(&out.total, max_rows, sort);
  out.total.blob_percent = 100.0;
  out.total.tar_percent = 100.0;
  return out;
}

}  // namespace whittle
