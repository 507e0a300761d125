// UnifiedDiff: the patch `whittle fix` prints, in the unified format that
// `git apply` and `patch -p1` accept.
//
// Lines are compared byte for byte, terminators included, so a CRLF file's
// lines keep their "\r\n" in the patch and a missing final newline is marked
// "\ No newline at end of file", as diff(1) does. The line diff is Myers'
// O((N+M)D) algorithm after trimming the common head and tail; a fixer
// changes few lines, so D is small. Past kMaxEditDistance changed lines the
// differing middle is emitted as one delete-all/insert-all block (still a
// correct patch, just not the smallest).
#ifndef WHITTLE_FIX_UNIFIED_DIFF_H_
#define WHITTLE_FIX_UNIFIED_DIFF_H_

#include <string>
#include <string_view>

namespace whittle::fix {

inline constexpr size_t kMaxEditDistance = 2000;

/// The patch that turns |before| into |after|, with headers
/// "--- a/NAME" and "+++ b/NAME" and |context| lines around each change.
/// Empty when the texts are equal. |name| should be relative (a leading
/// "./" or "/" is dropped) so `git apply` finds the file.
std::string UnifiedDiff(std::string_view before, std::string_view after, std::string_view name,
                        int context = 3);

}  // namespace whittle::fix

#endif  // WHITTLE_FIX_UNIFIED_DIFF_H_
