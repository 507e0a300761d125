#include "image/blob_store.h"

#include "util/sha256.h"
#include "util/strings.h"

namespace whittle {

Result<std::string> ReadJsonBlob(BlobStore& store, const BlobRef& blob) {
  ASSIGN_OR_RETURN(std::string where, store.Location(blob));
  if (blob.size > static_cast<int64_t>(kMaxJsonBlob)) {
    return Error(Errc::kTooLarge, StrFormat("%s: %lld bytes, more than the %zu-byte limit for "
                                            "manifests and configs",
                                            where.c_str(), static_cast<long long>(blob.size),
                                            kMaxJsonBlob));
  }
  ASSIGN_OR_RETURN(auto src, store.Open(blob));
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
