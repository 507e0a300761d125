#include "pkg/glob.h"

namespace whittle::pkg {

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

bool MatchWildcard(std::string_view p, std::string_view t) {
  // Greedy matching with one backtrack point: the last '*' seen. Linear in
  // practice, O(|p|*|t|) at worst.
  size_t pi = 0, ti = 0;
  size_t star = std::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      star_t = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++star_t;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

void SplitPathComponents(std::string_view path, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out->push_back(path.substr(i, j - i));
    i = j;
  }
}

bool PathGlob::Compile(std::string_view pattern, PathGlob* out) {
  if (!(pattern.size() > 1 && pattern[0] == '/') && pattern.substr(0, 3) != "**/") return false;
  PathGlob g;
  g.pattern_ = std::string(pattern);
  std::vector<std::string_view> comps;
  SplitPathComponents(pattern, &comps);
  for (std::string_view c : comps) {
    if (c.find("**") != std::string_view::npos && c != "**") return false;  // "a**b" is ambiguous
    g.parts_.emplace_back(c);
  }
  if (g.parts_.empty()) return false;
  size_t w = pattern.find_first_of("*?");
  // Both pre-checks drop '/' at the ends of their literal: "/a/**" must
  // still match "/a" itself.
  auto trim_slashes = [](std::string_view s, bool front) {
    while (!s.empty() && s.back() == '/') s.remove_suffix(1);
    while (front && !s.empty() && s.front() == '/') s.remove_prefix(1);
    return std::string(s);
  };
  g.literal_prefix_ = trim_slashes(pattern.substr(0, w), /*front=*/false);
  size_t i = 0;
  while (i <= pattern.size()) {
    size_t j = pattern.find_first_of("*?", i);
    if (j == std::string_view::npos) j = pattern.size();
    std::string run = trim_slashes(pattern.substr(i, j - i), /*front=*/true);
    if (run.size() > g.longest_literal_.size()) g.longest_literal_ = std::move(run);
    i = j + 1;
  }
  *out = std::move(g);
  return true;
}

bool PathGlob::MatchFrom(size_t pi, const std::vector<std::string_view>& comps, size_t ci) const {
  while (pi < parts_.size()) {
    const std::string& part = parts_[pi];
    if (part == "**") {
      if (pi + 1 == parts_.size()) return true;  // trailing "**": anything below
      for (size_t k = ci; k <= comps.size(); ++k) {
        if (MatchFrom(pi + 1, comps, k)) return true;
      }
      return false;
    }
    if (ci >= comps.size() || !MatchWildcard(part, comps[ci])) return false;
    ++pi;
    ++ci;
  }
  return ci == comps.size();
}

bool PathGlob::Match(std::string_view path, const std::vector<std::string_view>& components) const {
  if (path.compare(0, literal_prefix_.size(), literal_prefix_) != 0) return false;
  if (!longest_literal_.empty() && path.find(longest_literal_) == std::string_view::npos) return false;
  return MatchFrom(0, components, 0);
}

}  // namespace whittle::pkg
