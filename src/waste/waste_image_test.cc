// End-to-end: real archives through OpenImage + ScanImage (and tar fixtures
// through ScanLayerTar) into the waste analyses. The dive anchor values are
// the ones dive v0.13's own tests assert for its test-docker-image.tar.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "image/image.h"
#include "io/byte_source.h"
#include "scan/layer_scan.h"
#include "support/tar_builder.h"
#include "util/file_util.h"
#include "waste/ci_rules.h"
#include "waste/dive_metrics.h"
#include "waste/entry_fate.h"
#include "waste/waste_summary.h"

namespace whittle {
namespace {

const std::string kDiveImage = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/test-docker-image.tar";

ImageScan ScanReference(const std::string& ref) {
  OpenOptions open;
  open.verify = true;
  auto image = OpenImage(ref, open);
  EXPECT_TRUE(image.has_value()) << image.error().message();
  if (!image) return ImageScan{};
  ScanOptions opts;
  opts.verify = true;
  auto scan = ScanImage(*image, opts);
  EXPECT_TRUE(scan.has_value()) << scan.error().message();
  if (!scan) return ImageScan{};
  return std::move(*scan);
}

void ExpectDiveAnchor(const ImageScan& scan, const std::string& what) {
  DiveMetrics m = ComputeDiveMetrics(scan);
  EXPECT_EQ(m.efficiency, 0.9844212134184309) << what;
  EXPECT_EQ(m.size_bytes, 1220598u) << what;
  EXPECT_EQ(m.user_size_bytes, 66237u) << what;
  EXPECT_EQ(m.wasted_bytes, 32025u) << what;
  EXPECT_EQ(m.user_wasted_percent, 0.4834911001404049) << what;
  ASSERT_EQ(m.inefficient_files.size(), 3u) << what;
  EXPECT_EQ(m.inefficient_files[0].path, "/root/saved.txt");
  EXPECT_EQ(m.inefficient_files[0].count, 2u);
  EXPECT_EQ(m.inefficient_files[0].size_bytes, 12810u);
  EXPECT_EQ(m.inefficient_files[1].path, "/root/example/somefile1.txt");
  EXPECT_EQ(m.inefficient_files[1].count, 2u);
  EXPECT_EQ(m.inefficient_files[1].size_bytes, 12810u);
  EXPECT_EQ(m.inefficient_files[2].path, "/root/example/somefile3.txt");
  EXPECT_EQ(m.inefficient_files[2].count, 2u);
  EXPECT_EQ(m.inefficient_files[2].size_bytes, 6405u);
  EXPECT_EQ(m.layer_sizes, (std::vector<uint64_t>{1154361, 6405, 0, 6405, 6405, 6405, 6405, 6405, 6405, 0, 2187,
                                                  6405, 6405, 6405}))
      << what;
}

TEST(WasteImage, DiveAnchorValuesFromTheDockerArchive) {
  ImageScan scan = ScanReference(kDiveImage);
  ExpectDiveAnchor(scan, "docker-archive");
  // whittle's own count: somefile1 twice (overwritten by chmod, then deleted
  // with the directory), somefile2 (rm -rf: dive misses it), somefile3 (mv),
  // and the first saved.txt (chmod +x).
  WasteSummary w = SummarizeWaste(scan, ClassifyEntries(scan));
  EXPECT_EQ(w.reclaimable_bytes, 5u * 6405u);
  EXPECT_EQ(w.total_bytes, 1220598u);
  EXPECT_EQ(w.layers[9].killed_bytes, 2u * 6405u);  // `rm -rf /root/example/`
  EXPECT_EQ(w.layers[5].deleted_bytes, 6405u);       // somefile2, stored by #6
}

TEST(WasteImage, DiveEvaluatorTableOnTheRealImage) {
  ImageScan scan = ScanReference(kDiveImage);
  DiveMetrics d = ComputeDiveMetrics(scan);
  CiMetrics m;
  m.efficiency = d.efficiency;
  m.wasted_bytes = d.wasted_bytes;
  m.user_wasted_percent = d.user_wasted_percent;
  using S = RuleStatus;
  struct Case {
    const char *eff, *wasted, *pct;
    S s0, s1, s2;
  };
  const Case kCases[] = {{"0.99", "1B", "0.01", S::kFail, S::kFail, S::kFail},
                         {"0.9", "50kB", "0.5", S::kPass, S::kPass, S::kPass},
                         {"disabled", "disabled", "disabled", S::kSkip, S::kSkip, S::kSkip},
                         {"0.9", "1B", "0.5", S::kPass, S::kFail, S::kPass}};
  for (const Case& c : kCases) {
    CiRules rules;
    ASSERT_TRUE(rules.Set("lowestEfficiency", c.eff, "t").ok());
    ASSERT_TRUE(rules.Set("highestWastedBytes", c.wasted, "t").ok());
    ASSERT_TRUE(rules.Set("highestUserWastedPercent", c.pct, "t").ok());
    auto res = EvaluateCiRules(rules, m);
    ASSERT_EQ(res.size(), 3u);
    EXPECT_EQ(res[0].status, c.s0);
    EXPECT_EQ(res[1].status, c.s1);
    EXPECT_EQ(res[2].status, c.s2);
  }
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/whittle-waste-XXXXXX";
    path_ = mkdtemp(tmpl) ? tmpl : "";
  }
  ~TempDir() {
    if (!path_.empty()) std::system(("rm -rf '" + path_ + "'").c_str());
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(WasteImage, SameNumbersInEveryArchiveFormat) {
  TempDir tmp;
  ASSERT_FALSE(tmp.path().empty());
  const std::string src = "docker-archive:" + kDiveImage;
  const std::string oci_dir = tmp.path() + "/oci";
  const std::string oci_tar = tmp.path() + "/image.oci.tar";
  const std::string gz_dir = tmp.path() + "/oci-gz";
  const std::string base = "skopeo --insecure-policy copy -q ";
  ASSERT_EQ(std::system((base + src + " oci:" + oci_dir + ":t").c_str()), 0) << "skopeo (scripts/install-deps.sh)";
  ASSERT_EQ(std::system((base + src + " oci-archive:" + oci_tar + ":t").c_str()), 0);
  ASSERT_EQ(std::system((base + "--dest-compress-format gzip " + src + " oci:" + gz_dir + ":t").c_str()), 0);
  ExpectDiveAnchor(ScanReference("oci:" + oci_dir + ":t"), "oci");
  ExpectDiveAnchor(ScanReference("oci-archive:" + oci_tar + ":t"), "oci-archive");
  ExpectDiveAnchor(ScanReference("oci:" + gz_dir + ":t"), "oci gzip");
}

// Tar fixtures through the real tar reader and scanner.
ImageScan ScanTars(const std::vector<std::vector<testing::TarMember>>& layers) {
  ImageScan scan;
  for (size_t i = 0; i < layers.size(); ++i) {
    auto src = MakeMemorySource(testing::BuildTar(layers[i]), "layer" + std::to_string(i));
    LayerScan ls;
    ls.index = i;
    Status st = ScanLayerTar(*src, *scan.paths, &ls);
    EXPECT_TRUE(st.ok()) << st.message();
    scan.layers.push_back(std::move(ls));
  }
  return scan;
}

struct Fixture {
  ImageScan scan;
  ImageFates fates;
  WasteSummary waste;
  explicit Fixture(ImageScan s) : scan(std::move(s)), fates(ClassifyEntries(scan)), waste(SummarizeWaste(scan, fates)) {}
  // The fate of the member of |layer| at |path| (last one in tar order).
  std::string FateOf(size_t layer, const std::string& path) const {
    const auto& entries = scan.layers[layer].entries;
    for (size_t k = entries.size(); k-- > 0;) {
      if (scan.paths->Get(entries[k].path) == path) {
        const EntryFate& f = fates[layer][k];
        std::string s(FateName(f.fate));
        if (f.dead()) s += "@" + std::to_string(f.killer_layer);
        return s;
      }
    }
    return "absent";
  }
};

using testing::Dir;
using testing::File;
using testing::HardLink;
using testing::Opaque;
using testing::Whiteout;

TEST(WasteFixtures, FileAndDirectoryWhiteouts) {
  Fixture f(ScanTars({{Dir("etc/"), File("etc/a", std::string(100, 'a')), Dir("var/"), Dir("var/cache/"),
                       File("var/cache/x.deb", std::string(1000, 'x')), File("var/cache/y.deb", std::string(500, 'y'))},
                      {Whiteout("etc", "a"), Whiteout("var", "cache")}}));
  EXPECT_EQ(f.FateOf(0, "/etc/a"), "deleted@1");
  EXPECT_EQ(f.FateOf(0, "/var/cache/x.deb"), "deleted@1");
  EXPECT_EQ(f.FateOf(1, "/etc/.wh.a"), "marker");
  EXPECT_EQ(f.waste.reclaimable_bytes, 1600u);
  DiveMetrics d = ComputeDiveMetrics(f.scan);
  EXPECT_EQ(d.wasted_bytes, 100u);  // dive: the file whiteout only
}

TEST(WasteFixtures, OpaqueDirectory) {
  Fixture f(ScanTars({{Dir("app/"), Dir("app/build-cache/"), File("app/build-cache/obj", std::string(300, 'o'))},
                      {Dir("app/build-cache/"), Opaque("app/build-cache"), File("app/build-cache/new", "n")}}));
  EXPECT_EQ(f.FateOf(0, "/app/build-cache/obj"), "hidden-by-opaque@1");
  EXPECT_EQ(f.FateOf(1, "/app/build-cache/new"), "live");
  EXPECT_EQ(f.waste.reclaimable_bytes, 300u);
  EXPECT_EQ(ComputeDiveMetrics(f.scan).wasted_bytes, 0u);  // dive ignores opaque markers
}

TEST(WasteFixtures, WhiteoutThenRecreateAndIdenticalOverwrite) {
  const std::string model(4096, 'm');
  Fixture f(ScanTars({{Dir("d/"), File("d/f", "old"), File("model.bin", model)},
                      {Whiteout("", "d")},
                      {Dir("d/"), File("d/f", "new"), File("model.bin", model)}}));
  EXPECT_EQ(f.FateOf(0, "/d/f"), "deleted@1");
  EXPECT_EQ(f.FateOf(2, "/d/f"), "live");
  EXPECT_EQ(f.FateOf(0, "/model.bin"), "overwritten@2");  // same bytes re-added: still dead
  EXPECT_EQ(f.waste.reclaimable_bytes, 3u + 4096u);
}

TEST(WasteFixtures, HardLinkToDeletedFile) {
  const std::string data(777, 'h');
  Fixture kept(ScanTars({{Dir("a/"), File("a/f", data), Dir("b/"), HardLink("b/l", "a/f")}, {Whiteout("", "a")}}));
  EXPECT_EQ(kept.FateOf(0, "/a/f"), "live");  // its data is still reachable through /b/l
  EXPECT_EQ(kept.waste.reclaimable_bytes, 0u);
  Fixture gone(ScanTars({{Dir("a/"), File("a/f", data), Dir("b/"), HardLink("b/l", "a/f")},
                         {Whiteout("", "a"), Whiteout("", "b")}}));
  EXPECT_EQ(gone.waste.reclaimable_bytes, 777u);  // charged once, to the data holder
}

TEST(WasteCli, GoldenReportOnTheDiveImage) {
  const char* bin = std::getenv("WHITTLE_BIN");
  std::string whittle = bin ? bin : std::string(WHITTLE_BINARY_DIR) + "/whittle";
  std::string cmd = "'" + whittle + "' waste '" + kDiveImage + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << out;
  auto want = ReadFileToString(std::string(WHITTLE_SOURCE_DIR) + "/tests/data/waste/test-docker-image.waste.golden",
                               1 << 20);
  ASSERT_TRUE(want.has_value()) << want.error().message();
  EXPECT_EQ(out, *want);
}

}  // namespace
}  // namespace whittle
