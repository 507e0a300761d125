#include "tar/tar_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "support/tar_builder.h"
#include "tar/tar_header.h"
#include "tar/tar_test_util.h"

namespace whittle {
namespace {

using testing::BuildTar;
using testing::TarFormat;
using testing::TarMember;
using testing::TarOptions;

TarListing ListOk(const std::string& tar) {
  TarListing l = ListTar(tar);
  EXPECT_TRUE(l.status.ok()) << l.status.message();
  EXPECT_EQ(CheckTiling(l, tar.size()), "");
  return l;
}

std::vector<TarMember> AllTypes() {
  return {testing::Dir("etc/"),
          testing::File("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"),
          testing::File("empty", ""),
          testing::File("etc/block", std::string(512, 'b')),
          testing::Symlink("bin", "usr/bin"),
          testing::HardLink("etc/passwd2", "etc/passwd"),
          testing::CharDevice("dev/null", 1, 3),
          testing::BlockDevice("dev/sda", 8, 0),
          testing::Fifo("run/fifo")};
}

struct Want {
  const char* path;
  TarEntryType type;
  uint64_t size;
  const char* link;
};

const Want kAllTypes[] = {
    {"/etc", TarEntryType::kDirectory, 0, ""},
    {"/etc/passwd", TarEntryType::kRegular, 30, ""},
    {"/empty", TarEntryType::kRegular, 0, ""},
    {"/etc/block", TarEntryType::kRegular, 512, ""},
    {"/bin", TarEntryType::kSymlink, 0, "usr/bin"},
    {"/etc/passwd2", TarEntryType::kHardLink, 0, "/etc/passwd"},
    {"/dev/null", TarEntryType::kCharDevice, 0, ""},
    {"/dev/sda", TarEntryType::kBlockDevice, 0, ""},
    {"/run/fifo", TarEntryType::kFifo, 0, ""},
};

TEST(TarReaderTest, AllTypesInEveryFormat) {
  for (TarFormat f : {TarFormat::kPax, TarFormat::kGnu, TarFormat::kUstar, TarFormat::kV7}) {
    SCOPED_TRACE(static_cast<int>(f));
    std::string tar = BuildTar(AllTypes(), {.format = f});
    TarListing l = ListOk(tar);
    ASSERT_EQ(l.entries.size(), std::size(kAllTypes));
    for (size_t i = 0; i < l.entries.size(); ++i) {
      const TarEntry& e = l.entries[i];
      EXPECT_EQ(e.path, kAllTypes[i].path);
      EXPECT_EQ(e.type, kAllTypes[i].type) << e.path;
      EXPECT_EQ(e.size, kAllTypes[i].size) << e.path;
      EXPECT_EQ(e.link_target, kAllTypes[i].link) << e.path;
      EXPECT_EQ(e.header_size, 512u) << e.path;
      EXPECT_EQ(e.mtime, 1700000000);
      EXPECT_FALSE(e.sparse);
    }
    EXPECT_EQ(l.entries[1].mode, 0644u);
    EXPECT_EQ(l.entries[0].mode, 0755u);
    EXPECT_TRUE(l.warnings.empty()) << l.warnings[0];
  }
}

TEST(TarReaderTest, ExactOffsets) {
  std::string tar = BuildTar({testing::File("a", "hello"), testing::File("b", std::string(1024, 'x')),
                              testing::Dir("c/")},
                             {.format = TarFormat::kUstar, .record_size = 10240});
  ASSERT_EQ(tar.size(), 10240u);
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 3u);
  const TarEntry& a = l.entries[0];
  EXPECT_EQ(a.header_offset, 0u);
  EXPECT_EQ(a.member_header_offset, 0u);  // no extension headers: the same block
  EXPECT_EQ(a.header_size, 512u);
  EXPECT_EQ(a.data_offset, 512u);
  EXPECT_EQ(a.stored_size, 5u);
  EXPECT_EQ(a.padding, 507u);
  EXPECT_EQ(a.blob_offset, 0u);
  const TarEntry& b = l.entries[1];
  EXPECT_EQ(b.header_offset, 1024u);
  EXPECT_EQ(b.data_offset, 1536u);
  EXPECT_EQ(b.stored_size, 1024u);
  EXPECT_EQ(b.padding, 0u);
  EXPECT_EQ(b.blob_offset, 1024u);
  const TarEntry& c = l.entries[2];
  EXPECT_EQ(c.header_offset, 2560u);
  EXPECT_EQ(c.end_offset(), 3072u);
  EXPECT_EQ(l.end_offset, 3072u);
  EXPECT_EQ(l.total_size, 10240u);
}

TEST(TarReaderTest, OffsetsRelativeToStartPosition) {
  std::string tar = BuildTar({testing::File("a", "hello")});
  auto src = MakeMemorySource("JUNK" + tar, "t.tar");
  char junk[4];
  ASSERT_TRUE(ReadFull(*src, junk, 4).ok());
  TarReader r(src.get());
  TarEntry e;
  ASSERT_TRUE(*r.Next(&e));
  EXPECT_EQ(e.header_offset, 0u);
  EXPECT_EQ(e.data_offset, 512u);
  EXPECT_EQ(e.blob_offset, 4u);  // the blob position is absolute
  ASSERT_FALSE(*r.Next(&e));
  EXPECT_EQ(*r.Finish(), 1024u);
  EXPECT_EQ(r.total_size(), tar.size());
}

// Forwards to a memory source, counting bytes Read() (copied) and Skip()ped,
// and reporting a blob position that differs from the stream position the
// way a decompressor's does.
class CountingSource final : public ByteSource {
 public:
  explicit CountingSource(std::string data) : inner_(MakeMemorySource(std::move(data), "c.tar")) {}
  Result<size_t> Read(void* buf, size_t n) override {
    Result<size_t> r = inner_->Read(buf, n);
    if (r.has_value()) read_ += *r;
    return r;
  }
  Status Skip(uint64_t n) override {
    skipped_ += n;
    return inner_->Skip(n);
  }
  uint64_t position() const override { return inner_->position(); }
  uint64_t blob_position() const override { return 7 + inner_->position() / 4; }
  const std::string& name() const override { return inner_->name(); }
  uint64_t read() const { return read_; }
  uint64_t skipped() const { return skipped_; }

