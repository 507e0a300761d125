#include "cache/layer_codec.h"

#include <gtest/gtest.h>

#include "io/byte_source.h"
#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle {
namespace {

using testing::BuildTar;

// A real scan of a tar with every kind of member, hashed, with a captured body.
LayerScan ScanOf(const std::string& tar, PathInterner& paths, const CaptureRules* rules = nullptr) {
  auto src = MakeMemorySource(tar, "img.tar:layer.tar");
  LayerScan out;
  EXPECT_TRUE(ScanLayerTar(*src, paths, &out, /*hash_contents=*/true, rules).ok());
  out.blob_size = tar.size();
  return out;
}

std::string SampleTar() {
  return BuildTar({testing::Dir("app/"), testing::File("app/a", std::string(700, 'x')),
                   testing::File("app/b", "hello"), testing::Symlink("app/l", "a"),
                   testing::HardLink("app/h", "app/a"), testing::Whiteout("app", "old"),
                   testing::Opaque("app/cache"), testing::File("var/lib/dpkg/status", "Package: x\n")});
}

CaptureRules StatusRule() {
  CaptureRule rule;
  rule.name = "dpkg status";
  rule.wants = [](const CaptureCandidate& c) { return c.path == "/var/lib/dpkg/status"; };
  rule.extract = [](const CaptureCandidate& c, MemberBody& body) { return ExtractWhole(c, body, 1 << 20); };
  return {rule};
}

// The layer totals: what history reads (DecodeLayerTotals keeps only these
// and the warnings).
void ExpectSameTotals(const LayerScan& a, const LayerScan& b) {
  EXPECT_EQ(a.blob_size, b.blob_size);
  EXPECT_EQ(a.tar_size, b.tar_size);
  EXPECT_EQ(a.content_size, b.content_size);
  EXPECT_EQ(a.files, b.files);
  EXPECT_EQ(a.end_tar_bytes, b.end_tar_bytes);
  EXPECT_EQ(a.end_blob_bytes, b.end_blob_bytes);
}

void ExpectSameScan(const LayerScan& a, const PathInterner& pa, const LayerScan& b, const PathInterner& pb) {
  ExpectSameTotals(a, b);
  ASSERT_EQ(a.entries.size(), b.entries.size());
  for (size_t i = 0; i < a.entries.size(); ++i) {
    const LayerEntry& x = a.entries[i];
    const LayerEntry& y = b.entries[i];
    EXPECT_EQ(pa.Get(x.path), pb.Get(y.path)) << i;
    EXPECT_EQ(x.target == kNoPath, y.target == kNoPath) << i;
    if (x.target != kNoPath && y.target != kNoPath) {
      EXPECT_EQ(pa.Get(x.target), pb.Get(y.target)) << i;
    }
    EXPECT_EQ(x.kind, y.kind);
    EXPECT_EQ(x.mode, y.mode);
    EXPECT_EQ(x.size, y.size);
    EXPECT_EQ(x.stored_size, y.stored_size);
    EXPECT_EQ(x.header_bytes, y.header_bytes);
    EXPECT_EQ(x.padding, y.padding);
    EXPECT_EQ(x.blob_bytes, y.blob_bytes);
    const EntryOwner* ox = a.owner(x);
    const EntryOwner* oy = b.owner(y);
    EXPECT_EQ(ox == nullptr, oy == nullptr) << i;
    if (ox != nullptr && oy != nullptr) {
      EXPECT_EQ(*ox, *oy) << i;
    }
  }
  EXPECT_EQ(a.content_hashes, b.content_hashes);
  ASSERT_EQ(a.captured.size(), b.captured.size());
  for (size_t i = 0; i < a.captured.size(); ++i) {
    EXPECT_EQ(a.captured[i].entry, b.captured[i].entry);
    EXPECT_EQ(a.captured[i].rule, b.captured[i].rule);
    EXPECT_EQ(a.captured[i].payload, b.captured[i].payload);
  }
  EXPECT_EQ(a.warnings, b.warnings);
}

TEST(LayerCodec, RoundTripsEveryField) {
  PathInterner paths;
  CaptureRules rules = StatusRule();
  LayerScan scan = ScanOf(SampleTar(), paths, &rules);
  ASSERT_EQ(scan.captured.size(), 1u);
  ASSERT_EQ(scan.content_hashes.size(), scan.entries.size());
  scan.warnings = {"img.tar:layer.tar: offset 512: odd", "elsewhere: odd"};
  std::string bytes = EncodeLayerScan(scan, paths, "img.tar:layer.tar");

  PathInterner fresh;
  LayerScan back;
  ASSERT_TRUE(DecodeLayerScan(bytes, "img.tar:layer.tar", rules.size(), fresh, &back).ok());
  ExpectSameScan(scan, paths, back, fresh);
}

// explore's details line names each entry's owner: a warm run must show what
// the cold one did (version 1 of the encoding dropped them: "?:?").
TEST(LayerCodec, RoundTripsOwners) {
  testing::TarMember app = testing::File("app/main", "bin");
  app.uid = 1000;
  app.gid = 1001;
  app.pax = {{"uname", "app"}, {"gname", "staff"}};
  testing::TarMember other = testing::File("data", "x");
  other.uid = 70000;
  std::string tar = BuildTar({testing::Dir("app/"), app, other});
  PathInterner paths;
  LayerScan scan = ScanOf(tar, paths);
  ASSERT_GE(scan.owners.size(), 3u);  // root, app:staff, 70000
  std::string bytes = EncodeLayerScan(scan, paths, "x");
  PathInterner fresh;
  LayerScan back;
  ASSERT_TRUE(DecodeLayerScan(bytes, "x", 0, fresh, &back).ok());
  ExpectSameScan(scan, paths, back, fresh);
  const EntryOwner* o = back.owner(back.entries[1]);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->uid, 1000u);
  EXPECT_EQ(o->gid, 1001u);
  EXPECT_EQ(o->uname, "app");
  EXPECT_EQ(o->gname, "staff");
}

