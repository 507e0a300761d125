// Real Go binaries' bytes (tests/data/pkg/go/, made by make_go_fixture.sh
// from go1.19 builds in three link modes and cross-checked there against
// `go version -m`), plus the pre-1.18 pointer format built by hand.
#include "pkg/go_buildinfo.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace whittle::pkg {
namespace {

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(WHITTLE_SOURCE_DIR) + "/tests/data/pkg/go/" + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// What `go version -m` printed: offset, Go version, path, mod lines.
struct Expected {
  uint64_t offset = 0;
  std::string go_version, path, mod, mod_version;
};
Expected ReadExpected(const std::string& name) {
  Expected e;
  std::istringstream in(ReadFixture(name));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("offset=", 0) == 0) e.offset = std::stoull(line.substr(7));
    if (line.find(": go") != std::string::npos) e.go_version = line.substr(line.find(": ") + 2);
    std::istringstream f(line);
    std::string key, a, b;
    f >> key >> a >> b;
    if (key == "path") e.path = a;
    if (key == "mod") {
      e.mod = a;
      e.mod_version = b;
    }
  }
  return e;
}

class GoFixture : public ::testing::TestWithParam<const char*> {};

TEST_P(GoFixture, WindowCoversTheBlobAndItParsesLikeGoVersionM) {
  const std::string name = GetParam();
  Expected want = ReadExpected(name + ".txt");
  ASSERT_FALSE(want.mod.empty()) << "fixture " << name << ".txt unreadable";
  std::string head = ReadFixture(name + ".head");
  ASSERT_EQ(head.size(), kElfHeadBytes);
  auto layout = ParseElfLayout(head);
  ASSERT_TRUE(layout.has_value()) << layout.error().message();
  EXPECT_TRUE(layout->is64);
  EXPECT_FALSE(layout->big_endian);
  bool covered = false;
  for (const FileRange& w : GoBuildInfoWindows(*layout)) {
    if (want.offset >= w.offset && want.offset + 32 <= w.offset + w.size) covered = true;
  }
  EXPECT_TRUE(covered) << name << ": .go.buildinfo at " << want.offset << " is outside every window";
  // The section's bytes as they sit in the file, with 16 bytes of
  // unrelated data before them (alignment is checked on file offsets).
  std::string bytes = std::string(16, '\xff') + ReadFixture(name + ".buildinfo");
  auto info = ParseGoBuildInfo(bytes, want.offset - 16, *layout);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->go_version, want.go_version);
  EXPECT_EQ(info->path, want.path);
  EXPECT_EQ(info->main_module, want.mod);
  EXPECT_EQ(info->main_version, want.mod_version);
  EXPECT_EQ(info->module_label(), "example.com/whittlehello");
  // Shifted by 8 bytes, the magic is no longer 16-byte aligned in the file.
  EXPECT_EQ(ParseGoBuildInfo(bytes, want.offset - 16 + 8, *layout).error().code(), Errc::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(LinkModes, GoFixture, ::testing::Values("hello-internal", "hello-pie", "hello-external"));

std::string Le(uint64_t v, size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  return s;
}

// Go < 1.18: the header holds two pointers to string headers.
TEST(GoBuildInfo, PointerFormatFollowsPointersInsideTheBytes) {
  ElfLayout layout;
  layout.is64 = true;
  layout.loads.push_back(ElfSegment{0x400000, 0, 0x1000, false, true});
  layout.loads.push_back(ElfSegment{0x500000, 0x1000, 0x1000, true, false});
  std::string mod =
      std::string(16, 's') + "path\tcmd/old\nmod\texample.com/old\tv1.2.3\th1:abc=\n" + std::string(16, 'e');
  std::string file(0x2000, '\0');
  auto put = [&](size_t off, const std::string& s) { file.replace(off, s.size(), s); };
  put(0x1000,
      std::string("\xff Go buildinf:", 14) + std::string(1, 8) + std::string(1, 0) + Le(0x500100, 8) + Le(0x500110, 8));
  put(0x1100, Le(0x500200, 8) + Le(8, 8));           // version string header
  put(0x1110, Le(0x500300, 8) + Le(mod.size(), 8));  // modinfo string header
  put(0x1200, "go1.16.3");
  put(0x1300, mod);
  auto info = ParseGoBuildInfo(file, 0, layout);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->go_version, "go1.16.3");
  EXPECT_EQ(info->path, "cmd/old");
  EXPECT_EQ(info->main_module, "example.com/old");
  EXPECT_EQ(info->main_version, "v1.2.3");
  // Given only the data segment's first 0x180 bytes, the strings are out of reach.
  auto partial = ParseGoBuildInfo(std::string_view(file).substr(0x1000, 0x180), 0x1000, layout);
  ASSERT_FALSE(partial.has_value());
  EXPECT_EQ(partial.error().code(), Errc::kUnsupported);
  EXPECT_EQ(partial.error().message(), "go build info at 4096: pre-1.18 Go build info points outside the bytes read");
}

