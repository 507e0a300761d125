#include "fix/unified_diff.h"

#include <algorithm>
#include <vector>

#include "util/strings.h"

namespace whittle::fix {
namespace {

// Lines with their terminators; a final line without one is kept too.
std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < s.size()) {
    size_t nl = s.find('\n', at);
    size_t end = nl == std::string_view::npos ? s.size() : nl + 1;
    out.push_back(s.substr(at, end - at));
    at = end;
  }
  return out;
}

enum class Op { kEqual, kDelete, kInsert };
struct Step {
  Op op;
  size_t a;  // line index in before (kEqual, kDelete)
  size_t b;  // line index in after (kEqual, kInsert)
};

// Myers' greedy shortest edit script for a[0..n) -> b[0..m). Returns false
// when the distance exceeds kMaxEditDistance.
bool Myers(const std::vector<std::string_view>& a, size_t a0, size_t n, const std::vector<std::string_view>& b,
           size_t b0, size_t m, std::vector<Step>* out) {
  const long N = static_cast<long>(n), M = static_cast<long>(m);
  const long max_d = std::min<long>(N + M, static_cast<long>(kMaxEditDistance));
  // trace[d][k + d] = furthest x on diagonal k after d edits.
  std::vector<std::vector<long>> trace;
  auto at = [&](long d, long k) { return trace[static_cast<size_t>(d)][static_cast<size_t>(k + d)]; };
  long found_d = -1;
  for (long d = 0; d <= max_d && found_d < 0; ++d) {
    std::vector<long> v(static_cast<size_t>(2 * d + 1));
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (d == 0) {
        x = 0;
      } else if (k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1))) {
        x = at(d - 1, k + 1);  // down: insert b[y]
      } else {
        x = at(d - 1, k - 1) + 1;  // right: delete a[x]
      }
      long y = x - k;
      while (x < N && y < M && a[a0 + x] == b[b0 + y]) {
        ++x;
        ++y;
      }
      v[static_cast<size_t>(k + d)] = x;
      if (x >= N && y >= M) found_d = d;
    }
    trace.push_back(std::move(v));
  }
  if (found_d < 0) return false;
  // Walk back from (N, M).
  std::vector<Step> rev;
  long x = N, y = M;
  for (long d = found_d; d >= 0; --d) {
    long k = x - y;
    long px, py;  // where this edit's snake starts
    if (d == 0) {
      px = 0;
      py = 0;
    } else {
      bool down = k == -d || (k != d && at(d - 1, k - 1) < at(d - 1, k + 1));
      long pk = down ? k + 1 : k - 1;
      long sx = at(d - 1, pk);
      long sy = sx - pk;
      px = down ? sx : sx + 1;
      py = down ? sy + 1 : sy;
      // Snake back to (px, py), then the edit itself.
      while (x > px && y > py) {
        --x;
        --y;
        rev.push_back({Op::kEqual, a0 + static_cast<size_t>(x), b0 + static_cast<size_t>(y)});
      }
      if (down) {
        rev.push_back({Op::kInsert, 0, b0 + static_cast<size_t>(sy)});
      } else {
        rev.push_back({Op::kDelete, a0 + static_cast<size_t>(sx), 0});
      }
      x = sx;
      y = sy;
      continue;
    }
    while (x > px && y > py) {
      --x;
      --y;
      rev.push_back({Op::kEqual, a0 + static_cast<size_t>(x), b0 + static_cast<size_t>(y)});
    }
  }
  out->insert(out->end(), rev.rbegin(), rev.rend());
  return true;
}

std::string Range(size_t start, size_t count) {
  // GNU diff: "l" for one line, "l,n" otherwise; an empty range names the
  // line before it.
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(count == 0 ? start : start + 1) + "," + std::to_string(count);
}

void AppendLine(std::string* out, char prefix, std::string_view line) {
  out->push_back(prefix);
  out->append(line);
  if (line.empty() || line.back() != '\n') out->append("\n\\ No newline at end of file\n");
}

std::string CleanName(std::string_view name) {
  while (StartsWith(name, "./")) name.remove_prefix(2);
  while (StartsWith(name, "/")) name.remove_prefix(1);
  return std::string(name);
}

}  // namespace

std::string UnifiedDiff(std::string_view before, std::string_view after, std::string_view name, int context) {
  if (before == after) return "";
  std::vector<std::string_view> a = SplitLines(before), b = SplitLines(after);
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;

  std::vector<Step> steps;
  for (size_t i = 0; i < head; ++i) steps.push_back({Op::kEqual, i, i});
  size_t n = a.size() - head - tail, m = b.size() - head - tail;
  if (!Myers(a, head, n, b, head, m, &steps)) {
    for (size_t i = 0; i < n; ++i) steps.push_back({Op::kDelete, head + i, 0});
    for (size_t j = 0; j < m; ++j) steps.push_back({Op::kInsert, 0, head + j});
  }
  for (size_t t = 0; t < tail; ++t) steps.push_back({Op::kEqual, a.size() - tail + t, b.size() - tail + t});

  std::string out = "--- a/" + CleanName(name) + "\n+++ b/" + CleanName(name) + "\n";
  const size_t ctx = static_cast<size_t>(std::max(context, 0));
  size_t i = 0;
  while (i < steps.size()) {
    if (steps[i].op == Op::kEqual) {
      ++i;
      continue;
    }
    // A hunk: back up |ctx| equal lines, then extend while the next change
    // is within 2*ctx equal lines.
    size_t start = i >= ctx ? i - ctx : 0;
    size_t end = i;
    while (end < steps.size()) {
      if (steps[end].op != Op::kEqual) {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < steps.size() && steps[run].op == Op::kEqual) ++run;
      if (run < steps.size() && run - end <= 2 * ctx) {
        end = run;
        continue;
      }
      end = std::min(run, end + ctx);
      break;
    }
    // Line numbers: count lines of each side before |start|.
    size_t a_start = 0, b_start = 0;
    for (size_t k = 0; k < start; ++k) {
      if (steps[k].op != Op::kInsert) ++a_start;
      if (steps[k].op != Op::kDelete) ++b_start;
    }
    size_t a_count = 0, b_count = 0;
    for (size_t k = start; k < end; ++k) {
      if (steps[k].op != Op::kInsert) ++a_count;
      if (steps[k].op != Op::kDelete) ++b_count;
    }
    out += "@@ -" + Range(a_start, a_count) + " +" + Range(b_start, b_count) + " @@\n";
    for (size_t k = start; k < end; ++k) {
      const Step& s = steps[k];
      if (s.op == Op::kEqual) AppendLine(&out, ' ', a[s.a]);
      else if (s.op == Op::kDelete) AppendLine(&out, '-', a[s.a]);
      else AppendLine(&out, '+', b[s.b]);
    }
    i = end;
  }
  return out;
}

}  // namespace whittle::fix