 private:
  std::unique_ptr<ByteSource> inner_;
  uint64_t read_ = 0;
  uint64_t skipped_ = 0;
};

TEST(TarReaderTest, NextSkipsDataWithoutReadingIt) {
  TarMember big = testing::File(std::string(150, 'p'), std::string(1 << 20, 'd'));
  std::string tar = BuildTar({big, testing::File("small", "s")}, {.format = TarFormat::kPax});
  CountingSource src(tar);
  TarReader r(&src);
  TarEntry e;
  ASSERT_TRUE(*r.Next(&e));
  EXPECT_EQ(e.header_size, 1536u);  // 'x' + records + header
  EXPECT_EQ(e.blob_offset, 7u);      // blob position at the first ('x') header
  ASSERT_TRUE(*r.Next(&e));
  EXPECT_EQ(e.blob_offset, 7u + (1536u + (1u << 20)) / 4);
  ASSERT_FALSE(*r.Next(&e));
  ASSERT_TRUE(r.Finish().has_value());
  EXPECT_EQ(src.skipped(), (1u << 20) + 512u);  // big's data, small's data+padding
  EXPECT_EQ(src.read() + src.skipped(), tar.size());
}

TEST(TarReaderTest, LongNamesAndLinks) {
  std::string dir150 = std::string(70, 'd') + "/" + std::string(79, 'e');  // 150 chars, splits for ustar
  std::string name300 = std::string(120, 'x') + "/" + std::string(120, 'y') + "/" + std::string(58, 'z');
  std::string link200 = std::string(200, 'L');
  struct Case {
    TarFormat format;
    uint64_t long_name_header;  // header_size of the 300-char name
    uint64_t long_link_header;  // header_size of the symlink with the 200-char target
  };
  const Case kCases[] = {
      // GNU: 'L' header + 301-byte body (1 block) + header.
      {TarFormat::kGnu, 1536, 1536},
      // pax: 'x' header + records (1 block) + header.
      {TarFormat::kPax, 1536, 1536},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(static_cast<int>(c.format));
    std::string tar = BuildTar({testing::File(dir150, "1"), testing::File(name300, "22"),
                                testing::Symlink("s", link200), testing::HardLink("h", name300)},
                               {.format = c.format});
    TarListing l = ListOk(tar);
    ASSERT_EQ(l.entries.size(), 4u);
    EXPECT_EQ(l.entries[0].path, "/" + dir150);
    EXPECT_EQ(l.entries[1].path, "/" + name300);
    EXPECT_EQ(l.entries[1].header_size, c.long_name_header);
    EXPECT_EQ(l.entries[1].size, 2u);
    EXPECT_EQ(l.entries[2].link_target, link200);
    EXPECT_EQ(l.entries[2].header_size, c.long_link_header);
    EXPECT_EQ(l.entries[3].link_target, "/" + name300);
  }
  // ustar uses the prefix field for the 150-char name: one header block.
  TarListing u = ListOk(BuildTar({testing::File(dir150, "1")}, {.format = TarFormat::kUstar}));
  ASSERT_EQ(u.entries.size(), 1u);
  EXPECT_EQ(u.entries[0].path, "/" + dir150);
  EXPECT_EQ(u.entries[0].header_size, 512u);
}

TEST(TarReaderTest, GnuLongNameAndLinkTogether) {
  TarMember m = testing::Symlink(std::string(150, 'n'), std::string(150, 't'));
  std::string tar = BuildTar({m}, {.format = TarFormat::kGnu});
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_EQ(l.entries[0].path, "/" + std::string(150, 'n'));
  EXPECT_EQ(l.entries[0].link_target, std::string(150, 't'));
  EXPECT_EQ(l.entries[0].header_size, 5u * 512);  // K + body, L + body, header
  EXPECT_EQ(l.entries[0].header_offset, 0u);
  EXPECT_EQ(l.entries[0].member_header_offset, 4u * 512);  // the member's own header
}

TEST(TarReaderTest, Base256Fields) {
  TarMember m = testing::File("big", "data");
  m.base256 = true;
  m.uid = uint64_t{1} << 40;
  m.gid = 70000;
  m.mtime = -1000;
  TarMember n = testing::File("neg", "");
  n.mtime = -1;  // does not fit octal: base-256 in GNU
  std::string tar = BuildTar({m, n}, {.format = TarFormat::kGnu});
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[0].uid, uint64_t{1} << 40);
  EXPECT_EQ(l.entries[0].gid, 70000u);
  EXPECT_EQ(l.entries[0].mtime, -1000);
  EXPECT_EQ(l.entries[0].size, 4u);
  EXPECT_EQ(l.entries[1].mtime, -1);
  // The header really holds base-256.
  EXPECT_EQ(static_cast<unsigned char>(tar[124]), 0x80);
}

