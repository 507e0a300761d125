// EditSet: a minimal text-edit model for `whittle fix`.
//
// An edit replaces the byte range [begin, end) of the original text with
// new bytes (an insertion has begin == end). Every byte outside the edited
// ranges is copied unchanged, so comments, heredocs, line endings and
// spacing that no rewrite touches stay byte-identical. Edits are applied
// once, all together, against the original offsets; they never see each
// other's output.
//
// Overlapping replacements are refused (Add returns false): two rewrites
// that want the same bytes cannot both be right, and the fixer retries the
// loser on the next round against the new text. Several insertions at one
// offset are allowed and keep the order they were added in.
//
// What it is not: a diff. unified_diff.h turns two texts into a patch.
#ifndef WHITTLE_FIX_EDIT_H_
#define WHITTLE_FIX_EDIT_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace whittle::fix {

struct Edit {
  size_t begin = 0;  // offsets in the original text
  size_t end = 0;
  std::string text;  // what replaces [begin, end)
  int owner = 0;     // caller's tag (which rewrite made it)
};

class EditSet {
 public:
  /// Adds an edit. Returns false (and adds nothing) when |begin| > |end|,
  /// or the range overlaps a replacement already added (an insertion at the
  /// boundary of a replacement does not overlap it).
  bool Add(size_t begin, size_t end, std::string text, int owner = 0);
  /// Adds all of |edits| or none of them.
  bool AddAll(const std::vector<Edit>& edits);

  bool empty() const { return edits_.empty(); }
  const std::vector<Edit>& edits() const { return edits_; }

  /// The original text with every edit applied. Edits past the end of
  /// |original| are a caller bug and are dropped.
  std::string Apply(std::string_view original) const;
  /// Same with only the edits whose owner is |owner|.
  std::string ApplyOwner(std::string_view original, int owner) const;

  /// Maps an offset in the output of Apply() back to the original: bytes
  /// that were copied map to themselves, bytes inside replacement text map
  /// to the start of the range they replaced.
  size_t MapBack(size_t output_offset) const;

 private:
  bool Overlaps(size_t begin, size_t end) const;
  std::vector<Edit> Sorted(int owner, bool filter) const;

  std::vector<Edit> edits_;  // in the order added
};

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_EDIT_H_