// history reads only the totals: the same numbers and warnings, nothing
// interned, no entries; and a damaged value is refused the same way.
TEST(LayerCodec, TotalsOnlyDecodeKeepsTheTotalsAndWarnings) {
  PathInterner paths;
  CaptureRules rules = StatusRule();
  LayerScan scan = ScanOf(SampleTar(), paths, &rules);
  scan.warnings = {"img.tar:layer.tar: offset 512: odd"};
  std::string bytes = EncodeLayerScan(scan, paths, "img.tar:layer.tar");
  LayerScan totals;
  ASSERT_TRUE(DecodeLayerTotals(bytes, "other.tar:layer.tar", &totals).ok());
  ExpectSameTotals(scan, totals);
  EXPECT_EQ(totals.warnings, (std::vector<std::string>{"other.tar:layer.tar: offset 512: odd"}));
  EXPECT_TRUE(totals.entries.empty());
  EXPECT_TRUE(totals.owners.empty());
  EXPECT_TRUE(totals.content_hashes.empty());
  EXPECT_TRUE(totals.captured.empty());

  std::string bad = bytes;
  bad[bad.size() / 2] ^= 1;  // the checksum no longer matches
  LayerScan none;
  Status st = DecodeLayerTotals(bad, "x", &none);
  EXPECT_EQ(st.code(), Errc::kCorrupt);
  EXPECT_NE(st.message().find("checksum mismatch"), std::string::npos) << st.message();
}

TEST(LayerCodec, WarningsNameTheLayerTheyAreDecodedFor) {
  PathInterner paths;
  LayerScan scan = ScanOf(SampleTar(), paths);
  scan.warnings = {"a.tar:blobs/x: offset 512: odd", "other: kept as is"};
  std::string bytes = EncodeLayerScan(scan, paths, "a.tar:blobs/x");
  LayerScan back;
  ASSERT_TRUE(DecodeLayerScan(bytes, "b.tar:blobs/x", 0, paths, &back).ok());
  EXPECT_EQ(back.warnings, (std::vector<std::string>{"b.tar:blobs/x: offset 512: odd", "other: kept as is"}));
}