TEST(TarReaderTest, PaxValuesOverrideHeader) {
  TarMember m = testing::File("short", "abc");
  m.pax = {{"path", "./long/pax/name"}, {"mtime", "1234567890.987654321"}, {"uid", "4294967296"},
           {"gid", "12"}, {"comment", "ignored"}, {"SCHILY.xattr.security.capability", std::string("\x01\0\0\x02", 4)}};
  std::string tar = BuildTar({m});
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 1u);
  const TarEntry& e = l.entries[0];
  EXPECT_EQ(e.path, "/long/pax/name");
  EXPECT_EQ(e.mtime, 1234567890);
  EXPECT_EQ(e.uid, 4294967296u);
  EXPECT_EQ(e.gid, 12u);
  EXPECT_EQ(e.header_size, 1536u);
}

TEST(TarReaderTest, OwnerNames) {
  // The builder writes "root" into ustar/GNU uname and gname.
  TarMember plain = testing::File("plain", "1");
  // pax uname/gname override the header; a global one applies to later members.
  TarMember named = testing::File("named", "2");
  named.pax = {{"uname", "alice"}, {"gname", "staff"}};
  TarMember global = testing::File("global", "3");
  global.pax_global = {{"uname", "www-data"}};
  // A name filling all 32 bytes of the field, with no NUL.
  TarMember full = testing::File("full", "4");
  full.patch_header = [](char* b) { std::memset(b + 297, 'g', 32); };
  TarListing l = ListOk(BuildTar({plain, named, global, full}));
  ASSERT_EQ(l.entries.size(), 4u);
  EXPECT_EQ(l.entries[0].uname, "root");
  EXPECT_EQ(l.entries[0].gname, "root");
  EXPECT_EQ(l.entries[1].uname, "alice");
  EXPECT_EQ(l.entries[1].gname, "staff");
  EXPECT_EQ(l.entries[2].uname, "www-data");
  EXPECT_EQ(l.entries[2].gname, "root");
  EXPECT_EQ(l.entries[3].uname, "www-data");
  EXPECT_EQ(l.entries[3].gname, std::string(32, 'g'));

  TarListing gnu = ListOk(BuildTar({plain}, {.format = TarFormat::kGnu}));
  ASSERT_EQ(gnu.entries.size(), 1u);
  EXPECT_EQ(gnu.entries[0].uname, "root");

  // v7 headers have no name fields: bytes there are not names.
  TarMember v7 = testing::File("v7", "5");
  v7.patch_header = [](char* b) { std::memcpy(b + 265, "bob", 3); };
  TarListing old = ListOk(BuildTar({v7}, {.format = TarFormat::kV7}));
  ASSERT_EQ(old.entries.size(), 1u);
  EXPECT_EQ(old.entries[0].uname, "");
  EXPECT_EQ(old.entries[0].gname, "");
}

