#include "image/layout_store.h"

#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

Result<std::string> CheckRelativePath(std::string_view path, std::string_view where) {
  auto outside = [&]() {
    return Error(Errc::kCorrupt, StrFormat("%.*s: manifest points outside the layout: %s",
                                           static_cast<int>(where.size()), where.data(),
                                           EscapeForMessage(path).c_str()));
  };
  std::string_view p = path;
  while (StartsWith(p, "./")) p.remove_prefix(2);
  if (p.empty() || p[0] == '/' || p.find('\0') != std::string_view::npos) return outside();
  for (std::string_view part : Split(p, '/')) {
    if (part.empty() || part == "." || part == "..") return outside();
  }
  return std::string(p);
}

Result<std::string> LayoutStore::BlobPath(const BlobRef& blob) const {
  if (!blob.path.empty()) return CheckRelativePath(blob.path, name());
  if (!IsValidSha256Digest(blob.digest)) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: invalid blob digest %s (want sha256:<64 lowercase hex>)",
                           name().c_str(), EscapeForMessage(blob.digest).c_str()));
  }
  std::string hex = blob.digest.substr(7);
  if (naming_ == BlobNaming::kDirHex) return hex;
  return "blobs/sha256/" + hex;
}

Result<std::unique_ptr<ByteSource>> LayoutStore::Open(const BlobRef& blob) {
  ASSIGN_OR_RETURN(std::string rel, BlobPath(blob));
  return OpenPath(rel);
}

Result<uint64_t> LayoutStore::Size(const BlobRef& blob) {
  ASSIGN_OR_RETURN(std::string rel, BlobPath(blob));
  return PathSize(rel);
}

bool LayoutStore::Exists(const BlobRef& blob) {
  auto rel = BlobPath(blob);
  return rel && PathExists(*rel);
}

Result<std::string> LayoutStore::Location(const BlobRef& blob) const {
  ASSIGN_OR_RETURN(std::string rel, BlobPath(blob));
  return PathLocation(rel);
}

}  // namespace whittle
