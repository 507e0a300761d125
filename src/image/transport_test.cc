#include "image/transport.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "image/reference.h"

namespace whittle {
namespace {

// The table's own rules: one row per name, a prefix "NAME:..." (skopeo's
// syntax: "oci:", "docker://"), an opener, and no prefix that is a prefix of
// another (parsing takes the first row that matches, so a shadowed row could
// never be reached).
TEST(TransportTableTest, RowsAreCompleteAndPrefixesUnambiguous) {
  std::set<std::string> names;
  for (const Transport& t : Transports()) {
    SCOPED_TRACE(t.name);
    EXPECT_TRUE(names.insert(t.name).second) << "duplicate name";
    EXPECT_EQ(t.prefix.substr(0, std::string_view(t.name).size() + 1), std::string(t.name) + ":");
    EXPECT_NE(t.open == nullptr, t.open_stream == nullptr) << "exactly one of open and open_stream";
    EXPECT_EQ(FindTransport(t.name), &t);
    for (const Transport& other : Transports()) {
      if (&other == &t) continue;
      EXPECT_NE(other.prefix.substr(0, t.prefix.size()), t.prefix) << other.name;
    }
  }
  for (const char* name : {"docker-archive", "oci", "oci-archive", "dir", "docker-daemon", "docker"}) {
    EXPECT_NE(FindTransport(name), nullptr) << name;
  }
  EXPECT_EQ(FindTransport("containers-storage"), nullptr);
  EXPECT_STREQ(TransportName(nullptr), "auto");
}

// Every row is reachable through its prefix, and the hint names it.
TEST(TransportTableTest, ParsingFindsEveryRow) {
  for (const Transport& t : Transports()) {
    SCOPED_TRACE(t.name);
    auto ref = ParseImageReference(std::string(t.prefix) + "some/path");
    ASSERT_TRUE(ref) << ref.error().message();
    EXPECT_EQ(ref->transport, &t);
    EXPECT_EQ(TransportHint(*ref), std::string(t.name) + ":some/path");
  }
}

}  // namespace
}  // namespace whittle