TEST(TarReaderTest, PaxSizeRecordIsTheStoredSize) {
  TarMember m = testing::File("f", std::string(700, 'q'));
  m.size_field = 0;  // header says 0; the pax record is authoritative
  m.pax = {{"size", "700"}};
  TarListing l = ListOk(BuildTar({m, testing::File("g", "x")}));
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[0].stored_size, 700u);
  EXPECT_EQ(l.entries[0].padding, 324u);
  EXPECT_EQ(l.entries[1].path, "/g");
}

TEST(TarReaderTest, PaxGlobalHeaders) {
  TarMember a = testing::File("a", "1");
  a.pax_global = {{"mtime", "42"}, {"uid", "7"}};
  TarMember b = testing::File("b", "2");
  b.pax = {{"mtime", "43"}};
  TarMember c = testing::File("c", "3");
  c.pax = {{"uid", ""}};  // empty value: back to the header field (0)
  TarMember d = testing::File("d", "4");
  d.pax_global = {{"mtime", ""}};  // global deleted
  TarListing l = ListOk(BuildTar({a, b, c, d}));
  ASSERT_EQ(l.entries.size(), 4u);
  EXPECT_EQ(l.entries[0].mtime, 42);
  EXPECT_EQ(l.entries[0].uid, 7u);
  EXPECT_EQ(l.entries[0].header_size, 1536u);  // 'g' header + body + header
  EXPECT_EQ(l.entries[1].mtime, 43);
  EXPECT_EQ(l.entries[1].uid, 7u);
  EXPECT_EQ(l.entries[2].mtime, 42);
  EXPECT_EQ(l.entries[2].uid, 0u);
  EXPECT_EQ(l.entries[3].mtime, 1700000000);
  EXPECT_EQ(l.entries[3].uid, 7u);
}

TEST(TarReaderTest, OldGnuSparse) {
  // 30 chunks: 4 in the header, 21 in the first extension block, 5 in a second.
  std::vector<std::pair<uint64_t, std::string>> chunks;
  for (int i = 0; i < 30; ++i) chunks.push_back({uint64_t(i) * 8192, std::string(10, char('a' + i % 26))});
  TarMember s = testing::SparseFile("sp/file", 1 << 20, chunks);
  std::string tar = BuildTar({s, testing::File("after", "z")}, {.format = TarFormat::kGnu});
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 2u);
  const TarEntry& e = l.entries[0];
  EXPECT_EQ(e.path, "/sp/file");
  EXPECT_EQ(e.typeflag, 'S');
  EXPECT_EQ(e.type, TarEntryType::kRegular);
  EXPECT_TRUE(e.sparse);
  EXPECT_EQ(e.size, 1u << 20);
  EXPECT_EQ(e.stored_size, 300u);
  EXPECT_EQ(e.header_size, 3u * 512);
  EXPECT_EQ(l.entries[1].path, "/after");
}

TEST(TarReaderTest, PaxSparse10) {
  TarMember s = testing::SparseFile("dir/holes", 5000000, {{0, "abc"}, {4999990, "0123456789"}});
  std::string tar = BuildTar({s}, {.format = TarFormat::kPax});
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 1u);
  const TarEntry& e = l.entries[0];
  EXPECT_EQ(e.path, "/dir/holes");  // from GNU.sparse.name, not GNUSparseFile.0/holes
  EXPECT_TRUE(e.sparse);
  EXPECT_EQ(e.size, 5000000u);
  EXPECT_EQ(e.stored_size, 512u + 13);  // map block + data
  // The map is the start of the member data.
  auto src = MakeMemorySource(tar, "t.tar");
  TarReader r(src.get());
  TarEntry x;
  ASSERT_TRUE(*r.Next(&x));
  char buf[16] = {};
  ASSERT_EQ(*r.ReadData(buf, 15), 15u);
  EXPECT_EQ(std::string(buf, 15), std::string("2\n0\n3\n4999990\n1", 15));
}

TEST(TarReaderTest, PaxSparse01) {
  TarMember m = testing::File("GNUSparseFile.1/s", "abcdef");
  m.pax = {{"GNU.sparse.size", "100000"}, {"GNU.sparse.numblocks", "2"}, {"GNU.sparse.map", "0,3,99997,3"},
           {"GNU.sparse.name", "real/s"}};
  TarListing l = ListOk(BuildTar({m}));
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_EQ(l.entries[0].path, "/real/s");
  EXPECT_TRUE(l.entries[0].sparse);
  EXPECT_EQ(l.entries[0].size, 100000u);
  EXPECT_EQ(l.entries[0].stored_size, 6u);
}

