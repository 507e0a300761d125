#include "model/profile.h"

#include <gtest/gtest.h>

#include <functional>

namespace whittle {
namespace {

TEST(PathPrefix, Depths) {
  EXPECT_EQ(PathPrefix("/usr/lib/gcc/x86_64/12/cc1", 3), "/usr/lib/gcc");
  EXPECT_EQ(PathPrefix("/usr/lib/gcc", 3), "/usr/lib/gcc");
  EXPECT_EQ(PathPrefix("/etc/passwd", 3), "/etc/passwd");
  EXPECT_EQ(PathPrefix("/a/b/c", 1), "/a");
  EXPECT_EQ(PathPrefix("/a/b/c", 0), "/a/b/c");
}

TEST(ParseDataSources, ValidAndInvalid) {
  auto ok = ParseDataSources("layers,paths");
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, (std::vector<DataSource>{DataSource::kLayers, DataSource::kPaths}));
  auto bad = ParseDataSources("layers,bogus");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::kUsage);
  EXPECT_NE(bad.error().message().find("bogus"), std::string::npos);
}

// A two-layer image described by hand: every byte of TAR and BLOB must land
// in exactly one row, whatever the data sources.
struct Fixture {
  Image image;
  ImageScan scan;
  Fixture() {
    image.reference = "test";
    image.layers.resize(2);
    image.history = {{"", "/bin/sh -c #(nop) ADD file:x in /", "", "", false},
                     {"", "/bin/sh -c #(nop)  ENV A=1", "", "", true},
                     {"", "/bin/sh -c make", "", "", false}};
    scan.layers.resize(2);
    auto add = [&](size_t layer, const char* path, EntryKind kind, uint64_t size, uint64_t blob) {
      LayerEntry e;
      e.path = scan.paths->Intern(path);
      e.kind = kind;
      e.size = size;
      e.stored_size = kind == EntryKind::kFile ? size : 0;
      e.header_bytes = 512;
      e.padding = static_cast<uint16_t>((512 - size % 512) % 512);
      e.blob_bytes = blob;
      LayerScan& l = scan.layers[layer];
      l.entries.push_back(e);
      l.tar_size += e.tar_bytes();
      l.blob_size += blob;
      l.content_size += size;
    };
    add(0, "/usr", EntryKind::kDir, 0, 7);
    add(0, "/usr/bin/tool", EntryKind::kFile, 1000, 333);
    add(0, "/usr/lib/x/liba.so", EntryKind::kFile, 5000, 1201);
    add(1, "/app/main", EntryKind::kFile, 700, 299);
    add(1, "/app/.wh.old", EntryKind::kWhiteout, 0, 3);
    for (auto& l : scan.layers) {
      l.end_tar_bytes = 1024 + 8192;
      l.tar_size += l.end_tar_bytes;
      l.end_blob_bytes = 31;
      l.blob_size += l.end_blob_bytes;
    }
  }
};

uint64_t SumLeaves(const RollupRow& r, bool blob) {
  if (r.children.empty()) return blob ? r.blob : r.tar;
  uint64_t s = 0;
  for (const auto& c : r.children) s += SumLeaves(c, blob);
  return s;
}

void CheckConsistency(const RollupRow& r) {
  if (r.children.empty()) return;
  uint64_t b = 0, t = 0;
  for (const auto& c : r.children) {
    b += c.blob;
    t += c.tar;
    CheckConsistency(c);
  }
  EXPECT_EQ(b, r.blob) << r.name;
  EXPECT_EQ(t, r.tar) << r.name;
}

