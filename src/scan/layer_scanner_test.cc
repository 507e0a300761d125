#include "scan/layer_scan.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "image/image_test_util.h"
#include "io/byte_sink.h"
#include "io/compress.h"
#include "io/file_source.h"
#include "scan/background_capture.h"
#include "scan/layer_cache.h"
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

// A ".wh." marker naming no file is an ordinary member plus a warning that
// names the member's own header block (here after a pax header).
TEST(ScanLayerTar, WhiteoutNamingNoFileIsAFileAndAWarning) {
  testing::TarMember odd = testing::File("a/.wh.", "");
  odd.pax = {{"comment", "forces a pax header"}};
  std::string tar = BuildTar({testing::File("ok", "1"), odd, testing::Whiteout("a", "b")});
  auto src = MakeMemorySource(tar, "odd.tar");
  PathInterner paths;
  LayerScan out;
  ASSERT_TRUE(ScanLayerTar(*src, paths, &out).ok());
  ASSERT_EQ(out.entries.size(), 3u);
  EXPECT_EQ(out.entries[1].kind, EntryKind::kFile);
  EXPECT_EQ(paths.Get(out.entries[1].path), "/a/.wh.");
  EXPECT_EQ(out.entries[1].target, kNoPath);
  EXPECT_EQ(out.entries[2].kind, EntryKind::kWhiteout);
  EXPECT_EQ(paths.Get(out.entries[2].target), "/a/b");
  ASSERT_EQ(out.warnings.size(), 1u);
  EXPECT_EQ(out.warnings[0],
            "odd.tar: tar header at offset 2048: whiteout \"/a/.wh.\" names no file; not treated as "
            "a whiteout");
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

TEST(ScanLayerTar, OwnersAreKeptOncePerLayer) {
  // root, app, root again, app with a name: three distinct owners.
  testing::TarMember a = testing::File("a", "1");
  testing::TarMember b = testing::File("b", "2");
  b.uid = b.gid = 1000;
  testing::TarMember c = testing::File("c", "3");
  testing::TarMember d = testing::File("d", "4");
  d.uid = d.gid = 1000;
  d.pax = {{"uname", "app"}, {"gname", std::string(100, 'g')}};
  auto src = MakeMemorySource(BuildTar({a, b, c, d}), "owners.tar");
  PathInterner paths;
  LayerScan out;
  ASSERT_TRUE(ScanLayerTar(*src, paths, &out).ok());
  ASSERT_EQ(out.entries.size(), 4u);
  ASSERT_EQ(out.owners.size(), 3u);
  EXPECT_EQ(out.entries[0].owner, out.entries[2].owner);
  const EntryOwner* root = out.owner(out.entries[0]);
  ASSERT_NE(root, nullptr);
  EXPECT_EQ(*root, (EntryOwner{0, 0, "root", "root"}));
  const EntryOwner* app = out.owner(out.entries[1]);
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(*app, (EntryOwner{1000, 1000, "root", "root"}));
  const EntryOwner* named = out.owner(out.entries[3]);
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(*named, (EntryOwner{1000, 1000, "app", std::string(kMaxOwnerName, 'g')}));
  // An entry whose owner was not kept answers null.
  LayerEntry unkept;
  EXPECT_EQ(out.owner(unkept), nullptr);
}

// Regression (issue 18): with several corrupt layers the error reported was
// whichever a worker met first, and layers are handed out largest first.
// Layers 2 and 5 (1-based) are corrupt and layer 5 is larger, so it is
// scanned first; the error must still be layer 2's, on every thread count.
TEST(ScanImage, LowestFailingLayerWinsWhateverTheScheduling) {
  auto store = std::make_unique<testing::MemoryBlobStore>();
  Image image;
  image.reference = "memory";
  for (size_t i = 0; i < 6; ++i) {
    // Layer i holds one (i+1) KiB file, so later layers are larger.
    std::vector<testing::TarMember> members = {
        testing::File("f" + std::to_string(i), std::string(1024 * (i + 1), 'x'))};
    if (i == 1 || i == 4) {
      testing::TarMember bad = testing::File("bad", "y");
      bad.bad_checksum = true;
      members.push_back(bad);
    }
    LayerRef layer;
    layer.blob = store->Add("layer" + std::to_string(i + 1), BuildTar(members));
    image.layers.push_back(layer);
  }
  image.blobs = std::move(store);
  // Layer 2's bad header follows a 512-byte header and 2 KiB of data.
  const std::string want = "layer2: tar header at offset 2560: bad checksum";

  for (unsigned threads : {1u, 2u, 3u, 6u}) {
    for (int run = 0; run < 25; ++run) {
      SCOPED_TRACE(::testing::Message() << threads << " threads, run " << run);
      ScanOptions options;
      options.threads = threads;
      auto scan = ScanImage(image, options);
      ASSERT_FALSE(scan);
      EXPECT_EQ(scan.error().code(), Errc::kCorrupt);
      EXPECT_EQ(scan.error().message().substr(0, want.size()), want) << scan.error().message();
    }
  }
}

// The same store with no corrupt layer scans every layer (the fake is sound).
TEST(ScanImage, ScansEveryLayerOfADigestAddressedStore) {
  auto store = std::make_unique<testing::MemoryBlobStore>();
  Image image;
  for (size_t i = 0; i < 3; ++i) {
    LayerRef layer;
    layer.blob = store->Add("layer" + std::to_string(i + 1),
                            BuildTar({testing::File("f" + std::to_string(i), std::string(10 * (i + 1), 'x'))}));
    image.layers.push_back(layer);
  }
  image.blobs = std::move(store);
  ScanOptions options;
  options.threads = 2;
  options.verify = true;  // digests checked: the store really serves the blob named
  auto scan = ScanImage(image, options);
  ASSERT_TRUE(scan) << scan.error().message();
  ASSERT_EQ(scan->layers.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(scan->layers[i].entries.size(), 1u);
    EXPECT_EQ(scan->layers[i].entries[0].size, 10 * (i + 1));
    EXPECT_EQ(scan->layers[i].blob_digest, image.layers[i].blob.digest);
  }
}

// A blob store whose blobs fail with a bare I/O error (no name, no offset,
// as a raw read() failure would read) after |fail_at| bytes.
class FailingBlobStore : public testing::MemoryBlobStore {
 public:
  explicit FailingBlobStore(uint64_t fail_at) : fail_at_(fail_at) {}
  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override {
    ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> inner, MemoryBlobStore::Open(blob));
    return std::unique_ptr<ByteSource>(new Failing(std::move(inner), fail_at_));
  }

 private:
  class Failing : public ByteSource {
   public:
    Failing(std::unique_ptr<ByteSource> inner, uint64_t fail_at) : inner_(std::move(inner)), fail_at_(fail_at) {}
    Result<size_t> Read(void* buf, size_t n) override {
      uint64_t pos = inner_->position();
      if (pos >= fail_at_) return Error(Errc::kIo, "Input/output error");
      return inner_->Read(buf, static_cast<size_t>(std::min<uint64_t>(n, fail_at_ - pos)));
    }
    uint64_t position() const override { return inner_->position(); }
    const std::string& name() const override { return inner_->name(); }

   private:
    std::unique_ptr<ByteSource> inner_;
    uint64_t fail_at_;
  };
  uint64_t fail_at_;
};

