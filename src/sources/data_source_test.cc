#include "sources/data_source.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/profile.h"

namespace whittle {
namespace {

TEST(ParseDataSources, ValidAndInvalid) {
  auto ok = ParseDataSources("layers, paths");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_STREQ((*ok)[0]->name, "layers");
  EXPECT_STREQ((*ok)[1]->name, "paths");
  auto bad = ParseDataSources("layers,bogus");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::kUsage);
  EXPECT_NE(bad.error().message().find("bogus"), std::string::npos);
  EXPECT_NE(bad.error().message().find("waste"), std::string::npos);  // lists the valid ones
  EXPECT_FALSE(ParseDataSources(""));
}

TEST(DataSourceTable, NamesAreUniqueAndDescribed) {
  std::set<std::string> names;
  for (const DataSourceDef& d : DataSourceTable()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    EXPECT_GT(std::string(d.description).size(), 10u) << d.name;
    EXPECT_NE(d.make, nullptr) << d.name;
  }
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

// Runs BuildProfile over the named sources of the table.
struct Built {
  Result<Profile> profile = Error(Errc::kInternal, "not built");
  RollupOutput out;
};
Built Build(Fixture& f, const std::string& spec, int depth = 3, const std::regex* filter = nullptr) {
  Built b;
  auto defs = ParseDataSources(spec);
  EXPECT_TRUE(defs) << spec;
  SourceInputs inputs(f.image, f.scan, depth);
  auto sources = MakeLabelSources(*defs, inputs);
  EXPECT_TRUE(sources);
  ProfileOptions opt;
  for (auto& s : *sources) opt.sources.push_back(s.get());
  opt.source_filter = filter;
  b.profile = BuildProfile(f.scan, opt);
  EXPECT_TRUE(b.profile) << b.profile.error().message();
  if (b.profile) b.out = b.profile->rollup.Finish(std::vector<std::string>(defs->size(), "s"), 0, SortBy::kTar);
  return b;
}

TEST(BuildProfile, EveryByteAccountedForInEverySourceCombination) {
  Fixture f;
  uint64_t want_tar = f.scan.layers[0].tar_size + f.scan.layers[1].tar_size;
  uint64_t want_blob = f.scan.layers[0].blob_size + f.scan.layers[1].blob_size;
  std::vector<std::string> names;
  for (const DataSourceDef& d : DataSourceTable()) names.push_back(d.name);
  // Every source alone and every ordered pair.
  std::vector<std::string> specs = names;
  for (const auto& a : names) {
    for (const auto& b : names) specs.push_back(a + "," + b);
  }
  for (const auto& spec : specs) {
    Built b = Build(f, spec);
    ASSERT_TRUE(b.profile) << spec;
    EXPECT_EQ(b.out.total.tar, want_tar) << spec;
    EXPECT_EQ(b.out.total.blob, want_blob) << spec;
    EXPECT_EQ(SumLeaves(b.out.total, false), want_tar) << spec;
    EXPECT_EQ(SumLeaves(b.out.total, true), want_blob) << spec;
    CheckConsistency(b.out.total);
  }
}

TEST(BuildProfile, LayerLabelsAndSyntheticRows) {
  Fixture f;
  Built b = Build(f, "layers,paths", 2);
  const RollupOutput& out = b.out;
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

// What --source-filter keeps, re-derived from the fixture's entries by the
// labelling profile.h documents (data bytes get the path, headers, padding
// and the end region their bracketed labels, BLOB bytes split in proportion
// to TAR bytes with the remainder on the data) -- not by BuildProfile.
struct Kept {
  uint64_t blob = 0, tar = 0;
  std::set<std::string> labels;
};

Kept ExpectKept(const Fixture& f, const std::string& last, int depth, const std::regex& re) {
  const char* const kLayerNames[] = {"#1 ADD file:x in /", "#2 RUN make"};
  Kept k;
  auto add = [&](const std::string& label, uint64_t blob, uint64_t tar) {
    if ((blob == 0 && tar == 0) || !std::regex_search(label, re)) return;
    k.blob += blob;
    k.tar += tar;
    k.labels.insert(label);
  };
  for (size_t li = 0; li < f.scan.layers.size(); ++li) {
    const LayerScan& layer = f.scan.layers[li];
    auto label = [&](const std::string& own) { return last == "layers" ? kLayerNames[li] : own; };
    for (const LayerEntry& e : layer.entries) {
      uint64_t tar = e.header_bytes + e.stored_size + e.padding;
      uint64_t header_blob = e.blob_bytes * e.header_bytes / tar;
      uint64_t padding_blob = e.blob_bytes * e.padding / tar;
      uint64_t data_blob = e.blob_bytes - header_blob - padding_blob;
      if (e.stored_size == 0) header_blob += std::exchange(data_blob, 0);
      std::string path(f.scan.paths->Get(e.path));
      std::string data_label = path;
      if (last == "paths") {  // the first |depth| components
        size_t cut = 0;
        for (int d = 0; d < depth && cut != std::string::npos; ++d) cut = path.find('/', cut + 1);
        if (cut != std::string::npos) data_label = path.substr(0, cut);
      }
      add(label(data_label), data_blob, e.stored_size);
      add(label("[tar headers]"), header_blob, e.header_bytes);
      add(label("[padding]"), padding_blob, e.padding);
    }
    add(label("[end of archive]"), layer.end_blob_bytes, layer.end_tar_bytes);
  }
  return k;
}

void CollectLeaves(const RollupRow& r, std::set<std::string>* out) {
  if (r.children.empty()) {
    out->insert(r.name);
    return;
  }
  for (const auto& c : r.children) CollectLeaves(c, out);
}

TEST(BuildProfile, SourceFilterKeepsMatchesAndCountsTheRest) {
  Fixture f;
  const uint64_t all_tar = f.scan.layers[0].tar_size + f.scan.layers[1].tar_size;
  const uint64_t all_blob = f.scan.layers[0].blob_size + f.scan.layers[1].blob_size;
  struct Case {
    const char* spec;  // the filter applies to the last source
    const char* last;
    int depth;
    const char* regex;
  };
  const Case kCases[] = {
      {"layers,files", "files", 3, "^/usr/lib"},
      {"files", "files", 3, "\\.so$|^/app/"},
      {"files", "files", 3, "^\\["},  // the synthetic rows only
      {"layers,paths", "paths", 2, "^/usr/bin$"},
      {"paths", "paths", 1, "^/(usr|app)$"},
      {"files,layers", "layers", 3, "RUN make"},
      {"layers", "layers", 3, "ADD"},
      {"files", "files", 3, "^$"},  // nothing
      {"files", "files", 3, ""},    // everything
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.regex);
    std::regex re(c.regex);
    Kept want = ExpectKept(f, c.last, c.depth, re);
    Built b = Build(f, c.spec, c.depth, &re);
    ASSERT_TRUE(b.profile);
    EXPECT_EQ(b.out.total.tar, want.tar);
    EXPECT_EQ(b.out.total.blob, want.blob);
    EXPECT_EQ(b.profile->omitted_tar, all_tar - want.tar);
    EXPECT_EQ(b.profile->omitted_blob, all_blob - want.blob);
    std::set<std::string> leaves;
    if (!b.out.total.children.empty()) CollectLeaves(b.out.total, &leaves);
    EXPECT_EQ(leaves, want.labels);
  }
  // The derivation is not vacuous: these filters keep some bytes, not all.
  Kept lib = ExpectKept(f, "files", 3, std::regex("^/usr/lib"));
  EXPECT_EQ(lib.tar, 5000u);
  EXPECT_EQ(lib.labels, (std::set<std::string>{"/usr/lib/x/liba.so"}));
  Kept synthetic = ExpectKept(f, "files", 3, std::regex("^\\["));
  EXPECT_EQ(synthetic.tar, all_tar - 5000 - 1000 - 700);
}

TEST(BuildProfile, WasteSourceLabelsTheWhiteoutTargetsFate) {
  Fixture f;
  Built b = Build(f, "waste");
  std::map<std::string, uint64_t> tar;
  for (const auto& c : b.out.total.children) tar[c.name] = c.tar;
  // Nothing in the fixture is overwritten or deleted: all data is live.
  EXPECT_EQ(tar["live"], 1000u + 5000u + 700u);
  EXPECT_EQ(tar.count("deleted"), 0u);
}

TEST(CaptureRulesFor, BuiltinSourcesNeedNoBodies) {
  auto defs = ParseDataSources("layers,paths,files,waste");
  ASSERT_TRUE(defs);
  EXPECT_TRUE(CaptureRulesFor(*defs).empty());
}

}  // namespace
}  // namespace whittle
