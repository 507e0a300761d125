#include "scan/layer_scan.h"

#include <gtest/gtest.h>

#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle {
namespace {

using testing::BuildTar;

// Real end-to-end scans of real images are in tests/e2e; here: the tar pass.
TEST(ScanLayerTar, EmptyStreamIsAnEmptyLayer) {
  auto src = MakeMemorySource(std::string(1024, '\0'), "empty.tar");
  PathInterner paths;
  LayerScan out;
  ASSERT_TRUE(ScanLayerTar(*src, paths, &out).ok());
  EXPECT_TRUE(out.entries.empty());
  EXPECT_EQ(out.tar_size, 1024u);
  EXPECT_EQ(out.end_tar_bytes, 1024u);
}

TEST(ScanLayerTar, EntriesKindsAndExactAccounting) {
  std::string tar = BuildTar({testing::Dir("app/"), testing::File("app/a", std::string(700, 'x')),
                              testing::Symlink("app/l", "a"), testing::HardLink("app/h", "app/a"),
                              testing::Whiteout("app", "old"), testing::Opaque("app/cache")});
  auto src = MakeMemorySource(tar, "layer.tar");
  PathInterner paths;
  LayerScan out;
  ASSERT_TRUE(ScanLayerTar(*src, paths, &out, /*hash_contents=*/true).ok());
  ASSERT_EQ(out.entries.size(), 6u);
  EXPECT_EQ(out.entries[0].kind, EntryKind::kDir);
  EXPECT_EQ(out.entries[1].kind, EntryKind::kFile);
  EXPECT_EQ(out.entries[1].size, 700u);
  EXPECT_EQ(out.entries[1].padding, 512u - 700 % 512);
  EXPECT_EQ(out.entries[2].kind, EntryKind::kSymlink);
  EXPECT_EQ(paths.Get(out.entries[2].target), "a");
  EXPECT_EQ(out.entries[3].kind, EntryKind::kHardLink);
  EXPECT_EQ(paths.Get(out.entries[3].target), "/app/a");
  EXPECT_EQ(out.entries[4].kind, EntryKind::kWhiteout);
  EXPECT_EQ(paths.Get(out.entries[4].target), "/app/old");
  EXPECT_EQ(out.entries[5].kind, EntryKind::kOpaque);
  EXPECT_EQ(paths.Get(out.entries[5].target), "/app/cache");
  EXPECT_EQ(out.files, 3u);  // file, symlink, hard link; not the dir or markers
  EXPECT_EQ(out.content_size, 700u);
  uint64_t sum = out.end_tar_bytes;
  uint64_t blob = out.end_blob_bytes;
  for (const auto& e : out.entries) {
    sum += e.tar_bytes();
    blob += e.blob_bytes;
  }
  EXPECT_EQ(sum, tar.size());
  EXPECT_EQ(out.tar_size, tar.size());
  EXPECT_EQ(blob, tar.size());  // uncompressed: blob offsets are tar offsets
  ASSERT_EQ(out.content_hashes.size(), 6u);
  EXPECT_NE(out.content_hashes[1], (std::array<uint8_t, 32>{}));
  EXPECT_EQ(out.content_hashes[0], (std::array<uint8_t, 32>{}));
}

// Regression: a member named "../x" must not be counted as if it were /x.
TEST(ScanLayerTar, NameClimbingOutOfRootIsAnError) {
  std::string tar = BuildTar({testing::File("ok", "1"), testing::File("../../etc/evil", "2")});
  auto src = MakeMemorySource(tar, "bad.tar");
  PathInterner paths;
  LayerScan out;
  Status st = ScanLayerTar(*src, paths, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), Errc::kCorrupt);
  EXPECT_EQ(st.message(), "bad.tar: tar member at offset 1024: name climbs out of the root with '..'");
}

}  // namespace
}  // namespace whittle

namespace whittle {
namespace {

TEST(ScanLayerTar, CaptureHandsChosenBodiesToRulesAndSkipsTheRest) {
  std::string status = "Package: a\nStatus: install ok installed\n\n";
  std::string tar = BuildTar({testing::Dir("var/lib/dpkg/"), testing::File("var/lib/dpkg/status", status),
                              testing::File("usr/bin/tool", std::string(5000, 'x'), 0755),
                              testing::File("etc/big", std::string(3000, 'y'))});
  CaptureRules rules;
  rules.push_back({"dpkg status", [](const CaptureCandidate& c) { return c.path == "/var/lib/dpkg/status"; },
                   [](const CaptureCandidate& c, MemberBody& b) { return ExtractWhole(c, b, 1 << 20); }});
  // A prefix reader: takes 4 bytes of executables and leaves the rest.
  rules.push_back({"exec prefix", [](const CaptureCandidate& c) { return (c.mode & 0111) != 0; },
                   [](const CaptureCandidate&, MemberBody& b) -> Result<std::string> {
                     std::string head;
                     RETURN_IF_ERROR(b.ReadUpTo(4, &head));
                     return head;
                   }});
  // A rule that always fails: a warning, never an error.
  rules.push_back({"too small cap", [](const CaptureCandidate& c) { return c.path == "/etc/big"; },
                   [](const CaptureCandidate& c, MemberBody& b) { return ExtractWhole(c, b, 100); }});
  for (bool hash : {false, true}) {
    auto src = MakeMemorySource(tar, "layer.tar");
    PathInterner paths;
    LayerScan out;
    ASSERT_TRUE(ScanLayerTar(*src, paths, &out, hash, &rules).ok());
    ASSERT_EQ(out.captured.size(), 2u);
    EXPECT_EQ(out.captured[0].entry, 1u);
    EXPECT_EQ(out.captured[0].rule, 0u);
    EXPECT_EQ(out.captured[0].payload, status);
    EXPECT_EQ(out.captured[1].entry, 2u);
    EXPECT_EQ(out.captured[1].payload, "xxxx");
    ASSERT_EQ(out.warnings.size(), 1u);
    EXPECT_NE(out.warnings[0].find("/etc/big: too small cap: 3000 bytes"), std::string::npos) << out.warnings[0];
    // Accounting is unchanged by what was read.
    EXPECT_EQ(out.entries.size(), 4u);
    EXPECT_EQ(out.content_size, status.size() + 5000 + 3000);
    if (hash) {
      // The partly captured body is still hashed whole.
      ASSERT_EQ(out.content_hashes.size(), 4u);
      Sha256 h;
      std::string body(5000, 'x');
      h.Update(body.data(), body.size());
      EXPECT_EQ(h.FinishRaw(), out.content_hashes[2]);
    }
  }
}

}  // namespace
}  // namespace whittle
