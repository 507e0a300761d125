// Table tests for the deb822 tokenizer and the dpkg/apt parsers, on inputs
// shaped like the real files (a real-dpkg fixture is in pkg_real_test.cc).
#include "pkg/dpkg.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pkg/control_file.h"
#include "pkg/package.h"

namespace whittle::pkg {
namespace {

// A real stanza from Debian 12's status file, trimmed.
constexpr char kStatus[] =
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Section: libs\n"
    "Installed-Size: 12987\n"
    "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "Depends: libgcc-s1\n"
    "Recommends: libidn2-0 (>= 2.0.5~)\n"
    "Conffiles:\n"
    " /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab\n"
    "Description: GNU C Library: Shared libraries\n"
    " Contains the standard libraries that are used by nearly all programs on\n"
    " the system.\n"
    "\n"
    "Package: bash\n"
    "Essential: yes\n"
    "Status: hold ok installed\n"
    "Priority: required\n"
    "Architecture: amd64\n"
    "Version: 5.2.15-2+b2\n"
    "Pre-Depends: libc6 (>= 2.36),\n"
    " libtinfo6 (>= 6)\n"
    "\n"
    "\n"
    "Package: old-thing\n"
    "Status: deinstall ok config-files\n"
    "Version: 1.0\n"
    "\n"
    "Package: half\n"
    "Status: install reinstreq half-installed\n"
    "Version: 2.0\n";

TEST(ControlFile, StanzasFieldsAndContinuations) {
  std::vector<ControlStanza> got;
  ASSERT_TRUE(ForEachControlStanza(kStatus, "status", [&](const ControlStanza& s) {
                got.push_back(s);
                return Status::Ok();
              }).ok());
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].line, 1u);
  EXPECT_EQ(got[0].Get("package"), "libc6");  // case-insensitive
  EXPECT_EQ(got[0].Get("Conffiles"), "\n /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab");
  EXPECT_EQ(got[0].Folded("Description"),
            "GNU C Library: Shared libraries Contains the standard libraries that are used by nearly all programs on "
            "the system.");
  EXPECT_EQ(got[1].line, 19u);
  EXPECT_EQ(got[1].Folded("Pre-Depends"), "libc6 (>= 2.36), libtinfo6 (>= 6)");
  EXPECT_FALSE(got[1].Has("Depends"));
  EXPECT_EQ(got[2].line, 29u);
}

TEST(ControlFile, Errors) {
  struct Case {
    const char* body;
    const char* want;
  };
  const Case kCases[] = {
      {" leading continuation\n", "f:1: continuation line without a field"},
      {"Package: a\nno colon here\n", "f:2: expected 'Field: value', got no colon here"},
      {"Package: a\n: empty name\n", "f:2: expected 'Field: value', got : empty name"},
      {"Package: a\nBad Name: x\n", "f:2: blank in field name Bad Name"},
  };
  for (const Case& c : kCases) {
    Status st = ForEachControlStanza(c.body, "f", [](const ControlStanza&) { return Status::Ok(); });
    EXPECT_EQ(st.message(), c.want) << c.body;
  }
}

TEST(ControlFile, CrLfAndCommentsAndTooManyFields) {
  int n = 0;
  ASSERT_TRUE(ForEachControlStanza("# comment\r\nPackage: a\r\nVersion: 1\r\n\r\n", "f", [&](const ControlStanza& s) {
                ++n;
                EXPECT_EQ(s.Get("Version"), "1");
                return Status::Ok();
              }).ok());
  EXPECT_EQ(n, 1);
  std::string big;
  for (size_t i = 0; i <= kMaxFieldsPerStanza; ++i) big += "F" + std::to_string(i) + ": x\n";
  Status st = ForEachControlStanza(big, "f", [](const ControlStanza&) { return Status::Ok(); });
  EXPECT_EQ(st.code(), Errc::kTooLarge);
}

TEST(DpkgStatus, KeepsPackagesWhoseFilesAreOnDisk) {
  auto r = ParseDpkgStatus(kStatus, "var/lib/dpkg/status");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 3u);  // old-thing (config-files) dropped
  const DpkgPackage& libc = (*r)[0];
  EXPECT_EQ(libc.name, "libc6");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.arch, "amd64");
  EXPECT_EQ(libc.status, "install ok installed");
  EXPECT_EQ(libc.priority, "optional");
  EXPECT_FALSE(libc.essential);
  EXPECT_EQ(libc.multi_arch, "same");
  EXPECT_EQ(libc.depends, "libgcc-s1");
  EXPECT_EQ(libc.recommends, "libidn2-0 (>= 2.0.5~)");
  const DpkgPackage& bash = (*r)[1];
  EXPECT_EQ(bash.name, "bash");
  EXPECT_TRUE(bash.essential);
  EXPECT_EQ(bash.priority, "required");
  EXPECT_EQ(bash.pre_depends, "libc6 (>= 2.36), libtinfo6 (>= 6)");
  EXPECT_EQ(bash.line, 19u);
  EXPECT_EQ((*r)[2].name, "half");
}