TEST(GoBuildInfo, InlineFormatErrorsAndNoModule) {
  ElfLayout layout;
  std::string hdr = std::string("\xff Go buildinf:", 14) + std::string(1, 8) + std::string(1, 2) + std::string(16, 0);
  // Built outside a module: no framed modinfo -> path and module empty.
  auto bare = ParseGoBuildInfo(hdr + "\x08go1.21.0" + std::string(1, '\0'), 0, layout);
  ASSERT_TRUE(bare.has_value()) << bare.error().message();
  EXPECT_EQ(bare->go_version, "go1.21.0");
  EXPECT_EQ(bare->module_label(), "");
  struct Case {
    std::string bytes;
    Errc code;
    const char* want;
  };
  const Case kCases[] = {
      {"no magic here", Errc::kNotFound, "no Go build info"},
      {hdr.substr(0, 20), Errc::kCorrupt, "go build info at 0: truncated header"},
      {hdr + "\x20go1", Errc::kCorrupt, "go build info at 0: string runs past the bytes read or over 1048576"},
      {hdr + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", Errc::kCorrupt,
       "go build info at 0: string runs past the bytes read or over 1048576"},
      {hdr + std::string("\x00\x00", 2), Errc::kCorrupt, "go build info at 0: empty Go version"},
      {std::string("\xff Go buildinf:", 14) + std::string(1, 3) + std::string(1, 0) + std::string(16, 0),
       Errc::kCorrupt, "go build info at 0: pointer size 3"},
  };
  for (const Case& c : kCases) {
    auto r = ParseGoBuildInfo(c.bytes, 0, layout);
    ASSERT_FALSE(r.has_value()) << c.want;
    EXPECT_EQ(r.error().code(), c.code);
    EXPECT_EQ(r.error().message(), c.want);
  }
}

TEST(ElfLayout, Errors) {
  EXPECT_EQ(ParseElfLayout("#!/bin/sh\n").error().code(), Errc::kNotFound);
  EXPECT_EQ(ParseElfLayout(std::string("\x7f"
                                       "ELF",
                                       4))
                .error()
                .message(),
            "ELF header: truncated");
  std::string head = ReadFixture("hello-internal.head");
  std::string bad_class = head;
  bad_class[4] = 7;
  EXPECT_EQ(ParseElfLayout(bad_class).error().message(), "ELF header: offset 4: bad class 7 or encoding 1");
  EXPECT_EQ(ParseElfLayout(head.substr(0, 100)).error().message(),
            "ELF header: 7 program headers at offset 64 lie beyond the 100 bytes read");
  std::string bad_ent = head;
  bad_ent[0x36] = 40;
  EXPECT_EQ(ParseElfLayout(bad_ent).error().message(), "ELF header: program header size 40, want 56");
}

}  // namespace
}  // namespace whittle::pkg
