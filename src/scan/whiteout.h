// Whiteouts: how an image layer deletes what lower layers wrote. It is a
// rule of the OCI/overlay layer format, read from a member's name, not a
// property of tar (the tar reader only reports names):
//
//   /a/.wh.b        deletes /a/b (a file, or a directory with its subtree)
//   /a/.wh..wh..opq hides everything lower layers put under /a ("opaque")
//   /a/.wh..wh.plnk aufs metadata (".wh..wh." prefix): not a whiteout
//   /a/.wh.         names no file: not a whiteout (the scanner warns)
//
// See image-spec layer.md "Whiteouts".
#ifndef WHITTLE_SCAN_WHITEOUT_H_
#define WHITTLE_SCAN_WHITEOUT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace whittle {

enum class WhiteoutKind : uint8_t {
  kNone,
  kFile,       // ".wh.NAME": NAME is deleted (file or whole directory)
  kOpaque,     // ".wh..wh..opq": the directory's lower contents are hidden
  kMalformed,  // ".wh." + "", "." or "..": names no file; treated as kNone
};

/// Classifies the member at |path| (normalised and absolute, as TarEntry::path:
/// "/a/.wh.b"). For kFile sets |*target| to the deleted path ("/a/b"), for
/// kOpaque to the directory ("/a", "/" at the root); leaves it untouched
/// otherwise. Allocation-free for ordinary names.
WhiteoutKind ClassifyWhiteout(std::string_view path, std::string* target);

}  // namespace whittle

#endif  // WHITTLE_SCAN_WHITEOUT_H_
