// Cross-checks TarReader against GNU tar and bsdtar: real archives made by
// both tools from a temp tree with every kind of member, and the fixture
// builder's output listed by both tools. Each listing must match ours
// (path, type, size, link target), and every archive must tile exactly.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/tar_builder.h"
#include "tar/tar_reader.h"
#include "tar/tar_test_util.h"
#include "util/strings.h"

namespace whittle {
namespace {

struct Row {
  std::string path;
  char type;  // ls-style: '-' 'd' 'l' 'h' 'p' 'c' 'b'
  std::string size;  // decimal, or "" for devices (listers print major,minor)
  std::string link;
  bool operator==(const Row& o) const {
    return path == o.path && type == o.type && size == o.size && link == o.link;
  }
};

std::ostream& operator<<(std::ostream& os, const Row& r) {
  return os << r.type << " " << r.path << " size=" << r.size << (r.link.empty() ? "" : " link=" + r.link);
}

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Runs |cmd| with sh; returns stdout, fails the test on a non-zero exit.
std::string RunCommand(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    ADD_FAILURE() << "popen failed: " << cmd;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  EXPECT_EQ(rc, 0) << "command failed: " << cmd;
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

char TypeChar(const TarEntry& e) {
  switch (e.type) {
    case TarEntryType::kRegular: return '-';
    case TarEntryType::kDirectory: return 'd';
    case TarEntryType::kSymlink: return 'l';
    case TarEntryType::kHardLink: return 'h';
    case TarEntryType::kFifo: return 'p';
    case TarEntryType::kCharDevice: return 'c';
    case TarEntryType::kBlockDevice: return 'b';
    case TarEntryType::kOther: return '?';
  }
  return '?';
}

std::vector<Row> OurRows(const TarListing& l) {
  std::vector<Row> rows;
  for (const TarEntry& e : l.entries) {
    char t = TypeChar(e);
    bool dev = t == 'c' || t == 'b';
    rows.push_back({e.path, t, dev ? "" : std::to_string(e.size), e.link_target});
  }
  return rows;
}

// Splits off |n| whitespace-separated fields; the rest (after one space) is the name.
bool SplitFields(const std::string& line, size_t n, std::vector<std::string>* fields, std::string* rest) {
  size_t i = 0;
  fields->clear();
  for (size_t k = 0; k < n; ++k) {
    while (i < line.size() && line[i] == ' ') ++i;
    size_t j = line.find(' ', i);
    if (j == std::string::npos) return false;
    fields->push_back(line.substr(i, j - i));
    i = j;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  *rest = line.substr(i);
  return true;
}

Row RowFromListing(char type, const std::string& size, std::string name) {
  Row r;
  r.type = type;
  r.size = (type == 'c' || type == 'b') ? "" : size;
  if (type == 'l') {
    size_t k = name.find(" -> ");
    r.link = name.substr(k + 4);
    name = name.substr(0, k);
  } else if (type == 'h') {
    size_t k = name.find(" link to ");
    r.link = NormalizePath(name.substr(k + 9));
    name = name.substr(0, k);
  }
  r.path = NormalizePath(name);
  return r;
}

// GNU tar: "perms uid/gid size date time name[ -> target| link to target]".
std::vector<Row> GnuTarRows(const std::string& archive) {
  std::string out = RunCommand("tar --list --verbose --full-time --numeric-owner --quoting-style=literal -f " +
                        Quote(archive));
  std::vector<Row> rows;
  std::istringstream in(out);
  std::string line, rest;
  std::vector<std::string> f;
  while (std::getline(in, line)) {
    if (!SplitFields(line, 5, &f, &rest)) {
      ADD_FAILURE() << "unparsed GNU tar line: " << line;
      continue;
    }
    rows.push_back(RowFromListing(f[0][0], f[2], rest));
  }
  return rows;
}

// bsdtar: "perms nlink uid gid size Mon DD HH:MM name[...]".
std::vector<Row> BsdtarRows(const std::string& archive) {
  std::string out = RunCommand("bsdtar -tv --numeric-owner -f " + Quote(archive));
  std::vector<Row> rows;
  std::istringstream in(out);
  std::string line, rest;
  std::vector<std::string> f;
  while (std::getline(in, line)) {
    if (!SplitFields(line, 8, &f, &rest)) {
      ADD_FAILURE() << "unparsed bsdtar line: " << line;
      continue;
    }
    rows.push_back(RowFromListing(f[0][0], f[4], rest));
  }
  return rows;
}

class TempDir {
 public:
  TempDir() {
    std::string tmpl = std::string(WHITTLE_BINARY_DIR) + "/tar_crosscheck_XXXXXX";
    char* p = mkdtemp(tmpl.data());
    EXPECT_NE(p, nullptr);
    path_ = tmpl;
  }
  ~TempDir() { std::system(("rm -rf " + Quote(path_)).c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void CheckArchive(const std::string& archive, bool expect_sparse) {
  SCOPED_TRACE(archive);
  std::string data = ReadFile(archive);
  ASSERT_FALSE(data.empty());
  TarListing l = ListTar(data, archive);
  ASSERT_TRUE(l.status.ok()) << l.status.message();
  EXPECT_EQ(CheckTiling(l, data.size()), "");
  for (const std::string& w : l.warnings) ADD_FAILURE() << "unexpected warning: " << w;
  std::vector<Row> ours = OurRows(l);
  EXPECT_EQ(ours, GnuTarRows(archive)) << "vs GNU tar";
  EXPECT_EQ(ours, BsdtarRows(archive)) << "vs bsdtar";
  bool any_sparse = false;
  for (const TarEntry& e : l.entries) any_sparse |= e.sparse;
  EXPECT_EQ(any_sparse, expect_sparse);
  EXPECT_GE(l.entries.size(), 10u);
}

TEST(TarCrossCheckTest, RealArchivesFromGnuTarAndBsdtar) {
  TempDir tmp;
  const std::string root = tmp.path() + "/root";
  std::string long1(90, 'L'), long2(90, 'M'), long3(90, 'N');
  std::string script =
      "set -e; umask 022; mkdir -p " + Quote(root) + "; cd " + Quote(root) + "\n" +
      "echo hello > a.txt\n"
      ": > empty\n"
      "mkdir -p d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12 && echo deep > d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/f\n"
      "printf 'x%.0s' $(seq 1 1500) > d1/big\n"
      "ln -s a.txt sym\n"
      "ln a.txt hard\n"
      "mkfifo fifo\n"
      "mknod chr c 1 3 2>/dev/null || true\n"  // devices only when the tests run as root
      "printf 'unicode' > 'ünïcödé-日本語.txt'\n"
      "mkdir -p mid/" + std::string(80, 'm') + " && echo mid > mid/" + std::string(80, 'm') + "/" +
      std::string(60, 'f') + "\n"
      "mkdir -p long/" + long1 + "/" + long2 + " && echo long > long/" + long1 + "/" + long2 + "/" + long3 + "\n"
      "ln -s " + long1 + "/" + long2 + "/" + long3 + " long/sym\n"
      // A symlink target over 100 bytes (GNU 'K' / pax linkpath); long/ is left out of ustar and v7.
      "ln -s ../../../no/such/target/with/a/rather/long/path/that/exceeds/one/hundred/bytes/for/sure/yes "
      "long/longsym\n"
      "ln long/" + long1 + "/" + long2 + "/" + long3 + " long/hard_to_long\n"
      "truncate -s 3M sparse && printf START | dd of=sparse conv=notrunc 2>/dev/null && "
      "printf MIDDLE | dd of=sparse bs=1 seek=2000000 conv=notrunc 2>/dev/null\n"
      "touch -d '2020-01-02 03:04:05' a.txt\n";
  ASSERT_EQ(std::system(("sh -c " + Quote(script)).c_str()), 0);
  const std::string t = tmp.path() + "/";
  const std::string c = " -C " + Quote(root) + " .";
  struct Make {
    const char* file;
    std::string cmd;
    bool sparse;
  };
  const Make kMakes[] = {
      {"gnu.tar", "tar --sort=name --format=gnu -cf " + Quote(t + "gnu.tar") + c, false},
      {"posix.tar", "tar --sort=name --format=posix -cf " + Quote(t + "posix.tar") + c, false},
      {"ustar.tar", "tar --sort=name --format=ustar --exclude=./long -cf " + Quote(t + "ustar.tar") + c, false},
      {"v7.tar", "tar --sort=name --format=v7 --exclude=./long --exclude=./mid --exclude=./chr --exclude=./fifo -cf " +
                     Quote(t + "v7.tar") + c, false},
      {"posix-sparse10.tar",
       "tar --sort=name -S --sparse-version=1.0 --format=posix -cf " + Quote(t + "posix-sparse10.tar") + c, true},
      {"posix-sparse01.tar",
       "tar --sort=name -S --sparse-version=0.1 --format=posix -cf " + Quote(t + "posix-sparse01.tar") + c, true},
      {"posix-sparse00.tar",
       "tar --sort=name -S --sparse-version=0.0 --format=posix -cf " + Quote(t + "posix-sparse00.tar") + c, true},
      {"gnu-sparse.tar", "tar --sort=name -S --format=gnu -cf " + Quote(t + "gnu-sparse.tar") + c, true},
      // bsdtar finds the holes itself and writes GNU sparse 1.0 pax records.
      {"bsdtar.tar", "bsdtar -cf " + Quote(t + "bsdtar.tar") + c, true},
      {"bsdtar-gnutar.tar", "bsdtar --format=gnutar -cf " + Quote(t + "bsdtar-gnutar.tar") + c, false},
  };
  for (const Make& m : kMakes) {
    SCOPED_TRACE(m.file);
    RunCommand(m.cmd);
    CheckArchive(t + m.file, m.sparse);
  }
}

TEST(TarCrossCheckTest, BuilderOutputListsTheSameInGnuTarAndBsdtar) {
  TempDir tmp;
  using namespace testing;
  std::vector<TarMember> members = {
      Dir("etc/"),
      File("etc/passwd", "root:x:0:0\n"),
      File("./dot/slash//name", "n"),
      Symlink("bin", "usr/bin"),
      HardLink("etc/passwd.lnk", "etc/passwd"),
      CharDevice("dev/null", 1, 3),
      BlockDevice("dev/sda", 8, 0),
      Fifo("run/fifo"),
      Whiteout("usr/share", "doc"),
      Opaque("var/cache"),
      File(std::string(120, 'a') + "/" + std::string(120, 'b') + "/" + std::string(100, 'c'), "long"),
      Symlink("s", std::string(150, 't')),
      SparseFile("sparse", 1 << 20, {{0, "head"}, {4096, "a"}, {8192, "b"}, {12288, "c"}, {16384, "d"},
                                     {65536, "tail"}}),
  };
  TarMember b = File("b256", std::string(10, 'z'));
  b.base256 = true;
  b.uid = 3000000000;
  members.push_back(b);
  TarMember g = File("after-global", "g");
  g.pax_global = {{"comment", "hello"}, {"mtime", "1600000000"}};
  members.push_back(g);
  for (TarFormat f : {TarFormat::kGnu, TarFormat::kPax}) {
    SCOPED_TRACE(static_cast<int>(f));
    std::vector<TarMember> ms = members;
    if (f == TarFormat::kGnu) ms.pop_back();  // GNU format has no pax global headers
    std::string data = BuildTar(ms, {.format = f, .record_size = 10240});
    std::string path = tmp.path() + (f == TarFormat::kGnu ? "/b-gnu.tar" : "/b-pax.tar");
    std::ofstream(path, std::ios::binary) << data;
    CheckArchive(path, true);
  }
}

}  // namespace
}  // namespace whittle
