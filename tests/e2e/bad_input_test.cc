// The bad-input suite (issue 14): hostile and broken images, each a small
// file made here by the fixture builders (tar_builder, image_builder, and
// OciLayout below for blobs no producer would write), run through the real
// whittle binary. Every case states the exact one-line stderr and the exit
// code; errors are exit 2 and name the file and the offset or blob. Cases
// whittle reads (deep trees, loops, duplicates: legal in a tar; an empty
// layer; names that are not UTF-8) state exit 0 and the exact warnings. Every case also checks that
// nothing was left behind (no output file, no temp file) and that peak RSS
// stays under kRssBudgetKib, or under the case's own budget (the
// 1,000,000-entry layer: the documented 64 MiB + 150 bytes per entry).
//
// Covered elsewhere, not repeated here: a bad header checksum and a
// truncated docker-archive (tests/cli/errors.test, truncated.test), a
// missing or empty file, a manifest/config digest mismatch and bad JSON
// types (src/image/bad_image_test.cc), a bad .dive-ci leaves no JUnit
// (tests/cli/ci.test).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <zlib.h>
#include <set>
#include <string>
#include <vector>

#include "e2e/run_util.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// Every case runs well inside this (the scanner's memory is O(entries)).
// Under ASan the shadow memory and the free quarantine inflate RSS about
// twofold; the release build holds the real budget.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kRssBudgetKib = 512 * 1024;
#else
constexpr long kRssBudgetKib = 256 * 1024;
#endif

constexpr const char* kTarType = "application/vnd.oci.image.layer.v1.tar";
constexpr const char* kGzipType = "application/vnd.oci.image.layer.v1.tar+gzip";
constexpr const char* kZstdType = "application/vnd.oci.image.layer.v1.tar+zstd";
constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kIndexType = "application/vnd.oci.image.index.v1+json";

