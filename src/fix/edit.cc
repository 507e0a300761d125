#include "fix/edit.h"

#include <algorithm>

namespace whittle::fix {

bool EditSet::Overlaps(size_t begin, size_t end) const {
  for (const Edit& e : edits_) {
    // Two insertions, or an insertion at a replacement's edge, never clash.
    if (begin == end || e.begin == e.end) {
      if (begin == end && e.begin < begin && begin < e.end) return true;
      if (e.begin == e.end && begin < e.begin && e.begin < end) return true;
      continue;
    }
    if (begin < e.end && e.begin < end) return true;
  }
  return false;
}

bool EditSet::Add(size_t begin, size_t end, std::string text, int owner) {
  if (begin > end || Overlaps(begin, end)) return false;
  edits_.push_back({begin, end, std::move(text), owner});
  return true;
}

bool EditSet::AddAll(const std::vector<Edit>& edits) {
  size_t keep = edits_.size();
  for (const Edit& e : edits) {
    if (!Add(e.begin, e.end, e.text, e.owner)) {
      edits_.resize(keep);
      return false;
    }
  }
  return true;
}

std::vector<Edit> EditSet::Sorted(int owner, bool filter) const {
  std::vector<Edit> v;
  for (const Edit& e : edits_) {
    if (!filter || e.owner == owner) v.push_back(e);
  }
  // By position; insertions at one offset keep their order, and come before
  // a replacement starting there.
  std::stable_sort(v.begin(), v.end(), [](const Edit& a, const Edit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return (a.end == a.begin) && (b.end != b.begin);
  });
  return v;
}

namespace {

std::string ApplySorted(std::string_view original, const std::vector<Edit>& edits) {
  std::string out;
  out.reserve(original.size() + 64);
  size_t at = 0;
  for (const Edit& e : edits) {
    if (e.end > original.size() || e.begin < at) continue;  // caller bug; see header
    out.append(original.substr(at, e.begin - at));
    out.append(e.text);
    at = e.end;
  }
  out.append(original.substr(at));
  return out;
}

}  // namespace

std::string EditSet::Apply(std::string_view original) const { return ApplySorted(original, Sorted(0, false)); }

std::string EditSet::ApplyOwner(std::string_view original, int owner) const {
  return ApplySorted(original, Sorted(owner, true));
}

size_t EditSet::MapBack(size_t output_offset) const {
  size_t in = 0;   // position in the original
  size_t out = 0;  // the same position in the output
  for (const Edit& e : Sorted(0, false)) {
    size_t copied = e.begin - in;  // unchanged bytes before this edit
    if (output_offset < out + copied) return in + (output_offset - out);
    out += copied;
    if (output_offset < out + e.text.size()) return e.begin;
    out += e.text.size();
    in = e.end;
  }
  return in + (output_offset - out);
}

}  // namespace whittle::fix