TEST(BuildProfile, EveryByteAccountedForInEverySourceCombination) {
  Fixture f;
  uint64_t want_tar = f.scan.layers[0].tar_size + f.scan.layers[1].tar_size;
  uint64_t want_blob = f.scan.layers[0].blob_size + f.scan.layers[1].blob_size;
  const std::vector<std::vector<DataSource>> combos = {
      {DataSource::kLayers},
      {DataSource::kPaths},
      {DataSource::kFiles},
      {DataSource::kLayers, DataSource::kPaths},
      {DataSource::kPaths, DataSource::kLayers},
      {DataSource::kLayers, DataSource::kFiles}};
  for (const auto& sources : combos) {
    ProfileOptions opt;
    opt.sources = sources;
    auto r = BuildProfile(f.image, f.scan, opt);
    ASSERT_TRUE(r) << r.error().message();
    RollupOutput out = r->rollup.Finish(std::vector<std::string>(sources.size(), "s"), 0, SortBy::kBoth);
    EXPECT_EQ(out.total.tar, want_tar);
    EXPECT_EQ(out.total.blob, want_blob);
    EXPECT_EQ(SumLeaves(out.total, false), want_tar);
    EXPECT_EQ(SumLeaves(out.total, true), want_blob);
    CheckConsistency(out.total);
  }
}

TEST(BuildProfile, LayerLabelsAndSyntheticRows) {
  Fixture f;
  ProfileOptions opt;
  opt.sources = {DataSource::kLayers, DataSource::kPaths};
  opt.depth = 2;
  auto r = BuildProfile(f.image, f.scan, opt);
  ASSERT_TRUE(r);
  RollupOutput out = r->rollup.Finish({"layers", "paths"}, 0, SortBy::kTar);
  ASSERT_EQ(out.total.children.size(), 2u);
  const RollupRow& l1 = out.total.children[0];
  EXPECT_EQ(l1.name, "#1 ADD file:x in /");
  EXPECT_EQ(out.total.children[1].name, "#2 RUN make");
  std::vector<std::string> names;
  for (const auto& c : l1.children) names.push_back(c.name);
  EXPECT_EQ(names, (std::vector<std::string>{"[end of archive]", "/usr/lib", "[tar headers]",
                                             "/usr/bin", "[padding]"}));
  // /usr/lib holds liba.so's data: exactly its size in TAR.
  EXPECT_EQ(l1.children[1].tar, 5000u);
  // Headers: three 512-byte headers.
  EXPECT_EQ(l1.children[2].tar, 3u * 512);
}

TEST(BuildProfile, SourceFilterKeepsMatchesAndCountsTheRest) {
  Fixture f;
  uint64_t want_tar = f.scan.layers[0].tar_size + f.scan.layers[1].tar_size;
  uint64_t want_blob = f.scan.layers[0].blob_size + f.scan.layers[1].blob_size;
  std::regex re("^/usr/lib");
  ProfileOptions opt;
  opt.sources = {DataSource::kLayers, DataSource::kFiles};
  opt.source_filter = &re;
  auto r = BuildProfile(f.image, f.scan, opt);
  ASSERT_TRUE(r) << r.error().message();
  RollupOutput out = r->rollup.Finish({"layers", "files"}, 0, SortBy::kBoth);
  ASSERT_EQ(out.total.children.size(), 1u);
  ASSERT_EQ(out.total.children[0].children.size(), 1u);
  EXPECT_EQ(out.total.children[0].children[0].name, "/usr/lib/x/liba.so");
  EXPECT_EQ(out.total.tar, 5000u);
  EXPECT_EQ(out.total.tar + r->omitted_tar, want_tar);
  EXPECT_EQ(out.total.blob + r->omitted_blob, want_blob);
  std::regex none("^$");
  opt.source_filter = &none;
  auto all_out = BuildProfile(f.image, f.scan, opt);
  ASSERT_TRUE(all_out);
  EXPECT_EQ(all_out->rollup.tar(), 0u);
  EXPECT_EQ(all_out->omitted_tar, want_tar);
}

TEST(BuildProfile, InvariantViolationIsAnError) {
  Fixture f;
  f.scan.layers[0].tar_size += 1;  // a byte nobody labels
  ProfileOptions opt;
  auto r = BuildProfile(f.image, f.scan, opt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::kInternal);
}

}  // namespace
}  // namespace whittle
