#include "util/dynamic_library.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace whittle {
namespace {

TEST(DynamicLibrary, MissingLibraryNamesItsPackageAndPurpose) {
  Result<void*> lib = OpenDynamicLibrary("libwhittle-none.so.9", "libwhittle-none9", "testing");
  ASSERT_FALSE(lib.has_value());
  EXPECT_EQ(lib.error().code(), Errc::kUnsupported);
  const std::string& msg = lib.error().message();
  EXPECT_EQ(msg.rfind("cannot load libwhittle-none.so.9 (Debian package libwhittle-none9), needed for testing: ", 0),
            0u)
      << msg;
  EXPECT_NE(msg.find("libwhittle-none.so.9"), std::string::npos);
}

TEST(DynamicLibrary, BindsFoundSymbolsAndKeepsTheFirstMissing) {
  Result<void*> lib = OpenDynamicLibrary("libc.so.6", "libc6", "testing");
  ASSERT_TRUE(lib.has_value()) << lib.error().message();
  std::string missing;
  decltype(&::strlen) len = nullptr;
  BindSymbol(*lib, "strlen", &len, &missing);
  ASSERT_NE(len, nullptr);
  EXPECT_EQ(len("four"), 4u);
  EXPECT_EQ(missing, "");
  void (*none)() = nullptr;
  BindSymbol(*lib, "whittle_no_such_function", &none, &missing);
  BindSymbol(*lib, "whittle_nor_this", &none, &missing);
  EXPECT_EQ(none, nullptr);
  EXPECT_EQ(missing, "whittle_no_such_function");
}

}  // namespace
}  // namespace whittle