TEST(DpkgStatus, Errors) {
  struct Case {
    const char* body;
    const char* want;
  };
  const Case kCases[] = {
      {"Version: 1\nStatus: install ok installed\n", "s:1: stanza without a valid Package field"},
      {"Package: a b\nStatus: install ok installed\n", "s:1: stanza without a valid Package field"},
      {"Package: a\nVersion: 1\n", "s:1: package a has no Status field"},
      {"Package: a\nStatus: install ok\n", "s:1: package a: bad Status install ok (want 'WANT FLAG STATE')"},
      {"\nPackage: a\nStatus: install ok sideways\n",
       "s:2: package a: bad Status install ok sideways (want 'WANT FLAG STATE')"},
  };
  for (const Case& c : kCases) {
    auto r = ParseDpkgStatus(c.body, "s");
    ASSERT_FALSE(r.has_value()) << c.body;
    EXPECT_EQ(r.error().message(), c.want);
    EXPECT_EQ(r.error().code(), Errc::kCorrupt);
  }
  std::string huge(kMaxTextDbBytes + 1, '\n');
  EXPECT_EQ(ParseDpkgStatus(huge, "s").error().code(), Errc::kTooLarge);
}

TEST(DpkgStatusD, DistrolessControlWithoutStatusIsInstalled) {
  // The shape distroless writes: the .deb's control file as is.
  auto r = ParseDpkgStatusD(
      "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nMaintainer: x\nPriority: required\n"
      "Depends: debconf (>= 0.5) | debconf-2.0\nDescription: time zone and daylight-saving time data\n",
      "var/lib/dpkg/status.d/tzdata");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].name, "tzdata");
  EXPECT_EQ((*r)[0].status, "");
  EXPECT_EQ((*r)[0].depends, "debconf (>= 0.5) | debconf-2.0");
  auto removed = ParseDpkgStatusD("Package: x\nStatus: purge ok not-installed\n", "f");
  ASSERT_TRUE(removed.has_value());
  EXPECT_TRUE(removed->empty());
}

TEST(DpkgFileList, PathsVerbatimRootDropped) {
  auto r = ParseDpkgFileList("/.\n/usr\n/usr/share/doc/a b/c\r\n\n/usr/lib/x86_64-linux-gnu/libc.so.6\n", "a.list");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(*r, (std::vector<std::string>{"/usr", "/usr/share/doc/a b/c", "/usr/lib/x86_64-linux-gnu/libc.so.6"}));
  auto bad = ParseDpkgFileList("/usr\nusr/bin\n", "a.list");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "a.list:2: expected an absolute path, got usr/bin");
  EXPECT_FALSE(ParseDpkgFileList(std::string("/a\0b\n", 5), "a.list").has_value());
}

TEST(DpkgMd5sums, RelativePathsBecomeAbsolute) {
  auto r = ParseDpkgMd5sums(
      "3d4bd3b4a7b1f4b0e3c2d7c7c4e5e3a1  usr/share/zoneinfo/UTC\n"
      "0123456789ABCDEF0123456789abcdef *usr/bin/x\n",
      "status.d/tzdata.md5sums");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(*r, (std::vector<std::string>{"/usr/share/zoneinfo/UTC", "/usr/bin/x"}));
  struct Case {
    const char* body;
    const char* want;
  };
  const Case kCases[] = {
      {"abc  usr/x\n", "m:1: expected '<md5>  <path>', got abc  usr/x"},
      {"0123456789abcdef0123456789abcdef\n", "m:1: expected '<md5>  <path>', got 0123456789abcdef0123456789abcdef"},
      {"0123456789abcdef0123456789abcdef  \n", "m:1: missing path after the digest"},
      {"0123456789abcdef0123456789abcdef  ../../etc/passwd\n", "m:1: bad path ../../etc/passwd"},
  };
  for (const Case& c : kCases) {
    auto e = ParseDpkgMd5sums(c.body, "m");
    ASSERT_FALSE(e.has_value()) << c.body;
    EXPECT_EQ(e.error().message(), c.want);
  }
}

TEST(AptExtendedStates, AutoInstalledOnly) {
  auto r = ParseAptExtendedStates(
      "Package: libgcc-12-dev\nArchitecture: amd64\nAuto-Installed: 1\n\n"
      "Package: build-essential\nArchitecture: amd64\nAuto-Installed: 0\n\n"
      "Package: cpp-12\nAuto-Installed: 1\n",
      "extended_states");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "libgcc-12-dev");
  EXPECT_EQ((*r)[0].arch, "amd64");
  EXPECT_EQ((*r)[1].name, "cpp-12");
  EXPECT_EQ((*r)[1].arch, "");
  EXPECT_FALSE(ParseAptExtendedStates("Architecture: amd64\nAuto-Installed: 1\n", "e").has_value());
}

TEST(DpkgInfoName, Splits) {
  DpkgInfoName n;
  ASSERT_TRUE(TrySplitDpkgInfoName("libc6:amd64.list", &n));
  EXPECT_EQ(n.package, "libc6");
  EXPECT_EQ(n.arch, "amd64");
  EXPECT_EQ(n.extension, "list");
  ASSERT_TRUE(TrySplitDpkgInfoName("python3.11-minimal.md5sums", &n));
  EXPECT_EQ(n.package, "python3.11-minimal");
  EXPECT_EQ(n.arch, "");
  EXPECT_EQ(n.extension, "md5sums");
  EXPECT_FALSE(TrySplitDpkgInfoName("format", &n));
  EXPECT_FALSE(TrySplitDpkgInfoName(".list", &n));
}

}  // namespace
}  // namespace whittle::pkg