void WriteFile(const std::string& path, const std::string& bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

std::string Hex(const std::string& digest) { return digest.substr(7); }

// An OCI layout written blob by blob, so a test can store bytes no builder
// would: truncated layers, lying sizes, indexes that point at themselves.
class OciLayout {
 public:
  explicit OciLayout(std::string dir) : dir_(std::move(dir)) {
    WriteFile(dir_ + "/oci-layout", R"({"imageLayoutVersion":"1.0.0"})");
  }
  // Stores |bytes| as a blob; returns its digest.
  std::string Blob(const std::string& bytes) {
    std::string d = Sha256::DigestOf(bytes);
    WriteFile(dir_ + "/blobs/sha256/" + Hex(d), bytes);
    return d;
  }
  // Stores |bytes| under |digest| whatever their content.
  void BlobAs(const std::string& digest, const std::string& bytes) {
    WriteFile(dir_ + "/blobs/sha256/" + Hex(digest), bytes);
  }
  static Json Desc(const std::string& type, const std::string& digest, int64_t size) {
    return {{"mediaType", type}, {"digest", digest}, {"size", size}};
  }
  // A manifest over |layers| (media type, bytes); its descriptor.
  Json Image(const std::vector<std::pair<std::string, std::string>>& layers) {
    Json diff_ids = Json::array(), history = Json::array(), descs = Json::array();
    for (const auto& [type, bytes] : layers) {
      std::string d = Blob(bytes);
      descs.push_back(Desc(type, d, static_cast<int64_t>(bytes.size())));
      diff_ids.push_back(d);
      history.push_back({{"created_by", "/bin/sh -c #(nop) ADD layer"}});
    }
    Json config = {{"architecture", "amd64"},
                   {"os", "linux"},
                   {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
                   {"history", history}};
    std::string c = config.dump();
    Json manifest = {{"schemaVersion", 2},
                     {"mediaType", kManifestType},
                     {"config", Desc("application/vnd.oci.image.config.v1+json", Blob(c), c.size())},
                     {"layers", descs}};
    std::string m = manifest.dump();
    return Desc(kManifestType, Blob(m), m.size());
  }
  void Index(const Json& manifests) {
    WriteFile(dir_ + "/index.json", Json{{"schemaVersion", 2}, {"manifests", manifests}}.dump());
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

// One layer tar cut after |keep| bytes.
std::string Cut(std::string s, size_t keep) {
  s.resize(keep);
  return s;
}

struct Case {
  const char* name;
  // Writes the input under |dir| (the image is dir/img); may leave other
  // files there (a Dockerfile...).
  std::function<void(const std::string& dir)> make;
  std::vector<std::string> args;  // "IMG" and "DIR" are replaced
  int exit_code;
  std::string err;  // the exact stderr, "IMG" and "DIR" replaced; one line
  // Paths (relative to dir) that must not exist afterwards (outputs).
  std::vector<std::string> absent = {};
  // Peak RSS budget in KiB; 0 = kRssBudgetKib.
  long rss_budget_kib = 0;
};

void OneLayer(const std::string& dir, const std::string& type, const std::string& bytes) {
  OciLayout l(dir + "/img");
  l.Index(Json::array({l.Image({{type, bytes}})}));
}

std::string SmallTar() {
  return BuildTar({Dir("etc/"), File("etc/motd", std::string(700, 'm')), File("etc/hosts", "127.0.0.1 localhost\n")});
}

// A file 100,000 directories down (a 200 KB pax path), in two layers, the
// second deleting it, so waste has something to walk.
void DeepTree(const std::string& dir) {
  std::string path;
  for (int i = 0; i < 100000; ++i) path += "d/";
  OciLayout l(dir + "/img");
  std::string first = BuildTar({File(path + "f", "deep")});
  std::string second = BuildTar({Whiteout(path.substr(0, path.size() - 1), "f")});
  l.Index(Json::array({l.Image({{kTarType, first}, {kTarType, second}})}));
}

// A gzip layer of one member holding |zeros| zero bytes, deflated in
// chunks so the test itself stays small: a decompression bomb (~1000:1).
std::string ZeroBombGzip(uint64_t zeros) {
  TarMember m = File("zeros", "");
  m.size_field = zeros;
  std::string header = BuildTar({m}, {.end_blocks = 0});
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out;
  std::string chunk(1 << 20, '\0'), buf(1 << 16, '\0');
  auto feed = [&](const char* data, size_t n, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
    z.avail_in = static_cast<uInt>(n);
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      out.append(buf.data(), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  };
  feed(header.data(), header.size(), Z_NO_FLUSH);
  uint64_t left = zeros + (512 - zeros % 512) % 512 + 1024;  // data, padding, end blocks
  while (left > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
    left -= n;
    feed(chunk.data(), n, left == 0 ? Z_FINISH : Z_NO_FLUSH);
  }
  deflateEnd(&z);
  return out;
}

// The documented memory bound of profile and waste (bench/README.md,
// docs/architecture.md): 64 MiB + 150 bytes per tar entry. Under ASan it is
// doubled (shadow memory and redzones) plus the 256 MiB ASan keeps of freed
// memory in its quarantine (quarantine_size_mb's default): waste on a
// million entries frees large buffers as it grows them, and held 482 MiB
// there (162 MiB in the release build, which holds the real budget).
constexpr long EntryBudgetKib(long entries) {
  long kib = (64l * 1024 * 1024 + 150l * entries) / 1024;
#if defined(__SANITIZE_ADDRESS__)
  kib = kib * 2 + 256l * 1024;
#endif
  return kib;
}
constexpr long kManyEntries = 1000000;

// One gzip layer of kManyEntries entries: 1,000 directories of 999 empty
// files each ("d000123/f000456"), built by tar_builder 999 members at a
// time and deflated as it goes, so the test never holds the 512 MB tar.
void ManyEntries(const std::string& dir) {
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 1, Z_DEFLATED, 16 + 15, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string gz, buf(1 << 16, '\0');
  auto feed = [&](const std::string& data, int flush) {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf.data());
      z.avail_out = static_cast<uInt>(buf.size());
      deflate(&z, flush);
      gz.append(buf.data(), buf.size() - z.avail_out);
    } while (z.avail_out == 0);
  };
  constexpr int kDirs = 1000;
  constexpr int kPerDir = static_cast<int>(kManyEntries / kDirs) - 1;
  char name[32];
  for (int d = 0; d < kDirs; ++d) {
    std::vector<TarMember> members;
    members.reserve(kPerDir + 1);
    std::snprintf(name, sizeof name, "d%06d/", d);
    members.push_back(Dir(name));
    for (int f = 0; f < kPerDir; ++f) {
      std::snprintf(name, sizeof name, "d%06d/f%06d", d, f);
      members.push_back(File(name, ""));
    }
    feed(BuildTar(members, {.format = TarFormat::kUstar, .end_blocks = d + 1 == kDirs ? 2 : 0}),
         d + 1 == kDirs ? Z_FINISH : Z_NO_FLUSH);
  }
  deflateEnd(&z);
  OneLayer(dir, kGzipType, gz);
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      // Truncation at every structural boundary.
      {"tar-header-truncated", [](const std::string& d) { OneLayer(d, kTarType, Cut(SmallTar(), 512 + 1024 + 300)); },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/454d334549ac3020cbaa7d49e39ba6243c3c1cda3c369fea1579849817e14f3e: tar header at offset 512: member data truncated: the stream ends before offset 2048"},
      {"pax-record-truncated",
       [](const std::string& d) {
         std::string tar = BuildTar({File(std::string(150, 'p') + "/long-name", "x")});
         OneLayer(d, kTarType, Cut(tar, 512 + 40));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/36bef88e49134fbc793fd4a3e002725ecbbe042dfb6fffdc06196e310c457b78: tar header at offset 0: member data truncated: the stream ends before offset 1024"},
      {"gzip-member-truncated",
       [](const std::string& d) {
         std::string gz = Compress(LayerCompression::kGzip, SmallTar());
         OneLayer(d, kGzipType, Cut(gz, gz.size() / 2));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/47285acb5abff976cdf6756f6767c94fe7c4f7e26a5745142eaa4895847dc082: truncated gzip stream at compressed offset 89"},
      {"zstd-frame-truncated",
       [](const std::string& d) {
         std::string zst = Compress(LayerCompression::kZstd, SmallTar());
         OneLayer(d, kZstdType, Cut(zst, zst.size() - 5));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/8bc061f29b6829efde301263027cfd7fa3a291e4aa4c2b3e29cf954c828f129a: truncated zstd stream at compressed offset 158"},
      {"index-json-truncated",
       [](const std::string& d) {
         OciLayout l(d + "/img");
         l.Index(Json::array({l.Image({{kTarType, SmallTar()}})}));
         std::string text = Json{{"schemaVersion", 2}, {"manifests", Json::array({l.Image({{kTarType, SmallTar()}})})}}.dump();
         WriteFile(d + "/img/index.json", text.substr(0, text.size() / 2));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/index.json: invalid JSON at byte 93"},
      // Zero-length blobs.
      {"zero-length-tar-layer", [](const std::string& d) { OneLayer(d, kTarType, ""); }, {"profile", "IMG"}, 0,
       "whittle: warning: IMG/blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: tar header at offset 0: archive ends without end-of-archive blocks"},
      {"zero-length-gzip-layer", [](const std::string& d) { OneLayer(d, kGzipType, ""); }, {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: truncated gzip stream at compressed offset 0"},
      {"zero-length-zstd-layer", [](const std::string& d) { OneLayer(d, kZstdType, ""); }, {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: truncated zstd stream at compressed offset 0"},
      {"zero-length-config",
       [](const std::string& d) {
         OciLayout l(d + "/img");
         std::string layer = SmallTar();
         Json manifest = {{"schemaVersion", 2},
                          {"mediaType", kManifestType},
                          {"config", OciLayout::Desc("application/vnd.oci.image.config.v1+json", l.Blob(""), 0)},
                          {"layers", Json::array({OciLayout::Desc(kTarType, l.Blob(layer), layer.size())})}};
         std::string m = manifest.dump();
         l.Index(Json::array({OciLayout::Desc(kManifestType, l.Blob(m), m.size())}));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855: invalid JSON at byte 0"},
      // Huge declared sizes.
      {"pax-huge-size",
       [](const std::string& d) {
         TarMember m = File("big", "x");
         m.pax = {{"size", "99999999999999999999"}};
         OneLayer(d, kTarType, BuildTar({m}));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/5da1e190acfe836a1341a391398b494f8548af81e28631a5e6b3ee45e2bebb17: tar header at offset 0: bad pax size value \"99999999999999999999\" at byte 0"},
      {"pax-huge-record-length",
       [](const std::string& d) {
         TarMember m = File("f", "x");
         m.pax = {{"comment", "y"}};
         std::string tar = BuildTar({m});
         // The first pax record's length field: "NN comment=y\n" -> 18 digits.
         size_t rec = 512;
         tar.replace(rec, 2, "99");
         OneLayer(d, kTarType, tar);
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/5223e1840d873cf48c266289f9d32547df19caeb9b390643deca901962a21938: tar header at offset 0: malformed pax record at byte 0 (length 99 runs past the header)"},
      {"gnu-longname-huge",
       [](const std::string& d) {
         TarMember m = File(std::string(200, 'n'), "x");
         std::string tar = BuildTar({m}, {.format = TarFormat::kGnu});
         // The 'L' header's size field (octal, 12 bytes at 124): 64 GiB.
         tar.replace(124, 12, "01000000000\0", 12);
         // Re-checksum the 'L' header.
         std::memset(tar.data() + 148, ' ', 8);
         unsigned sum = 0;
         for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[i]);
         char buf[8];
         std::snprintf(buf, sizeof buf, "%06o", sum);
         std::memcpy(tar.data() + 148, buf, 7);
         OneLayer(d, kTarType, tar);
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/720bbd3942df9d109ffd1418f28debf8545a515db4eb6072dbedf91d7fa4be02: tar header at offset 0: GNU long name of 134217728 bytes exceeds the 1048576-byte limit"},
      {"json-huge-layer-size",
       [](const std::string& d) {
         OciLayout l(d + "/img");
         Json desc = l.Image({{kTarType, SmallTar()}});
         std::string m = ReadFileOrDie(d + "/img/blobs/sha256/" + Hex(desc["digest"]));
         m = Replace(m, "\"size\":" + std::to_string(SmallTar().size()), "\"size\":99999999999999999999999");
         l.Index(Json::array({OciLayout::Desc(kManifestType, l.Blob(m), m.size())}));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/9d615552cdee5b81fbec1b279752a0a388652b099ab15e17b7743f02915500a0: layers[0].size: expected an integer, got number"},
      // Deep, hostile or odd trees: legal tars, read cleanly.
      {"deep-100000-levels", DeepTree,
       {"history", "IMG"}, 0, ""},
      {"deep-100000-levels-paths", DeepTree, {"profile", "-d", "paths", "-n", "3", "IMG"}, 0, ""},
      {"deep-100000-levels-waste", DeepTree, {"waste", "IMG"}, 0, ""},
      {"path-traversal",
       [](const std::string& d) {
         OneLayer(d, kTarType, BuildTar({File("../../etc/passwd", "x"), File("/etc/shadow", "y"),
                                         Symlink("escape", "../../../../root"), HardLink("h", "../../x")}));
       },
       {"history", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/fb3638d8465749ad590484ccab25d1347530629916ad895ffd8cd018c0169967: tar member at offset 0: name climbs out of the root with '..'"},
      {"symlink-loop",
       [](const std::string& d) { OneLayer(d, kTarType, BuildTar({Symlink("a", "b"), Symlink("b", "a"), Symlink("c", "c")})); },
       {"waste", "IMG"}, 0, ""},
      {"hardlink-missing-target",
       [](const std::string& d) { OneLayer(d, kTarType, BuildTar({HardLink("h", "nowhere/at/all")})); },
       {"waste", "IMG"}, 0, ""},
      {"duplicate-entries",
       [](const std::string& d) {
         OneLayer(d, kTarType, BuildTar({File("dup", "one"), File("dup", "two"), Dir("dup/"), File("dup", "three")}));
       },
       {"waste", "IMG"}, 0, ""},
      {"invalid-utf8-names",
       [](const std::string& d) { OneLayer(d, kTarType, BuildTar({File("bad-\xff\xfe-name", "x"), File("\xc3(", "y")})); },
       {"profile", "-d", "paths", "IMG"}, 0,
       "whittle: warning: IMG/blobs/sha256/8b5f99f8376f1884aa0581add87168a319e5050b0a4669f0ac91575d7beac93e: tar header at offset 0: path \"bad-\\xff\\xfe-name\" is not valid UTF-8\n"
       "whittle: warning: IMG/blobs/sha256/8b5f99f8376f1884aa0581add87168a319e5050b0a4669f0ac91575d7beac93e: tar header at offset 1024: path \"\\xc3(\" is not valid UTF-8"},
      // 1,000,000 entries in one layer, inside the documented bound.
      {"entries-1M-profile", ManyEntries, {"profile", "--no-cache", "IMG"}, 0, "", {}, EntryBudgetKib(kManyEntries)},
      {"entries-1M-waste", ManyEntries, {"waste", "--no-cache", "IMG"}, 0, "", {}, EntryBudgetKib(kManyEntries)},
      // A 384 MiB layer in a ~400 KB gzip: streamed, never held (RSS budget).
      {"gzip-bomb-384MiB", [](const std::string& d) { OneLayer(d, kGzipType, ZeroBombGzip(384ull << 20)); },
       {"profile", "IMG"}, 0, ""},
      // Manifests and indexes that point at each other.
      {"index-points-at-itself",
       [](const std::string& d) {
         OciLayout l(d + "/img");
         std::string fake = "sha256:" + std::string(64, 'c');
         Json index = {{"schemaVersion", 2}, {"mediaType", kIndexType},
                       {"manifests", Json::array({OciLayout::Desc(kIndexType, fake, 200)})}};
         std::string text = index.dump();
         l.BlobAs(fake, text);
         l.Index(Json::array({OciLayout::Desc(kIndexType, fake, text.size())}));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc: digest mismatch: expected sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc, content is sha256:bf9bee584bea76d777190620184e184f8ce0d9e57a76598004fa5f88b7e7db7d"},
      {"manifests-point-at-each-other",
       [](const std::string& d) {
         OciLayout l(d + "/img");
         std::string a = "sha256:" + std::string(64, 'a'), b = "sha256:" + std::string(64, 'b');
         std::string ta = Json{{"schemaVersion", 2}, {"mediaType", kIndexType},
                               {"manifests", Json::array({OciLayout::Desc(kIndexType, b, 10)})}}.dump();
         std::string tb = Json{{"schemaVersion", 2}, {"mediaType", kIndexType},
                               {"manifests", Json::array({OciLayout::Desc(kIndexType, a, 10)})}}.dump();
         l.BlobAs(a, ta);
         l.BlobAs(b, tb);
         l.Index(Json::array({OciLayout::Desc(kIndexType, a, ta.size())}));
       },
       {"profile", "IMG"}, 2,
       "whittle: IMG/blobs/sha256/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: digest mismatch: expected sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, content is sha256:81dfb010803deac2626400ab0ea3b5f26d0a0d6ff5e23bce50eb529815716cfc"},
      // No partial output on failure.
      {"compact-truncated-layer-no-output",
       [](const std::string& d) { OneLayer(d, kTarType, Cut(SmallTar(), 512 + 1024 + 300)); },
       {"compact", "IMG", "-o", "oci:DIR/out"}, 2,
       "whittle: IMG/blobs/sha256/454d334549ac3020cbaa7d49e39ba6243c3c1cda3c369fea1579849817e14f3e: tar header at offset 512: member data truncated: the stream ends before offset 2048", {"out"}},
      {"fix-write-unparsable-dockerfile",
       [](const std::string& d) { WriteFile(d + "/Dockerfile", "FROM alpine\nRUN <<EOF\napk add x\n"); },
       {"fix", "--write", "DIR/Dockerfile"}, 2,
       "whittle: DIR/Dockerfile:2: unterminated heredoc", {"Dockerfile.orig"}},
  };
  return cases;
}

class BadInputTest : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputTest, ExactErrorNoLeftovers) {
  const Case& c = GetParam();
  std::string dir = MakeTempDir();
  c.make(dir);
  std::vector<std::string> args;
  for (const std::string& a : c.args) args.push_back(Replace(Replace(a, "IMG", dir + "/img"), "DIR", dir));
  std::set<std::string> before;
  for (const auto& e : fs::recursive_directory_iterator(dir)) before.insert(e.path().string());
  RunResult r = RunWhittle(args);
  EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
  std::string want = c.err.empty() ? "" : Replace(Replace(c.err, "IMG", dir + "/img"), "DIR", dir) + "\n";
  EXPECT_EQ(r.err, want);
  if (c.exit_code == 2) {
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  for (const std::string& a : c.absent) EXPECT_FALSE(fs::exists(dir + "/" + a)) << a << " left behind";
  // Nothing new at all, temp files included (a fix --write that succeeds
  // is not in this table).
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    EXPECT_TRUE(before.count(e.path().string())) << e.path() << " left behind";
  }
  const long budget = c.rss_budget_kib ? c.rss_budget_kib : kRssBudgetKib;
  EXPECT_LT(r.max_rss_kib, budget) << "peak RSS " << r.max_rss_kib << " KiB, budget " << budget << " KiB";
  if (c.rss_budget_kib) std::printf("%s: peak RSS %ld KiB of %ld KiB\n", c.name, r.max_rss_kib, budget);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInputTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& param_info) {
                           std::string n = param_info.param.name;
                           for (char& ch : n) {
                             if (ch == '-') ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace whittle::testing
