#include "util/huge_pages.h"

#include <gtest/gtest.h>

#include <string>

namespace whittle {
namespace {

constexpr char kMadvise[] = "always [madvise] never\n";

HugePagesInputs Big() {
  HugePagesInputs in;
  in.whittle_switch = "1";
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
  in = Big();
  in.whittle_switch.reset();  // off unless asked for
  EXPECT_EQ(HugePagesTunables(in), std::nullopt);
  for (const char* sw : {"0", "on", "held", "", "yes"}) {
    in = Big();
    in.whittle_switch = sw;  // not asked for, or this is the re-run
    EXPECT_EQ(HugePagesTunables(in), std::nullopt) << sw;
  }
  in = Big();
  in.secure = true;  // set-uid: the loader would drop the tunable, and loop
  EXPECT_EQ(HugePagesTunables(in), std::nullopt);
}

}  // namespace
}  // namespace whittle
