#include "model/rollup_diff.h"

#include <algorithm>
#include <cstdlib>

#include "util/strings.h"

namespace whittle {

namespace {

uint64_t AbsDelta(uint64_t a, uint64_t b) { return a > b ? a - b : b - a; }

uint64_t SortKey(const DiffRow& r, SortBy sort) {
  uint64_t blob = AbsDelta(r.old_blob, r.new_blob);
  uint64_t tar = AbsDelta(r.old_tar, r.new_tar);
  switch (sort) {
    case SortBy::kBlob: return blob;
    case SortBy::kTar: return tar;
    case SortBy::kBoth: return std::max(blob, tar);
  }
  return 0;
}

// True when the two subtrees hold the same labels with the same sizes in
// the compared domains.
bool Identical(const Rollup* a, const Rollup* b, SortBy compare) {
  if (a == nullptr || b == nullptr) return false;
  if (compare != SortBy::kTar && a->blob() != b->blob()) return false;
  if (compare != SortBy::kBlob && a->tar() != b->tar()) return false;
  bool same = true;
  size_t na = 0, nb = 0;
  a->ForEachChild([&](const std::string&, const Rollup&) { ++na; });
  b->ForEachChild([&](const std::string&, const Rollup&) { ++nb; });
  if (na != nb) return false;
  a->ForEachChild([&](const std::string& name, const Rollup& child) {
    if (same) same = Identical(&child, b->FindChild(name), compare);
  });
  return same;
}

void Fill(const Rollup* o, const Rollup* n, DiffRow* row, const DiffOptions& opt) {
  row->in_old = o != nullptr;
  row->in_new = n != nullptr;
  if (o) {
    row->old_blob = o->blob();
    row->old_tar = o->tar();
  }
  if (n) {
    row->new_blob = n->blob();
    row->new_tar = n->tar();
  }
  auto visit = [&](const std::string& name, const Rollup* oc, const Rollup* nc) {
    if (!opt.keep_unchanged && Identical(oc, nc, opt.compare)) return;
    DiffRow c;
    c.name = name;
    Fill(oc, nc, &c, opt);
    row->children.push_back(std::move(c));
  };
  if (o) {
    o->ForEachChild([&](const std::string& name, const Rollup& oc) {
      visit(name, &oc, n ? n->FindChild(name) : nullptr);
    });
  }
  if (n) {
    n->ForEachChild([&](const std::string& name, const Rollup& nc) {
      if (o == nullptr || o->FindChild(name) == nullptr) visit(name, nullptr, &nc);
    });
  }
  auto cmp = [&opt](const DiffRow& a, const DiffRow& b) {
    uint64_t ka = SortKey(a, opt.sort), kb = SortKey(b, opt.sort);
    if (ka != kb) return ka > kb;
    return a.name < b.name;
  };
  std::sort(row->children.begin(), row->children.end(), cmp);
  const size_t max_rows = opt.max_rows;
  if (max_rows > 0 && row->children.size() > max_rows) {
    DiffRow others;
    others.others = true;
    others.in_old = others.in_new = true;
    size_t folded = row->children.size() - max_rows;
    for (size_t i = max_rows; i < row->children.size(); ++i) {
      others.old_blob += row->children[i].old_blob;
      others.old_tar += row->children[i].old_tar;
      others.new_blob += row->children[i].new_blob;
      others.new_tar += row->children[i].new_tar;
    }
    others.name = StrFormat("[%zu Others]", folded);
    row->children.resize(max_rows);
    row->children.push_back(std::move(others));
  }
}

}  // namespace

DiffOutput DiffRollups(const Rollup& old_rollup, const Rollup& new_rollup, std::vector<std::string> source_names,
                       const DiffOptions& options) {
  DiffOutput out;
  out.source_names = std::move(source_names);
  out.total.name = "TOTAL";
  Fill(&old_rollup, &new_rollup, &out.total, options);
  return out;
}

std::string ChangeCell(uint64_t old_size, uint64_t new_size) {
  if (old_size == new_size) return "[ = ]";
  if (old_size == 0) return "[NEW]";
  if (new_size == 0) return "[DEL]";
  double pct = 100.0 * (static_cast<double>(new_size) - static_cast<double>(old_size)) / static_cast<double>(old_size);
  return StrFormat("%+.1f%%", pct);
}

}  // namespace whittle
