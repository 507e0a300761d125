#include "util/huge_pages.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace whittle {
namespace {

constexpr char kMadvise[] = "always [madvise] never\n";

HugePagesInputs Big() {
  HugePagesInputs in;
  in.thp_enabled = kMadvise;
  in.image_bytes = kHugePagesMinImageBytes;
  return in;
}

TEST(HugePagesTunables, ABigImageOnAMadviseKernelGetsTheTunable) {
  EXPECT_EQ(HugePagesTunables(Big()), "glibc.malloc.hugetlb=1");
  HugePagesInputs in = Big();
  in.glibc_tunables = "";
  EXPECT_EQ(HugePagesTunables(in), "glibc.malloc.hugetlb=1");
}

TEST(HugePagesTunables, OtherTunablesAreKept) {
  HugePagesInputs in = Big();
  in.glibc_tunables = "glibc.malloc.trim_threshold=1000000";
  EXPECT_EQ(HugePagesTunables(in), "glibc.malloc.trim_threshold=1000000:glibc.malloc.hugetlb=1");
}

TEST(HugePagesTunables, NoReexecWhenItCannotHelpOrWasDecided) {
  HugePagesInputs in = Big();
  in.image_bytes = kHugePagesMinImageBytes - 1;  // small: the exec would cost more than it saves
  EXPECT_EQ(HugePagesTunables(in), std::nullopt);
  for (const char* kernel : {"[always] madvise never\n", "always madvise [never]\n", ""}) {
    in = Big();
    in.thp_enabled = kernel;  // every mapping has them, or none can (or no THP at all)
    EXPECT_EQ(HugePagesTunables(in), std::nullopt) << kernel;
  }
  for (const char* set : {"glibc.malloc.hugetlb=0", "glibc.malloc.hugetlb=1", "a=1:glibc.malloc.hugetlb=2"}) {
    in = Big();
    in.glibc_tunables = set;  // the user (or the re-run) has chosen
    EXPECT_EQ(HugePagesTunables(in), std::nullopt) << set;
  }
  for (const char* sw : {"0", "on", ""}) {
    in = Big();
    in.whittle_switch = sw;  // turned off, or this is the re-run
    EXPECT_EQ(HugePagesTunables(in), std::nullopt) << sw;
  }
  in = Big();
  in.secure = true;  // set-uid: the loader would drop the tunable, and loop
  EXPECT_EQ(HugePagesTunables(in), std::nullopt);
}

TEST(LocalImageBytes, AFileItsSizeADirectoryItsFilesAnythingElseZero) {
  std::string tmpl = ::testing::TempDir() + "whittle-huge-pages-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  const std::filesystem::path dir = tmpl;
  std::filesystem::create_directories(dir / "blobs" / "sha256");
  auto write = [](const std::filesystem::path& p, size_t n) {
    FILE* f = std::fopen(p.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::string bytes(n, 'x');
    std::fwrite(bytes.data(), 1, n, f);
    std::fclose(f);
  };
  write(dir / "index.json", 100);
  write(dir / "blobs" / "sha256" / "a", 5000);
  write(dir / "blobs" / "sha256" / "b", 70000);
  std::filesystem::create_symlink("blobs/sha256/b", dir / "link");  // followed: is_regular_file
  EXPECT_EQ(LocalImageBytes((dir / "blobs" / "sha256" / "b").string()), 70000u);
  EXPECT_EQ(LocalImageBytes(dir.string()), 100u + 5000u + 70000u + 70000u);
  EXPECT_EQ(LocalImageBytes((dir / "missing").string()), 0u);
  EXPECT_EQ(LocalImageBytes(""), 0u);
  EXPECT_EQ(LocalImageBytes("/dev/null"), 0u);  // not a regular file
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace whittle
