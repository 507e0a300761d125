#include <unistd.h>

#include <gtest/gtest.h>

#include "image/directory_store.h"
#include "image/image_test_util.h"
#include "image/tar_archive_store.h"
#include "support/tar_builder.h"
#include "util/sha256.h"

namespace whittle {
namespace {

using testing::BuildTar;
using testing::Dir;
using testing::File;
using testing::HardLink;
using testing::Symlink;

std::string ReadAll(ByteSource& src) {
  auto r = ReadAllCapped(src, 1 << 20);
  EXPECT_TRUE(r) << r.error().message();
  return r ? *r : std::string();
}

TEST(CheckRelativePathTest, Table) {
  struct Case {
    const char* path;
    const char* clean;  // nullptr: rejected
  };
  const Case kCases[] = {
      {"manifest.json", "manifest.json"},
      {"./manifest.json", "manifest.json"},
      {"abc/layer.tar", "abc/layer.tar"},
      {"blobs/sha256/ab", "blobs/sha256/ab"},
      {"../etc/passwd", nullptr},
      {"a/../../b", nullptr},
      {"a/../b", nullptr},
      {"/etc/passwd", nullptr},
      {"a//b", nullptr},
      {"a/./b", nullptr},
      {"", nullptr},
      {"a/", nullptr},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.path);
    auto r = CheckRelativePath(c.path, "app.tar:manifest.json");
    if (c.clean) {
      ASSERT_TRUE(r) << r.error().message();
      EXPECT_EQ(*r, c.clean);
    } else {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code(), Errc::kCorrupt);
      EXPECT_EQ(r.error().message(),
                std::string("app.tar:manifest.json: manifest points outside the layout: ") + c.path);
    }
  }
}

TEST(TarArchiveStoreTest, IndexesMembersAndStreamsThem) {
  testing::ImageTempDir tmp;
  std::string tar = BuildTar({Dir("abc/"), File("abc/layer.tar", std::string(3000, 'x')),
                              File("manifest.json", "[]"), Symlink("def/layer.tar", "../abc/layer.tar"),
                              HardLink("hard.tar", "abc/layer.tar"),
                              Symlink("evil.tar", "../../etc/passwd"), Symlink("abs.tar", "/etc/passwd"),
                              File("../escaped.txt", "nope")});
  std::string path = tmp.Sub("a.tar");
  testing::WriteFileOrDie(path, tar);
  auto store = TarArchiveStore::IndexArchive(path);
  ASSERT_TRUE(store) << store.error().message();
  TarArchiveStore& s = **store;

  EXPECT_TRUE(s.PathExists("manifest.json"));
  EXPECT_TRUE(s.PathExists("./manifest.json"));
  EXPECT_FALSE(s.PathExists("abc"));  // directories are not members
  EXPECT_FALSE(s.PathExists("escaped.txt"));  // ".." members are not indexed
  EXPECT_EQ(s.PathLocation("manifest.json"), path + ":manifest.json");

  auto m = s.OpenPath("manifest.json");
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(ReadAll(**m), "[]");
  EXPECT_EQ((*m)->name(), path + ":manifest.json");

  for (const char* name : {"abc/layer.tar", "def/layer.tar", "hard.tar"}) {
    SCOPED_TRACE(name);
    auto size = s.PathSize(name);
    ASSERT_TRUE(size) << size.error().message();
    EXPECT_EQ(*size, 3000u);
    auto src = s.OpenPath(name);
    ASSERT_TRUE(src) << src.error().message();
    EXPECT_EQ(ReadAll(**src), std::string(3000, 'x'));
  }

  auto evil = s.OpenPath("evil.tar");
  ASSERT_FALSE(evil);
  EXPECT_EQ(evil.error().code(), Errc::kCorrupt);
  EXPECT_EQ(evil.error().message(),
            path + ": member evil.tar is a symlink to ../../etc/passwd, outside the archive: "
                   "manifest points outside the layout");
  auto abs = s.OpenPath("abs.tar");
  ASSERT_FALSE(abs);
  EXPECT_EQ(abs.error().message(),
            path + ": member abs.tar is a symlink to /etc/passwd, outside the archive: "
                   "manifest points outside the layout");
  auto up = s.OpenPath("../abc/layer.tar");
  ASSERT_FALSE(up);
  EXPECT_EQ(up.error().message(), path + ": manifest points outside the layout: ../abc/layer.tar");
  auto missing = s.OpenPath("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::kNotFound);
  EXPECT_EQ(missing.error().message(), path + ": nope not found");
}

TEST(TarArchiveStoreTest, BlobsByDigest) {
  testing::ImageTempDir tmp;
  testing::LayoutFiles files;
  std::string digest = files.AddBlob("blob bytes");
  std::string path = tmp.Sub("oci.tar");
  testing::WriteFileOrDie(path, files.Tar());
  auto store = TarArchiveStore::IndexArchive(path);
  ASSERT_TRUE(store) << store.error().message();
  BlobRef ref;
  ref.digest = digest;
  auto src = (*store)->Open(ref);
  ASSERT_TRUE(src) << src.error().message();
  EXPECT_EQ(ReadAll(**src), "blob bytes");
  EXPECT_EQ((*src)->name(), path + ":blobs/sha256/" + digest.substr(7));
  auto size = (*store)->Size(ref);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, 10u);
  EXPECT_TRUE((*store)->Exists(ref));
  auto where = (*store)->Location(ref);
  ASSERT_TRUE(where);
  EXPECT_EQ(*where, path + ":blobs/sha256/" + digest.substr(7));

  BlobRef absent;
  absent.digest = "sha256:" + std::string(64, 'a');
  EXPECT_FALSE((*store)->Exists(absent));
  auto absent_size = (*store)->Size(absent);
  ASSERT_FALSE(absent_size);
  EXPECT_EQ(absent_size.error().code(), Errc::kNotFound);

  ref.digest = "sha256:../../../etc/passwd";
  auto bad = (*store)->Open(ref);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), Errc::kCorrupt);
  EXPECT_EQ(bad.error().message(), path + ": invalid blob digest sha256:../../../etc/passwd (want "
                                          "sha256:<64 lowercase hex>)");
  EXPECT_FALSE((*store)->Exists(ref));
  auto bad_where = (*store)->Location(ref);
  ASSERT_FALSE(bad_where);
  EXPECT_EQ(bad_where.error().message(), bad.error().message());
}