// Whiteout markers are plain members to the tar reader: it reports their
// names and types as stored and has no opinion on them (scan/whiteout.h).
TEST(TarReaderTest, WhiteoutMarkersAreReportedAsPlainMembers) {
  TarListing l = ListOk(BuildTar({testing::Whiteout("usr/share", "doc"), testing::Opaque("var/cache"),
                                  testing::File("a/.wh.", ""), testing::File("./x/.wh.y/", "")}));
  ASSERT_EQ(l.entries.size(), 4u);
  EXPECT_EQ(l.entries[0].path, "/usr/share/.wh.doc");
  EXPECT_EQ(l.entries[0].type, TarEntryType::kRegular);
  EXPECT_EQ(l.entries[1].path, "/var/cache/.wh..wh..opq");
  EXPECT_EQ(l.entries[2].path, "/a/.wh.");
  EXPECT_EQ(l.entries[3].path, "/x/.wh.y");
  EXPECT_TRUE(l.warnings.empty());
}

TEST(TarReaderTest, PathNormalisationAndEscapes) {
  TarListing l = ListOk(BuildTar({testing::File("./a//b/", ""), testing::File("/abs/./x", ""),
                                  testing::File("a/../../../etc/passwd", "evil"),
                                  testing::HardLink("h", "../../outside"), testing::Symlink("s", "../../up"),
                                  testing::Dir("./"), testing::File("..", "")}));
  ASSERT_EQ(l.entries.size(), 7u);
  EXPECT_EQ(l.entries[0].path, "/a/b");
  EXPECT_EQ(l.entries[1].path, "/abs/x");
  EXPECT_EQ(l.entries[2].path, "/etc/passwd");
  EXPECT_TRUE(l.entries[2].path_escaped);
  EXPECT_EQ(l.entries[3].link_target, "/outside");
  EXPECT_TRUE(l.entries[3].path_escaped);
  EXPECT_EQ(l.entries[4].link_target, "../../up");  // symlink targets are kept as stored
  EXPECT_FALSE(l.entries[4].path_escaped);
  EXPECT_EQ(l.entries[5].path, "/");
  EXPECT_EQ(l.entries[6].path, "/");
  EXPECT_TRUE(l.entries[6].path_escaped);
  ASSERT_EQ(l.warnings.size(), 3u);
  EXPECT_EQ(l.warnings[0],
            "t.tar: tar header at offset 1024: path \"a/../../../etc/passwd\" climbs above the root; read as "
            "\"/etc/passwd\"");
  EXPECT_EQ(l.warnings[1],
            "t.tar: tar header at offset 2048: hard-link target \"../../outside\" climbs above the root; read as "
            "\"/outside\"");
}

TEST(TarReaderTest, UnknownTypeflagIsOtherWithWarning) {
  TarMember m = testing::File("odd", std::string(600, 'o'));
  m.typeflag = 'Z';
  TarListing l = ListOk(BuildTar({m, testing::File("next", "n")}));
  ASSERT_EQ(l.entries.size(), 2u);
  EXPECT_EQ(l.entries[0].type, TarEntryType::kOther);
  EXPECT_EQ(l.entries[0].stored_size, 600u);
  EXPECT_EQ(l.entries[1].path, "/next");
  ASSERT_EQ(l.warnings.size(), 1u);
  EXPECT_EQ(l.warnings[0], "t.tar: tar header at offset 0: unknown typeflag 'Z' (0x5a); member counted as other");
}

TEST(TarReaderTest, ContiguousAndOldRegularTypes) {
  TarMember c = testing::File("c", "12");
  c.typeflag = '7';
  TarMember old = testing::File("old", "345");
  old.typeflag = '\0';
  TarMember olddir = testing::File("olddir/", "");
  olddir.typeflag = '\0';
  TarListing l = ListOk(BuildTar({c, old, olddir}, {.format = TarFormat::kV7}));
  ASSERT_EQ(l.entries.size(), 3u);
  EXPECT_EQ(l.entries[0].type, TarEntryType::kRegular);
  EXPECT_EQ(l.entries[0].size, 2u);
  EXPECT_EQ(l.entries[1].type, TarEntryType::kRegular);
  EXPECT_EQ(l.entries[1].size, 3u);
  EXPECT_EQ(l.entries[2].type, TarEntryType::kDirectory);
  EXPECT_EQ(l.entries[2].path, "/olddir");
}

