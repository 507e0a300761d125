// Test helper: builds an ImageScan by hand, the way ScanImage would record
// it, so waste logic is testable without tar files. Test-only.
#ifndef WHITTLE_WASTE_SCAN_BUILDER_FOR_TEST_H_
#define WHITTLE_WASTE_SCAN_BUILDER_FOR_TEST_H_

#include <string>
#include <vector>

#include "scan/layer_scan.h"

namespace whittle {
namespace testing_waste {

struct Member {
  std::string path;
  EntryKind kind;
  uint64_t size = 0;
  std::string target;  // link target; derived for whiteouts/opaques
};

inline Member F(std::string p, uint64_t size) { return {std::move(p), EntryKind::kFile, size, ""}; }
inline Member D(std::string p) { return {std::move(p), EntryKind::kDir, 0, ""}; }
inline Member L(std::string p, std::string target) { return {std::move(p), EntryKind::kHardLink, 0, std::move(target)}; }
inline Member S(std::string p, std::string target) { return {std::move(p), EntryKind::kSymlink, 0, std::move(target)}; }
/// A whiteout deleting |deleted| ("/a/b" -> member "/a/.wh.b").
inline Member WH(const std::string& deleted) {
  size_t slash = deleted.rfind('/');
  std::string dir = deleted.substr(0, slash);
  return {dir + "/.wh." + deleted.substr(slash + 1), EntryKind::kWhiteout, 0, deleted};
}
/// An opaque marker in |dir|.
inline Member OPQ(const std::string& dir) {
  return {(dir == "/" ? "" : dir) + "/.wh..wh..opq", EntryKind::kOpaque, 0, dir};
}

inline ImageScan BuildScan(const std::vector<std::vector<Member>>& layers) {
  ImageScan scan;
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerScan ls;
    ls.index = i;
    for (const Member& m : layers[i]) {
      LayerEntry e;
      e.path = scan.paths->Intern(m.path);
      if (!m.target.empty()) e.target = scan.paths->Intern(m.target);
      e.kind = m.kind;
      e.size = m.size;
      e.stored_size = m.kind == EntryKind::kFile ? m.size : 0;
      ls.content_size += m.size;
      ls.entries.push_back(e);
    }
    scan.layers.push_back(std::move(ls));
  }
  return scan;
}

}  // namespace testing_waste
}  // namespace whittle

#endif  // WHITTLE_WASTE_SCAN_BUILDER_FOR_TEST_H_
