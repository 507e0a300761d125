// RollupDiff: two rollups over the same data sources, compared label by
// label (bloaty's diff mode, STYLE.md §10). Labels are the diff keys, which
// is why every source keeps its labels stable across images.
//
//   OLD  #3 RUN apt-get…  ─┬─ deb:gcc-12   141Mi        NEW  (no such row)
//                          └─ deb:libc6     12Mi             #3 RUN apt-get… ── deb:libc6  12Mi
//   diff #3 RUN apt-get…  -141Mi
//          deb:gcc-12     -141Mi  [DEL]
//          (deb:libc6 unchanged: dropped unless keep_unchanged)
//
// Rows are sorted by the absolute size of their change, descending, then by
// name; rows past max_rows fold into "[N Others]". A row whose whole subtree
// is identical in both images is unchanged; a row whose own total did not
// move but whose children did (bytes moved between paths) is kept.
#ifndef WHITTLE_MODEL_ROLLUP_DIFF_H_
#define WHITTLE_MODEL_ROLLUP_DIFF_H_

#include <cstdint>
#include <string>
#include <vector>

#include "model/rollup.h"

namespace whittle {

struct DiffRow {
  std::string name;
  uint64_t old_blob = 0, old_tar = 0;
  uint64_t new_blob = 0, new_tar = 0;
  bool in_old = false;  // the label exists in OLD
  bool in_new = false;  // ... and in NEW
  bool others = false;  // a "[N Others]" fold
  std::vector<DiffRow> children;

  int64_t delta_blob() const { return static_cast<int64_t>(new_blob) - static_cast<int64_t>(old_blob); }
  int64_t delta_tar() const { return static_cast<int64_t>(new_tar) - static_cast<int64_t>(old_tar); }
};

struct DiffOutput {
  std::vector<std::string> source_names;
  DiffRow total;  // "TOTAL"
};

struct DiffOptions {
  size_t max_rows = 20;  // 0 = unlimited
  SortBy sort = SortBy::kBoth;
  /// Which domains decide whether a row changed: a diff shown in TAR bytes
  /// only (--domain tar) drops rows whose TAR bytes did not move, even if
  /// their compressed size did (the same image in two formats).
  SortBy compare = SortBy::kBoth;
  bool keep_unchanged = false;  // --all: keep rows whose subtree is identical
};

/// Compares |old_rollup| with |new_rollup|.
DiffOutput DiffRollups(const Rollup& old_rollup, const Rollup& new_rollup, std::vector<std::string> source_names,
                       const DiffOptions& options);

/// The change of one domain as a short cell: "[ = ]" when equal, "[NEW]"
/// when the old size is 0, "[DEL]" when the new size is 0, else "+12.3%" /
/// "-4.0%" of the old size.
std::string ChangeCell(uint64_t old_size, uint64_t new_size);

}  // namespace whittle

#endif  // WHITTLE_MODEL_ROLLUP_DIFF_H_