TEST(TarReaderTest, LinksAndDirsCarryNoDataWhateverTheSizeField) {
  TarMember h = testing::HardLink("h", "t");
  h.size_field = 1000;
  TarMember d = testing::Dir("d/");
  d.size_field = 4096;
  TarListing l = ListOk(BuildTar({h, d, testing::File("f", "x")}));
  ASSERT_EQ(l.entries.size(), 3u);
  EXPECT_EQ(l.entries[0].stored_size, 0u);
  EXPECT_EQ(l.entries[1].stored_size, 0u);
  EXPECT_EQ(l.entries[2].header_offset, 1024u);
}

TEST(TarReaderTest, SignedChecksumAccepted) {
  std::string tar = BuildTar({testing::File("caf\xc3\xa9", "x")});
  // Rewrite the checksum as the signed sum (old Sun tar).
  TarChecksums sums = ComputeTarChecksums(tar.data());
  ASSERT_NE(sums.signed_sum, sums.unsigned_sum);
  std::snprintf(tar.data() + 148, 8, "%06llo", static_cast<unsigned long long>(sums.signed_sum));
  TarListing l = ListOk(tar);
  ASSERT_EQ(l.entries.size(), 1u);
  EXPECT_EQ(l.entries[0].path, "/caf\xc3\xa9");
  EXPECT_TRUE(l.warnings.empty());
}

TEST(TarReaderTest, NonUtf8NameWarns) {
  TarListing l = ListOk(BuildTar({testing::File("bad\xff", "")}));
  ASSERT_EQ(l.entries.size(), 1u);
  ASSERT_EQ(l.warnings.size(), 1u);
  EXPECT_EQ(l.warnings[0], "t.tar: tar header at offset 0: path \"bad\\xff\" is not valid UTF-8");
}

struct EndCase {
  const char* name;
  std::string tar;
  uint64_t want_end;
  std::vector<std::string> want_warnings;
};

TEST(TarReaderTest, EndOfArchiveVariants) {
  std::string one = BuildTar({testing::File("a", "x")}, {.end_blocks = 0});  // 1024 bytes
  TarMember g = testing::File("unused", "");
  const EndCase kCases[] = {
      {"two zero blocks", one + std::string(1024, '\0'), 1024, {}},
      {"record padding", one + std::string(9216, '\0'), 1024, {}},
      {"one zero block then EOF", one + std::string(512, '\0'), 1024,
       {"t.tar: tar header at offset 1024: a lone zero block ends the archive"}},
      {"EOF at a member boundary", one, 1024,
       {"t.tar: tar header at offset 1024: archive ends without end-of-archive blocks"}},
      {"empty stream", "", 0, {"t.tar: tar header at offset 0: archive ends without end-of-archive blocks"}},
      {"lone zero block then garbage", one + std::string(512, '\0') + std::string(512, 'G'), 1024,
       {"t.tar: tar header at offset 1024: a lone zero block ends the archive; the bytes after it are ignored"}},
      {"end blocks then garbage", one + std::string(1024, '\0') + "GARBAGE", 1024,
       {"t.tar: tar header at offset 1024: non-zero bytes after the end of the archive (first at offset 2048)"}},
      {"pax header then end", one + BuildTar({[] {
                                              TarMember m = testing::File("p", "");
                                              m.pax = {{"path", "q"}};
                                              return m;
                                            }()}).substr(0, 1024) + std::string(1024, '\0'),
       1024, {"t.tar: tar header at offset 1024: extension header is not followed by a member; counted as end of archive"}},
  };
  for (const EndCase& c : kCases) {
    SCOPED_TRACE(c.name);
    TarListing l = ListTar(c.tar);
    ASSERT_TRUE(l.status.ok()) << l.status.message();
    EXPECT_EQ(CheckTiling(l, c.tar.size()), "");
    EXPECT_EQ(l.end_offset, c.want_end);
    EXPECT_EQ(l.warnings, c.want_warnings);
  }
}

