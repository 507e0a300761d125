#include "scan/whiteout.h"

#include "util/strings.h"

namespace whittle {

WhiteoutKind ClassifyWhiteout(std::string_view path, std::string* target) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (!StartsWith(base, ".wh.")) return WhiteoutKind::kNone;
  // The parent directory; "/" for members at the root ("/.wh.x").
  std::string_view parent = slash == std::string_view::npos ? std::string_view("/")
                                                            : path.substr(0, slash == 0 ? 1 : slash);
  if (base == ".wh..wh..opq") {
    target->assign(parent);
    return WhiteoutKind::kOpaque;
  }
  // aufs metadata (.wh..wh.plnk, .wh..wh.aufs): not a whiteout.
  if (StartsWith(base, ".wh..wh.")) return WhiteoutKind::kNone;
  std::string_view name = base.substr(4);
  if (name.empty() || name == "." || name == "..") return WhiteoutKind::kMalformed;
  target->assign(parent);
  if (target->back() != '/') target->push_back('/');
  target->append(name);
  return WhiteoutKind::kFile;
}

}  // namespace whittle
