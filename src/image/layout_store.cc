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
  if (!blob.path.empty()) return CheckRelativePath(blob.path, root_name());
  if (!IsValidSha256Digest(blob.digest)) {
    return Error(Errc::kCorrupt,
                 StrFormat("%s: invalid blob digest %s (want sha256:<64 lowercase hex>)",
                           root_name().c_str(), EscapeForMessage(blob.digest).c_str()));
  }
  std::string hex = blob.digest.substr(7);
  if (naming_ == BlobNaming::kDirHex) return hex;
  return "blobs/sha256/" + hex;
}

Result<std::unique_ptr<ByteSource>> LayoutStore::Open(const BlobRef& blob) {
  ASSIGN_OR_RETURN(std::string rel, BlobPath(blob));
  return OpenPath(rel);
}

Result<uint64_t> LayoutStore::StoredSize(const BlobRef& blob) {
  ASSIGN_OR_RETURN(std::string rel, BlobPath(blob));
  return PathSize(rel);
}

Result<std::string> ReadJsonBlob(LayoutStore& store, const BlobRef& blob) {
  ASSIGN_OR_RETURN(std::string rel, store.BlobPath(blob));
  std::string where = store.Location(rel);
  if (blob.size > static_cast<int64_t>(kMaxJsonBlob)) {
    return Error(Errc::kTooLarge, StrFormat("%s: %lld bytes, more than the %zu-byte limit for "
                                            "manifests and configs",
                                            where.c_str(), static_cast<long long>(blob.size),
                                            kMaxJsonBlob));
  }
  ASSIGN_OR_RETURN(auto src, store.OpenPath(rel));
  auto text = ReadAllCapped(*src, kMaxJsonBlob);
  if (!text) {
    if (text.error().code() == Errc::kTooLarge) {
      return Error(Errc::kTooLarge,
                   StrFormat("%s: more than the %zu-byte limit for manifests and configs",
                             where.c_str(), kMaxJsonBlob));
    }
    return text.error();
  }
  if (!blob.digest.empty()) {
    std::string got = Sha256::DigestOf(*text);
    if (got != blob.digest) {
      return Error(Errc::kDigestMismatch,
                   StrFormat("%s: digest mismatch: expected %s, content is %s", where.c_str(),
                             blob.digest.c_str(), got.c_str()));
    }
  }
  if (blob.size >= 0 && static_cast<uint64_t>(blob.size) != text->size()) {
    return Error(Errc::kDigestMismatch,
                 StrFormat("%s: size mismatch: descriptor says %lld bytes, blob has %zu",
                           where.c_str(), static_cast<long long>(blob.size), text->size()));
  }
  return text;
}

}  // namespace whittle