TEST(TarReaderTest, ReadDataAndSkipRest) {
  std::string body(3000, '\0');
  for (size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  std::string tar = BuildTar({testing::File("a", body), testing::File("b", "bee")});
  auto src = MakeMemorySource(tar, "t.tar");
  TarReader r(src.get());
  TarEntry e;
  ASSERT_TRUE(*r.Next(&e));
  char buf[100];
  ASSERT_EQ(*r.ReadData(buf, 10), 10u);
  EXPECT_EQ(std::string(buf, 10), body.substr(0, 10));
  ASSERT_EQ(*r.ReadData(buf, 100), 100u);
  EXPECT_EQ(std::string(buf, 100), body.substr(10, 100));
  ASSERT_TRUE(*r.Next(&e));  // skips the rest of a
  EXPECT_EQ(e.path, "/b");
  std::string got;
  while (true) {
    size_t n = *r.ReadData(buf, sizeof buf);
    if (n == 0) break;
    got.append(buf, n);
  }
  EXPECT_EQ(got, "bee");
  EXPECT_EQ(*r.ReadData(buf, sizeof buf), 0u);
  ASSERT_FALSE(*r.Next(&e));
  ASSERT_FALSE(*r.Next(&e));  // stays at the end
  EXPECT_EQ(*r.Finish(), 4608u);
  EXPECT_EQ(*r.Finish(), 4608u);
  EXPECT_EQ(r.total_size(), 5632u);
}

TEST(TarReaderTest, FinishBeforeEndIsInternalError) {
  std::string tar = BuildTar({testing::File("a", "x")});
  auto src = MakeMemorySource(tar, "t.tar");
  TarReader r(src.get());
  Result<uint64_t> f = r.Finish();
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code(), Errc::kInternal);
}

// ---- errors -------------------------------------------------------------

struct ErrorCase {
  const char* name;
  std::string tar;
  Errc code;
  std::string message;
  size_t entries_before;  // members read before the error
};

TarMember Patched(TarMember m, size_t off, std::string bytes) {
  m.patch_header = [off, bytes](char* b) { std::memcpy(b + off, bytes.data(), bytes.size()); };
  return m;
}

std::string BadChecksumTar() {
  TarMember bad = testing::File("b", "2");
  bad.bad_checksum = true;
  return BuildTar({testing::File("a", "1"), bad});
}

std::string ChecksumMessage(const std::string& tar, size_t off) {
  int64_t stored = 0;
  TryParseTarNumber(tar.data() + off + 148, 8, &stored);
  TarChecksums s = ComputeTarChecksums(tar.data() + off);
  return "t.tar: tar header at offset " + std::to_string(off) + ": bad checksum (stored 0o" +
         [](int64_t v) { char b[32]; std::snprintf(b, sizeof b, "%llo", (unsigned long long)v); return std::string(b); }(stored) +
         ", computed 0o" +
         [](int64_t v) { char b[32]; std::snprintf(b, sizeof b, "%llo", (unsigned long long)v); return std::string(b); }(s.unsigned_sum) + ")";
}