// A read error in the middle of a blob names the blob and the offset, for
// stored and compressed layers alike, and with --verify's hashers in the
// pipeline.
TEST(ScanImage, ReadErrorMidBlobNamesTheBlobAndOffset) {
  std::string tar = BuildTar({testing::File("a", std::string(100000, 'a')), testing::File("b", std::string(5000, 'b'))});
  struct Layer {
    Compression compression;
    std::string bytes;
  };
  auto compress = [&tar](Compression c) {
    StringSink out;
    CompressOptions options;
    options.compression = c;
    auto sink = MakeCompressor(options, &out);
    EXPECT_TRUE(sink->Write(tar.data(), tar.size()).ok());
    EXPECT_TRUE(sink->Close().ok());
    return out.str();
  };
  for (const Layer& l : {Layer{Compression::kNone, tar}, Layer{Compression::kGzip, compress(Compression::kGzip)},
                         Layer{Compression::kZstd, compress(Compression::kZstd)}}) {
    for (bool verify : {false, true}) {
      const uint64_t fail_at = l.bytes.size() / 2;
      auto store = std::make_unique<FailingBlobStore>(fail_at);
      Image image;
      LayerRef layer;
      layer.blob = store->Add("img/blobs/sha256/feed", l.bytes);
      layer.compression = l.compression;
      layer.diff_id = Sha256::DigestOf(tar);
      image.layers.push_back(layer);
      image.blobs = std::move(store);
      ScanOptions options;
      options.verify = verify;
      auto scan = ScanImage(image, options);
      SCOPED_TRACE(::testing::Message() << static_cast<int>(l.compression) << (verify ? " --verify" : ""));
      ASSERT_FALSE(scan);
      EXPECT_EQ(scan.error().code(), Errc::kIo);
      EXPECT_EQ(scan.error().message(),
                "img/blobs/sha256/feed: read failed at blob offset " + std::to_string(fail_at) + ": Input/output error");
    }
  }
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

// A big uncompressed layer in a local file: past its first bodies the scan
// hands the wanted bodies to a second reader on another thread
// (scan/background_capture.h). What it keeps must be what capturing in the
// scan keeps: the same bodies, entries, rules and payloads in tar order, the
// same warnings in the same order.
TEST(ScanLayerTar, BodiesReadInTheBackgroundAreTheBodiesReadInTheScan) {
  std::vector<testing::TarMember> members;
  for (int i = 0; i < 80; ++i) {
    std::string dir = "usr/lib/pkg" + std::to_string(i % 7) + "/";
    members.push_back(testing::File(dir + "list" + std::to_string(i), std::string(100 + 37 * i, char('a' + i % 26))));
    members.push_back(testing::File(dir + "bin" + std::to_string(i), std::string(3000 + 511 * i, 'x'), 0755));
    members.push_back(testing::File(dir + "skip" + std::to_string(i), std::string(700 * i, 'z')));
    if (i % 9 == 0) members.push_back(testing::File(dir + "big" + std::to_string(i), std::string(5000, 'y')));
    if (i % 11 == 0) {
      std::string deep = "usr/share/" + std::string(150, 'n') + "/list-long-" + std::to_string(i);  // a pax path
      members.push_back(testing::File(deep, "long name body " + std::to_string(i)));
    }
  }
  const std::string tar = BuildTar(members);
  std::mutex mu;
  std::set<std::thread::id> threads;
  auto note_thread = [&] {
    std::lock_guard<std::mutex> lock(mu);
    threads.insert(std::this_thread::get_id());
  };
  CaptureRules rules;
  rules.push_back({"lists", [](const CaptureCandidate& c) { return c.path.find("/list") != std::string_view::npos; },
                   [&](const CaptureCandidate& c, MemberBody& b) {
                     note_thread();
                     return ExtractWhole(c, b, 1 << 20);
                   }});
  rules.push_back({"exec prefix", [](const CaptureCandidate& c) { return (c.mode & 0111) != 0; },
                   [&](const CaptureCandidate& c, MemberBody& b) -> Result<std::string> {
                     note_thread();
                     std::string head;
                     RETURN_IF_ERROR(b.ReadUpTo(3 + c.stored_size % 5, &head));
                     if (c.stored_size % 3 == 0) return std::string();  // looked, nothing here
                     return head;
                   }});
  rules.push_back({"too small cap", [](const CaptureCandidate& c) { return c.path.find("/big") != std::string_view::npos; },
                   [&](const CaptureCandidate& c, MemberBody& b) {
                     note_thread();
                     return ExtractWhole(c, b, 100);
                   }});

  // In the scan: a memory source has no positional access.
  auto mem = MakeMemorySource(tar, "layer.tar");
  PathInterner paths;
  LayerScan want;
  ASSERT_TRUE(ScanLayerTar(*mem, paths, &want, false, &rules).ok());
  ASSERT_GT(want.captured.size(), 100u);
  ASSERT_EQ(want.warnings.size(), 9u);
  EXPECT_EQ(threads, std::set<std::thread::id>{std::this_thread::get_id()});
  size_t empty_payloads = 0;  // "looked, nothing here": neither kept nor a warning
  for (const auto& m : members) {
    if ((m.mode & 0111) != 0 && m.data.size() % 3 == 0) ++empty_payloads;
  }

  // In the background: the layer as a range of a file, at offset 0 and as a
  // member of a bigger archive.
  testing::ImageTempDir dir;
  testing::WriteFileOrDie(dir.Sub("archive.tar"), std::string(1536, 'H') + tar + std::string(512, 'T'));
  auto file = File::Open(dir.Sub("archive.tar"));
  ASSERT_TRUE(file.has_value());
  for (uint64_t offset : {uint64_t{0}, uint64_t{1536}}) {
    SCOPED_TRACE(offset);
    threads.clear();
    std::shared_ptr<File> f = *file;
    if (offset == 0) {
      testing::WriteFileOrDie(dir.Sub("layer.tar"), tar);
      auto lf = File::Open(dir.Sub("layer.tar"));
      ASSERT_TRUE(lf.has_value());
      f = *lf;
    }
    auto src = MakeFileRangeSource(f, offset, tar.size(), "archive.tar:layer");
    PathInterner paths2;
    LayerScan got;
    const size_t queued = BackgroundCapture::QueuedForTest();
    ASSERT_TRUE(ScanLayerTar(*src, paths2, &got, false, &rules).ok());
    // All but the first 16 wanted bodies went through the background queue
    // (read by its thread or, at the end, by the scanner helping it).
    const size_t wanted = got.captured.size() + got.warnings.size() + empty_payloads;
    EXPECT_EQ(BackgroundCapture::QueuedForTest() - queued, wanted - 16);
    ASSERT_EQ(got.captured.size(), want.captured.size());
    for (size_t i = 0; i < got.captured.size(); ++i) {
      EXPECT_EQ(got.captured[i].entry, want.captured[i].entry) << i;
      EXPECT_EQ(got.captured[i].rule, want.captured[i].rule) << i;
      EXPECT_EQ(got.captured[i].payload, want.captured[i].payload) << i;
    }
    std::vector<std::string> want_warnings = want.warnings;
    for (std::string& w : want_warnings) w.replace(0, w.find(':'), "archive.tar:layer");
    EXPECT_EQ(got.warnings, want_warnings);
    EXPECT_EQ(got.tar_size, want.tar_size);
  }

  // A file cut short inside a body read in the background: the scan fails
  // (and does not hang or leave its thread running).
  testing::WriteFileOrDie(dir.Sub("cut.tar"), tar.substr(0, tar.size() * 3 / 4));
  auto cut = File::Open(dir.Sub("cut.tar"));
  ASSERT_TRUE(cut.has_value());
  auto src = MakeFileRangeSource(*cut, 0, tar.size(), "cut.tar");
  PathInterner paths3;
  LayerScan bad;
  Status st = ScanLayerTar(*src, paths3, &bad, false, &rules);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cut.tar"), std::string::npos) << st.message();
}

// ScanOptions::defer_capture: an uncompressed layer in a local file queues
// every wanted body and reads none in the scan; ReadDeferred(), later, on
// another thread and after the file's stream is gone, gives what capturing
// in the scan gives. A stream without positional access captures as before.
TEST(ScanLayerTar, DeferredBodiesAreReadLaterAsTheScanWouldHaveReadThem) {
  std::vector<testing::TarMember> members;
  for (int i = 0; i < 40; ++i) {
    std::string dir = "var/lib/pkg" + std::to_string(i % 5) + "/";
    members.push_back(testing::File(dir + "list" + std::to_string(i), std::string(200 + 53 * i, char('a' + i % 26))));
    members.push_back(testing::File(dir + "skip" + std::to_string(i), std::string(900 * i, 'z')));
    if (i % 7 == 0) members.push_back(testing::File(dir + "big" + std::to_string(i), std::string(4000, 'y')));
  }
  const std::string tar = BuildTar(members);
  std::set<std::thread::id> threads;
  CaptureRules rules;
  rules.push_back({"lists", [](const CaptureCandidate& c) { return c.path.find("/list") != std::string_view::npos; },
                   [&](const CaptureCandidate& c, MemberBody& b) {
                     threads.insert(std::this_thread::get_id());
                     return ExtractWhole(c, b, 1 << 20);
                   }});
  rules.push_back({"too small cap", [](const CaptureCandidate& c) { return c.path.find("/big") != std::string_view::npos; },
                   [&](const CaptureCandidate& c, MemberBody& b) { return ExtractWhole(c, b, 100); }});

  testing::ImageTempDir dir;
  testing::WriteFileOrDie(dir.Sub("layer.tar"), tar);
  auto file = File::Open(dir.Sub("layer.tar"));
  ASSERT_TRUE(file.has_value());
  PathInterner paths;
  LayerScan want;
  {
    auto src = MakeFileRangeSource(*file, 0, tar.size(), "layer.tar");
    ASSERT_TRUE(ScanLayerTar(*src, paths, &want, false, &rules).ok());
  }
  ASSERT_EQ(want.captured.size(), 40u);
  ASSERT_EQ(want.warnings.size(), 6u);  // the bigs: over the cap
  EXPECT_EQ(want.deferred_bodies, nullptr);

  LayerScan got;
  {
    auto src = MakeFileRangeSource(*file, 0, tar.size(), "layer.tar");
    threads.clear();
    ASSERT_TRUE(ScanLayerTar(*src, paths, &got, false, &rules, /*defer_capture=*/true).ok());
  }  // the scan's stream is gone
  EXPECT_TRUE(threads.empty());  // no rule ran in the scan
  EXPECT_TRUE(got.captured.empty());
  EXPECT_TRUE(got.warnings.empty());
  ASSERT_NE(got.deferred_bodies, nullptr);
  EXPECT_TRUE(got.deferred_bodies->Queued(0));
  EXPECT_TRUE(got.deferred_bodies->Queued(1));
  EXPECT_FALSE(got.deferred_bodies->Queued(2));
  EXPECT_FALSE(got.deferred_bodies->read());
  EXPECT_TRUE(CapturedBodies(got).empty());
  EXPECT_EQ(got.entries.size(), want.entries.size());
  EXPECT_EQ(got.tar_size, want.tar_size);

  Status st;
  std::thread later([&] { st = got.deferred_bodies->ReadDeferred(); });
  later.join();
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(threads.size(), 1u);
  EXPECT_EQ(threads.count(std::this_thread::get_id()), 0u);
  const std::vector<CapturedBody>& bodies = CapturedBodies(got);
  ASSERT_EQ(bodies.size(), want.captured.size());
  for (size_t i = 0; i < bodies.size(); ++i) {
    EXPECT_EQ(bodies[i].entry, want.captured[i].entry) << i;
    EXPECT_EQ(bodies[i].rule, want.captured[i].rule) << i;
    EXPECT_EQ(bodies[i].payload, want.captured[i].payload) << i;
  }
  EXPECT_EQ(got.deferred_bodies->warnings(), want.warnings);
  EXPECT_TRUE(got.deferred_bodies->ReadDeferred().ok());  // once: the same outcome
  EXPECT_EQ(CapturedBodies(got).size(), want.captured.size());

  // A memory stream has no positional access: captured in the scan.
  auto mem = MakeMemorySource(tar, "layer.tar");
  LayerScan inline_scan;
  ASSERT_TRUE(ScanLayerTar(*mem, paths, &inline_scan, false, &rules, true).ok());
  EXPECT_EQ(inline_scan.deferred_bodies, nullptr);
  EXPECT_EQ(inline_scan.captured.size(), want.captured.size());

  // The file cut short after the scan: reading the bodies fails, naming it.
  testing::WriteFileOrDie(dir.Sub("cut.tar"), tar);
  auto cut = File::Open(dir.Sub("cut.tar"));
  ASSERT_TRUE(cut.has_value());
  LayerScan doomed;
  {
    auto src = MakeFileRangeSource(*cut, 0, tar.size(), "cut.tar");
    ASSERT_TRUE(ScanLayerTar(*src, paths, &doomed, false, &rules, true).ok());
  }
  ASSERT_EQ(truncate(dir.Sub("cut.tar").c_str(), 1024), 0);
  Status cut_st = doomed.deferred_bodies->ReadDeferred();
  EXPECT_FALSE(cut_st.ok());
  EXPECT_NE(cut_st.message().find("cut.tar"), std::string::npos) << cut_st.message();
}

// A store whose blobs are files (positional access, as a docker-archive's
// or an OCI layout's uncompressed layers), and a layer cache in memory.
class FileBlobStore : public testing::MemoryBlobStore {
 public:
  explicit FileBlobStore(std::string dir) : dir_(std::move(dir)) {}
  BlobRef AddFile(const std::string& where, const std::string& bytes) {
    BlobRef ref = Add(where, bytes);
    const std::string path = dir_ + "/" + std::to_string(files_.size());
    testing::WriteFileOrDie(path, bytes);
    auto f = File::Open(path);
    EXPECT_TRUE(f.has_value());
    files_[ref.digest] = *f;
    return ref;
  }
  Result<std::unique_ptr<ByteSource>> Open(const BlobRef& blob) override {
    ASSIGN_OR_RETURN(uint64_t size, Size(blob));
    return MakeFileRangeSource(files_.at(blob.digest), 0, size, blob.location);
  }

 private:
  std::string dir_;
  std::map<std::string, std::shared_ptr<File>> files_;
};

class MapCache : public LayerScanCache {
 public:
  bool TryLoad(const LayerCacheKey& key, const LayerRef&, uint64_t, PathInterner& paths, bool,
               LayerScan* out) override {
    auto it = stored_.find(key.Canonical());
    if (it == stored_.end()) return false;
    *out = it->second.scan;
    for (LayerEntry& e : out->entries) e.path = paths.Intern(it->second.paths[e.path]);  // one path per entry here
    return true;
  }
  void Store(const LayerCacheKey& key, const LayerRef&, const LayerScan& scan, const PathInterner& paths) override {
    Stored s{scan, {}};
    for (const LayerEntry& e : scan.entries) s.paths[e.path] = std::string(paths.Get(e.path));
    stored_[key.Canonical()] = std::move(s);
    ++stores;
  }
  void Flush() override { ++flushes; }
  int stores = 0, flushes = 0;

 private:
  struct Stored {
    LayerScan scan;
    std::map<PathId, std::string> paths;
  };
  std::map<std::string, Stored> stored_;
};

// ScanImage with defer_capture: the layers whose bodies were queued are not
// offered to the cache until ReadDeferredBodies and StoreDeferredLayers;
// what is then stored is what a scan reading its bodies at once stores.
TEST(ScanImage, DeferredLayersReachTheCacheOnceTheirBodiesAreRead) {
  testing::ImageTempDir dir;
  auto store = std::make_unique<FileBlobStore>(dir.Sub(""));
  Image image;
  for (size_t i = 0; i < 3; ++i) {
    LayerRef layer;
    std::vector<testing::TarMember> members;
    for (int k = 0; k < 5; ++k) {
      members.push_back(testing::File("l" + std::to_string(i) + "/db" + std::to_string(k),
                                      std::string(50 + 10 * k, char('a' + i))));
      members.push_back(testing::File("l" + std::to_string(i) + "/data" + std::to_string(k), std::string(3000, 'd')));
    }
    if (i == 1) members = {testing::File("nothing/wanted", "x")};  // no body: nothing deferred
    layer.blob = store->AddFile("layer" + std::to_string(i + 1), BuildTar(members));
    layer.diff_id = layer.blob.digest;
    image.layers.push_back(layer);
  }
  image.blobs = std::move(store);
  CaptureRules rules;
  rules.push_back({"dbs", [](const CaptureCandidate& c) { return c.path.find("/db") != std::string_view::npos; },
                   [](const CaptureCandidate& c, MemberBody& b) { return ExtractWhole(c, b, 1 << 20); }});
  ScanOptions options;
  options.threads = 2;
  options.capture = &rules;
  auto want = ScanImage(image, options);
  ASSERT_TRUE(want) << want.error().message();

  options.defer_capture = true;
  MapCache cache;
  auto got = ScanImage(image, options, &cache);
  ASSERT_TRUE(got) << got.error().message();
  EXPECT_EQ(cache.stores, 1);  // layer 2 only: 1 and 3 wait for their bodies
  ASSERT_NE(got->layers[0].deferred_bodies, nullptr);
  EXPECT_EQ(got->layers[1].deferred_bodies, nullptr);
  ASSERT_NE(got->layers[2].deferred_bodies, nullptr);
  StoreDeferredLayers(image, *got, options, &cache);  // not read yet: nothing
  EXPECT_EQ(cache.stores, 1);

  std::vector<std::string> warnings;
  ReadDeferredBodies(*got, &warnings);
  EXPECT_TRUE(warnings.empty());
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_EQ(CapturedBodies(got->layers[i]).size(), want->layers[i].captured.size()) << i;
    for (size_t k = 0; k < want->layers[i].captured.size(); ++k) {
      EXPECT_EQ(CapturedBodies(got->layers[i])[k].payload, want->layers[i].captured[k].payload);
    }
  }
  StoreDeferredLayers(image, *got, options, &cache);
  EXPECT_EQ(cache.stores, 3);
  EXPECT_EQ(cache.flushes, 1);  // ScanImage leaves it to its caller; StoreDeferredLayers flushes

  // The next scan takes every layer from the cache, bodies included.
  auto warm = ScanImage(image, options, &cache);
  ASSERT_TRUE(warm) << warm.error().message();
  EXPECT_EQ(cache.stores, 3);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(warm->layers[i].deferred_bodies, nullptr);
    ASSERT_EQ(warm->layers[i].captured.size(), want->layers[i].captured.size()) << i;
    for (size_t k = 0; k < want->layers[i].captured.size(); ++k) {
      EXPECT_EQ(warm->layers[i].captured[k].payload, want->layers[i].captured[k].payload);
      EXPECT_EQ(warm->layers[i].captured[k].entry, want->layers[i].captured[k].entry);
    }
    EXPECT_EQ(warm->layers[i].warnings, want->layers[i].warnings);
  }
}

}  // namespace
}  // namespace whittle
