// pax: the POSIX pax extended-header records ("LEN KEY=VALUE\n") that
// 'x' (this member) and 'g' (all later members) headers carry, reduced to
// the keys whittle uses. Unknown keys (atime, SCHILY.*, ...) are
// validated as records and ignored, so memory stays bounded whatever the
// archive holds.
#ifndef WHITTLE_TAR_PAX_H_
#define WHITTLE_TAR_PAX_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace whittle {

/// The recognised pax values of one 'x' header, or of the accumulated 'g'
/// headers. Reused across members: Clear() keeps the strings' capacity.
struct PaxValues {
  enum Field : uint16_t {
    kPath = 1 << 0,
    kLinkpath = 1 << 1,
    kSize = 1 << 2,
    kMtime = 1 << 3,
    kUid = 1 << 4,
    kGid = 1 << 5,
    kSparseName = 1 << 6,      // GNU.sparse.name (sparse 0.1/1.0 real name)
    kSparseRealSize = 1 << 7,  // GNU.sparse.realsize (1.0) / GNU.sparse.size (0.x)
    kSparse = 1 << 8,          // any GNU.sparse.* key was seen
    kUname = 1 << 9,
    kGname = 1 << 10,
  };
  uint16_t set = 0;      // fields holding a value
  uint16_t deleted = 0;  // fields given an empty value: hides a 'g' value
  std::string path;
  std::string linkpath;
  std::string sparse_name;
  std::string uname;
  std::string gname;
  uint64_t size = 0;
  uint64_t uid = 0;
  uint64_t gid = 0;
  uint64_t realsize = 0;
  int64_t mtime = 0;  // whole seconds; a fraction is truncated toward zero

  void Clear() { set = deleted = 0; }
  bool has(Field f) const { return (set & f) != 0; }
};

/// Parses the records of one extended-header body into |v| (later records
/// override earlier ones and earlier headers). An empty value removes the
/// key (POSIX): for a global header it is dropped from |v|; otherwise it is
/// also marked deleted so the global value no longer applies.
/// Validation per POSIX pax: decimal length, one space, "key=value", the
/// length counting itself through the final '\n'; trailing NUL padding is
/// tolerated. Numeric values must be decimal (mtime may be "-S.F").
/// Returns false and sets |*err| to a one-line reason naming the byte offset
/// within the body.
bool TryParsePaxRecords(std::string_view body, bool global, PaxValues* v, std::string* err);

}  // namespace whittle

#endif  // WHITTLE_TAR_PAX_H_