TEST(LayerCodec, InternsIntoAnInternerThatAlreadyHasPaths) {
  PathInterner paths;
  LayerScan scan = ScanOf(SampleTar(), paths);
  std::string bytes = EncodeLayerScan(scan, paths, "x");
  PathInterner other;
  other.Intern("/unrelated");
  other.Intern("/app/b");
  LayerScan back;
  ASSERT_TRUE(DecodeLayerScan(bytes, "x", 0, other, &back).ok());
  ExpectSameScan(scan, paths, back, other);
}

TEST(LayerCodec, EmptyLayerRoundTrips) {
  PathInterner paths;
  LayerScan scan = ScanOf(std::string(1024, '\0'), paths);
  scan.content_hashes.clear();
  std::string bytes = EncodeLayerScan(scan, paths, "x");
  LayerScan back;
  ASSERT_TRUE(DecodeLayerScan(bytes, "x", 0, paths, &back).ok());
  EXPECT_TRUE(back.entries.empty());
  EXPECT_EQ(back.tar_size, 1024u);
}

// Every single-byte change and every truncation is refused, and a refused
// value leaves the interner untouched.
TEST(LayerCodec, EveryFlippedByteAndTruncationIsRefused) {
  PathInterner paths;
  CaptureRules rules = StatusRule();
  LayerScan scan = ScanOf(SampleTar(), paths, &rules);
  const std::string bytes = EncodeLayerScan(scan, paths, "x");
  PathInterner target;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    LayerScan out;
    Status st = DecodeLayerScan(bad, "x", rules.size(), target, &out);
    EXPECT_EQ(st.code(), Errc::kCorrupt) << "byte " << i;
    EXPECT_TRUE(out.entries.empty());
  }
  for (size_t n = 0; n < bytes.size(); n += 7) {
    LayerScan out;
    EXPECT_EQ(DecodeLayerScan(std::string_view(bytes).substr(0, n), "x", rules.size(), target, &out).code(),
              Errc::kCorrupt)
        << "length " << n;
  }
  EXPECT_EQ(target.size(), 0u);
}

// A value whose checksum is right but whose content lies (a forged or buggy
// writer) is still refused by the bounds and invariant checks.
TEST(LayerCodec, ForgedValueWithAValidChecksumIsChecked) {
  PathInterner paths;
  LayerScan scan = ScanOf(SampleTar(), paths);
  auto reseal = [](std::string body) {
    Sha256 sum;
    sum.Update(body.data(), body.size());
    auto d = sum.FinishRaw();
    body.append(reinterpret_cast<const char*>(d.data()), d.size());
    return body;
  };
  {
    LayerScan lie = scan;
    lie.tar_size += 1;  // TAR bytes no longer add up
    std::string bytes = EncodeLayerScan(lie, paths, "x");
    LayerScan out;
    Status st = DecodeLayerScan(reseal(bytes.substr(0, bytes.size() - 32)), "x", 0, paths, &out);
    EXPECT_EQ(st.code(), Errc::kCorrupt);
    EXPECT_NE(st.message().find("tar size"), std::string::npos) << st.message();
  }
  {
    CaptureRules rules = StatusRule();
    PathInterner p2;
    LayerScan with = ScanOf(SampleTar(), p2, &rules);
    std::string bytes = EncodeLayerScan(with, p2, "x");
    LayerScan out;
    // Decoded for a key with no capture rules: the body's rule index is out of range.
    EXPECT_EQ(DecodeLayerScan(bytes, "x", 0, p2, &out).code(), Errc::kCorrupt);
  }
  {
    // A huge entry count with nothing behind it is refused before any allocation.
    std::string body = "WLSC";
    body.push_back(static_cast<char>(kLayerCodecVersion));
    for (int i = 0; i < 6; ++i) body.push_back(0);
    body.push_back(0);  // no paths
    for (int i = 0; i < 9; ++i) body.push_back(static_cast<char>(0xff));
    body.push_back(0x01);
    LayerScan out;
    Status st = DecodeLayerScan(reseal(body), "x", 0, paths, &out);
    EXPECT_EQ(st.code(), Errc::kCorrupt);
    EXPECT_NE(st.message().find("entry count"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace whittle