TEST(TarReaderTest, Errors) {
  std::string two = BuildTar({testing::File("a", std::string(1000, 'a')), testing::File("b", "2")});
  TarMember huge_pax = testing::File("h", "x");
  huge_pax.pax_header_size = uint64_t{3} << 30;
  TarMember huge_long = testing::File(std::string(200, 'n'), "x");
  TarMember huge_member = testing::File("big", "tiny");
  huge_member.pax = {{"size", "5368709120"}};
  TarMember bad_record = testing::File("r", "");
  bad_record.pax = {{"size", "12x"}};
  TarMember neg = testing::File("neg", "");
  neg.size_field = 0;
  neg.patch_header = [](char* b) { std::memset(b + 124, 0xff, 12); };
  TarMember absurd = testing::File("absurd", "");
  absurd.patch_header = [](char* b) {
    std::memset(b + 124, 0, 12);
    b[124] = static_cast<char>(0x80);
    b[128] = 0x10;  // 2^60
  };
  std::string long_name_tar = BuildTar({huge_long}, {.format = TarFormat::kGnu});
  // Make the 'L' header claim 2 MiB (keeping its checksum valid).
  std::snprintf(long_name_tar.data() + 124, 12, "%011o", 2u << 20);
  testing::SetTarChecksum(long_name_tar.data());

  std::string bad_sum = BadChecksumTar();
  const ErrorCase kCases[] = {
      {"bad checksum", bad_sum, Errc::kCorrupt, ChecksumMessage(bad_sum, 1024), 1},
      {"garbage checksum field", BuildTar({Patched(testing::File("a", ""), 148, "12x4")}).replace(148, 4, "12x4"),
       Errc::kCorrupt, "t.tar: tar header at offset 0: bad checksum field \"12x410\\x00 \"", 0},
      {"truncated header", two.substr(0, 1536 + 100), Errc::kCorrupt,
       "t.tar: tar header at offset 1536: truncated header (100 of 512 bytes)", 1},
      {"truncated data", two.substr(0, 512 + 600), Errc::kCorrupt,
       "t.tar: tar header at offset 0: member data truncated: the stream ends before offset 1536", 1},
      {"truncated padding", two.substr(0, 512 + 1000), Errc::kCorrupt,
       "t.tar: tar header at offset 0: member data truncated: the stream ends before offset 1536", 1},
      {"garbage in size", BuildTar({Patched(testing::File("a", ""), 124, "0000000001x")}), Errc::kCorrupt,
       "t.tar: tar header at offset 0: bad size field \"0000000001x\\x00\"", 0},
      {"garbage in mtime", BuildTar({Patched(testing::File("a", ""), 136, "abc")}), Errc::kCorrupt,
       "t.tar: tar header at offset 0: bad mtime field \"abc24770400\\x00\"", 0},
      {"garbage in uid", BuildTar({Patched(testing::File("a", ""), 108, "9")}), Errc::kCorrupt,
       "t.tar: tar header at offset 0: bad uid field \"9000000\\x00\"", 0},
      {"negative size", BuildTar({neg}), Errc::kCorrupt, "t.tar: tar header at offset 0: negative size -1", 0},
      {"absurd size", BuildTar({absurd}), Errc::kTooLarge,
       "t.tar: tar header at offset 0: member size 1152921504606846976 is absurd (limit 9007199254740992)", 0},
      {"2 GB+ pax header size", BuildTar({huge_pax}), Errc::kTooLarge,
       "t.tar: tar header at offset 0: pax extended header of 3221225472 bytes exceeds the 1048576-byte limit", 0},
      {"2 MiB GNU long name", long_name_tar, Errc::kTooLarge,
       "t.tar: tar header at offset 0: GNU long name of 2097152 bytes exceeds the 1048576-byte limit", 0},
      {"huge pax size record then EOF", BuildTar({huge_member}), Errc::kCorrupt,
       "t.tar: tar header at offset 0: member data truncated: the stream ends before offset 5368710656", 1},
      {"malformed pax record", BuildTar({bad_record}), Errc::kCorrupt,
       "t.tar: tar header at offset 0: bad pax size value \"12x\" at byte 0", 0},
      {"truncated pax body", BuildTar({huge_member}).substr(0, 600), Errc::kCorrupt,
       "t.tar: tar header at offset 0: pax extended header body truncated (88 of 512 bytes)", 0},
      {"EOF after an extension header", BuildTar({huge_member}).substr(0, 1024), Errc::kCorrupt,
       "t.tar: tar header at offset 1024: archive ends after an extension header, before its member", 0},
      {"truncated GNU sparse extension block",
       BuildTar({testing::SparseFile("s", 100000, {{0, "a"}, {10, "b"}, {20, "c"}, {30, "d"}, {40, "e"}})},
                {.format = TarFormat::kGnu, .truncate_at = 700}),
       Errc::kCorrupt,
       "t.tar: tar header at offset 0: GNU sparse extension block at offset 512 truncated (188 of 512 bytes)", 0},
      {"not a tar at all", std::string(2048, 'A'), Errc::kCorrupt,
       "t.tar: tar header at offset 0: bad checksum field \"AAAAAAAA\"", 0},
  };
  for (const ErrorCase& c : kCases) {
    SCOPED_TRACE(c.name);
    TarListing l = ListTar(c.tar);
    ASSERT_FALSE(l.status.ok());
    EXPECT_EQ(l.status.code(), c.code);
    EXPECT_EQ(l.status.message(), c.message);
    EXPECT_EQ(l.entries.size(), c.entries_before);
  }
}

TEST(TarReaderTest, ErrorsAreSticky) {
  auto src = MakeMemorySource(BadChecksumTar(), "t.tar");
  TarReader r(src.get());
  TarEntry e;
  ASSERT_TRUE(*r.Next(&e));
  Result<bool> first = r.Next(&e);
  ASSERT_FALSE(first.has_value());
  Result<bool> again = r.Next(&e);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().message(), first.error().message());
  EXPECT_FALSE(r.Finish().has_value());
}

TEST(TarReaderTest, WarningsAreCapped) {
  std::vector<TarMember> ms;
  for (int i = 0; i < 150; ++i) {
    TarMember m = testing::File("f" + std::to_string(i), "");
    m.typeflag = 'Q';
    ms.push_back(m);
  }
  TarListing l = ListOk(BuildTar(ms));
  EXPECT_EQ(l.entries.size(), 150u);
  ASSERT_EQ(l.warnings.size(), TarReader::kMaxWarnings + 1);
  EXPECT_EQ(l.warnings.back(), "t.tar: 50 more tar warnings not shown");
}

}  // namespace
}  // namespace whittle