TEST(TarArchiveStoreTest, RejectsNonArchives) {
  testing::ImageTempDir tmp;
  testing::WriteFileOrDie(tmp.Sub("text.txt"), std::string(2048, 'a'));
  auto text = TarArchiveStore::IndexArchive(tmp.Sub("text.txt"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), Errc::kUnsupported);
  EXPECT_EQ(text.error().message().rfind(tmp.Sub("text.txt") + ": not an image: not a tar archive (", 0),
            0u)
      << text.error().message();

  testing::WriteFileOrDie(tmp.Sub("empty"), "");
  auto empty = TarArchiveStore::IndexArchive(tmp.Sub("empty"));
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message(), tmp.Sub("empty") + ": not an image: empty file");

  testing::WriteFileOrDie(tmp.Sub("x.tar.gz"), std::string("\x1f\x8b\x08\x00", 4) + "rest");
  auto gz = TarArchiveStore::IndexArchive(tmp.Sub("x.tar.gz"));
  ASSERT_FALSE(gz);
  EXPECT_EQ(gz.error().code(), Errc::kUnsupported);
  EXPECT_EQ(gz.error().message(), tmp.Sub("x.tar.gz") +
                                      ": not an image: a gzip-compressed file; decompress it first "
                                      "(whittle reads image archives as plain tar)");
}

TEST(TarArchiveStoreTest, TruncatedArchiveIsAnError) {
  testing::ImageTempDir tmp;
  std::string tar = BuildTar({File("manifest.json", "[]"), File("big.tar", std::string(5000, 'b'))});
  // Cut inside big.tar's data: header of big.tar at 1024, data at 1536.
  std::string path = tmp.Sub("cut.tar");
  testing::WriteFileOrDie(path, tar.substr(0, 3000));
  auto store = TarArchiveStore::IndexArchive(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code(), Errc::kCorrupt);
  EXPECT_EQ(store.error().message(),
            path + ": truncated archive: member /big.tar at offset 1024 needs 6536 bytes, the file "
                   "has 3000");
}

TEST(DirectoryStoreTest, RefusesSymlinksLeavingTheLayout) {
  testing::ImageTempDir tmp;
  testing::WriteFileOrDie(tmp.Sub("outside.txt"), "secret");
  testing::WriteFileOrDie(tmp.Sub("layout/inside.txt"), "ok");
  ASSERT_EQ(::symlink("../outside.txt", tmp.Sub("layout/link-out").c_str()), 0);
  ASSERT_EQ(::symlink("inside.txt", tmp.Sub("layout/link-in").c_str()), 0);
  auto store = DirectoryStore::OpenRoot(tmp.Sub("layout"));
  ASSERT_TRUE(store) << store.error().message();
  DirectoryStore& s = **store;

  auto in = s.OpenPath("link-in");
  ASSERT_TRUE(in) << in.error().message();
  EXPECT_EQ(ReadAll(**in), "ok");
  EXPECT_EQ((*in)->name(), tmp.Sub("layout/link-in"));

  auto out = s.OpenPath("link-out");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code(), Errc::kCorrupt);
  EXPECT_NE(out.error().message().find(tmp.Sub("layout/link-out") + ": a symlink to "), std::string::npos)
      << out.error().message();
  EXPECT_NE(out.error().message().find("manifest points outside the layout"), std::string::npos);

  auto dotdot = s.OpenPath("../outside.txt");
  ASSERT_FALSE(dotdot);
  EXPECT_EQ(dotdot.error().message(),
            tmp.Sub("layout") + ": manifest points outside the layout: ../outside.txt");
  EXPECT_FALSE(s.PathExists("missing"));
  auto missing = s.PathSize("missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), Errc::kNotFound);
}

}  // namespace
}  // namespace whittle
