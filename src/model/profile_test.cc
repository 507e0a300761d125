#include "model/profile.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace whittle {
namespace {

TEST(PathPrefix, Depths) {
  EXPECT_EQ(PathPrefix("/usr/lib/gcc/x86_64/12/cc1", 3), "/usr/lib/gcc");
  EXPECT_EQ(PathPrefix("/usr/lib/gcc", 3), "/usr/lib/gcc");
  EXPECT_EQ(PathPrefix("/etc/passwd", 3), "/etc/passwd");
  EXPECT_EQ(PathPrefix("/a/b/c", 1), "/a");
  EXPECT_EQ(PathPrefix("/a/b/c", 0), "/a/b/c");
}

TEST(SplitBlob, SharesAreProportionalAndExactInSum) {
  BlobSplit s = SplitBlob(100, 512, 1000, 24);
  EXPECT_EQ(s.header + s.data + s.padding, 100u);
  EXPECT_EQ(s.header, 100u * 512 / 1536);
  EXPECT_EQ(s.padding, 100u * 24 / 1536);
  BlobSplit no_data = SplitBlob(7, 512, 0, 0);
  EXPECT_EQ(no_data.header, 7u);
  EXPECT_EQ(no_data.data, 0u);
  BlobSplit empty = SplitBlob(5, 0, 0, 0);
  EXPECT_EQ(empty.header, 5u);
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


TEST(RangeWalk, RangesTileEachLayerInBothDomains) {
  Fixture f;
  for (size_t li = 0; li < f.scan.layers.size(); ++li) {
    uint64_t tar = 0, blob = 0;
    std::vector<RangePart> parts;
    ForEachLayerRange(f.scan.layers[li], li, [&](const ByteRange& r) {
      EXPECT_EQ(r.layer, li);
      EXPECT_EQ(r.tar_start, tar);
      EXPECT_EQ(r.blob_start, blob);
      EXPECT_TRUE(r.tar_size != 0 || r.blob_size != 0);
      tar += r.tar_size;
      blob += r.blob_size;
      parts.push_back(r.part);
    });
    EXPECT_EQ(tar, f.scan.layers[li].tar_size);
    EXPECT_EQ(blob, f.scan.layers[li].blob_size);
    ASSERT_FALSE(parts.empty());
    EXPECT_EQ(parts.back(), RangePart::kEnd);
  }
  // Layer 0: /usr (header only), tool (header, data, padding), liba.so
  // (header, data, padding: 5000 % 512 != 0), then the end.
  std::vector<RangePart> want = {RangePart::kHeader, RangePart::kHeader,  RangePart::kData,
                                 RangePart::kPadding, RangePart::kHeader, RangePart::kData,
                                 RangePart::kPadding, RangePart::kEnd};
  std::vector<RangePart> got;
  ForEachLayerRange(f.scan.layers[0], 0, [&](const ByteRange& r) { got.push_back(r.part); });
  EXPECT_EQ(got, want);
}

// A source that labels data by the parity of the entry index: enough to
// check the builder's accounting independently of the real sources.
class ParitySource : public LabelSource {
 public:
  std::string_view EntryLabel(size_t, size_t entry) override { return entry % 2 ? "odd" : "even"; }
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

TEST(BuildProfile, DataBytesGoToTheSourceAndTheRestToStructuralLabels) {
  Fixture f;
  ParitySource parity;
  ProfileOptions opt;
  opt.sources = {&parity};
  auto r = BuildProfile(f.scan, opt);
  ASSERT_TRUE(r) << r.error().message();
  RollupOutput out = r->rollup.Finish({"parity"}, 0, SortBy::kTar);
  CheckConsistency(out.total);
  std::map<std::string, uint64_t> tar;
  for (const auto& c : out.total.children) tar[c.name] = c.tar;
  // Entry indexes restart per layer. even: /usr (no data), liba.so (5000)
  // and layer 2's /app/main (700); odd: tool (1000), the whiteout (no data).
  EXPECT_EQ(tar["even"], 5700u);
  EXPECT_EQ(tar["odd"], 1000u);
  EXPECT_EQ(tar["[tar headers]"], 5u * 512);
  EXPECT_EQ(tar["[padding]"], (512 - 1000 % 512) + (512 - 5000 % 512) + (512 - 700 % 512));
  EXPECT_EQ(tar["[end of archive]"], 2u * (1024 + 8192));
  EXPECT_EQ(out.total.tar, f.scan.layers[0].tar_size + f.scan.layers[1].tar_size);
  EXPECT_EQ(SumLeaves(out.total, true), f.scan.layers[0].blob_size + f.scan.layers[1].blob_size);
}

// Labels every byte by its layer, like `layers`; |per_layer| says whether
// it tells BuildProfile so.
class ByLayerSource : public LabelSource {
 public:
  explicit ByLayerSource(bool per_layer) : per_layer_(per_layer) {}
  std::string_view EntryLabel(size_t layer, size_t) override { return layer == 0 ? "L0" : "L1"; }
  std::string_view StructuralLabel(size_t layer, std::string_view) override { return EntryLabel(layer, 0); }
  bool per_layer() const override { return per_layer_; }

 private:
  bool per_layer_;
};

// Every row as "name blob tar", children indented: equal strings, equal trees.
std::string Dump(const RollupRow& r, int depth = 0) {
  std::string out = std::string(2 * depth, ' ') + r.name + " " + std::to_string(r.blob) + " " +
                    std::to_string(r.tar) + "\n";
  for (const RollupRow& c : r.children) out += Dump(c, depth + 1);
  return out;
}

TEST(BuildProfile, PerLayerSourcesNeedOnlyTheLayerTotals) {
  Fixture f;
  // The same scan as a totals-only cache hit leaves it: no entries.
  ImageScan totals;
  totals.layers = f.scan.layers;
  for (LayerScan& l : totals.layers) l.entries.clear();
  ByLayerSource walked(false), summed(true);
  for (size_t levels : {1, 2}) {
    ProfileOptions walk_opt, sum_opt;
    walk_opt.sources.assign(levels, &walked);
    sum_opt.sources.assign(levels, &summed);
    auto walk = BuildProfile(f.scan, walk_opt);
    auto sum = BuildProfile(totals, sum_opt);
    auto sum_full = BuildProfile(f.scan, sum_opt);
    ASSERT_TRUE(walk && sum && sum_full);
    const std::vector<std::string> names(levels, "layers");
    const std::string want = Dump(walk->rollup.Finish(names, 0, SortBy::kBoth).total);
    EXPECT_EQ(Dump(sum->rollup.Finish(names, 0, SortBy::kBoth).total), want);
    EXPECT_EQ(Dump(sum_full->rollup.Finish(names, 0, SortBy::kBoth).total), want);
    EXPECT_NE(want.find("L1 " + std::to_string(f.scan.layers[1].blob_size) + " " +
                        std::to_string(f.scan.layers[1].tar_size)),
              std::string::npos)
        << want;
  }
  // Walking the members of a scan without them breaks the accounting: the
  // shortcut is what makes a totals-only scan enough.
  ProfileOptions walk_opt;
  walk_opt.sources = {&walked};
  EXPECT_FALSE(BuildProfile(totals, walk_opt));
}

TEST(BuildProfile, InvariantViolationIsAnError) {
  Fixture f;
  f.scan.layers[0].tar_size += 1;  // a byte nobody labels
  ParitySource parity;
  ProfileOptions opt;
  opt.sources = {&parity};
  auto r = BuildProfile(f.scan, opt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), Errc::kInternal);
}

}  // namespace
}  // namespace whittle
