#include "util/sha256.h"

#include <gtest/gtest.h>

namespace whittle {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(Sha256::DigestOf(""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  Sha256 h;
  h.Update("ab", 2);
  h.Update("c", 1);
  EXPECT_EQ(h.FinishDigest(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, ValidDigest) {
  EXPECT_TRUE(IsValidSha256Digest(Sha256::DigestOf("x")));
  EXPECT_FALSE(IsValidSha256Digest("sha256:../../etc/passwd"));
  EXPECT_FALSE(IsValidSha256Digest("sha512:" + std::string(64, 'a')));
  EXPECT_FALSE(IsValidSha256Digest("sha256:" + std::string(64, 'A')));
}

}  // namespace
}  // namespace whittle
