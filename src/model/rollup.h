// Rollup: a tree tally of (BLOB, TAR) byte counts keyed by label tuples,
// one tuple element per data source (bloaty's Rollup, STYLE.md §3).
//
//   Add({"#4 RUN apt-get…", "/usr/lib/gcc"}, blob, tar)
//
//   root (TOTAL)
//    └─ "#4 RUN apt-get…"          sums of its children
//        └─ "/usr/lib/gcc"
//
// Finish() turns it into a RollupOutput: children sorted by size descending,
// then by name (deterministic whatever order items were added in), and rows
// past -n folded into "[N Others]". Percentages are relative to the parent.
// Not thread-safe; build one per worker and Merge().
#ifndef WHITTLE_MODEL_ROLLUP_H_
#define WHITTLE_MODEL_ROLLUP_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace whittle {

enum class SortBy { kBlob, kTar, kBoth };  // kBoth: max(blob, tar)

struct RollupRow {
  std::string name;
  uint64_t blob = 0;
  uint64_t tar = 0;
  double blob_percent = 0;  // of the parent (TOTAL: 100)
  double tar_percent = 0;
  bool others = false;      // a "[N Others]" fold
  std::vector<RollupRow> children;
};

struct RollupOutput {
  std::vector<std::string> source_names;  // e.g. {"layers", "paths"}
  RollupRow total;                        // name "TOTAL"; children are level 1
  /// Set when a --source-filter left bytes out of TOTAL: printers must say
  /// how much (STYLE.md §10).
  bool filtered = false;
  uint64_t omitted_blob = 0;
  uint64_t omitted_tar = 0;
};

class Rollup {
 public:
  Rollup() = default;
  Rollup(const Rollup&) = delete;
  Rollup& operator=(const Rollup&) = delete;
  Rollup(Rollup&&) = default;
  Rollup& operator=(Rollup&&) = default;

  /// Adds |blob|/|tar| bytes under the path |labels| (one per data source).
  void Add(const std::vector<std::string_view>& labels, uint64_t blob, uint64_t tar);
  /// Adds every count of |other| into this one.
  void Merge(const Rollup& other);

  uint64_t blob() const { return blob_; }
  uint64_t tar() const { return tar_; }

  /// The child labelled |name|, or null.
  const Rollup* FindChild(std::string_view name) const {
    auto it = children_.find(name);
    return it == children_.end() ? nullptr : it->second.get();
  }
  /// Calls fn(name, child) for each child, in name order.
  template <typename Fn>
  void ForEachChild(Fn&& fn) const {
    for (const auto& [name, child] : children_) fn(name, *child);
  }

  /// |max_rows| 0 = unlimited.
  RollupOutput Finish(std::vector<std::string> source_names, size_t max_rows, SortBy sort) const;

 private:
  void FillRow(RollupRow* row, size_t max_rows, SortBy sort) const;

  uint64_t blob_ = 0;
  uint64_t tar_ = 0;
  std::map<std::string, std::unique_ptr<Rollup>, std::less<>> children_;
};

}  // namespace whittle

#endif  // WHITTLE_MODEL_ROLLUP_H_
