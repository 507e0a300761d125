#include "explore/pending_owners.h"

#include <gtest/gtest.h>

#include <thread>

#include "io/file_source.h"
#include "io/test_util.h"
#include "scan/background_capture.h"
#include "scan/layer_cache.h"
#include "support/tar_builder.h"
#include "waste/scan_builder_for_test.h"

namespace whittle {
namespace {

using namespace testing_waste;

// One layer with /usr/bin/hello, /etc/motd and the dpkg database (status +
// hello.list) owning hello; the database bodies are captured under the
// package rule, as the scan leaves them.
ImageScan WithDpkg(const CaptureRules& rules, bool capture_database) {
  ImageScan scan = BuildScan({{D("/usr"), D("/usr/bin"), F("/usr/bin/hello", 300), F("/etc/motd", 5),
                               F("/var/lib/dpkg/status", 90), F("/var/lib/dpkg/info/hello.list", 30)}});
  uint32_t db_rule = 0;
  while (rules[db_rule].name != kPackageDbRule) ++db_rule;
  if (capture_database) {
    LayerScan& l = scan.layers[0];
    l.captured.push_back({4, db_rule, "Package: hello\nStatus: install ok installed\nVersion: 1\n\n"});
    l.captured.push_back({5, db_rule, "/.\n/usr\n/usr/bin\n/usr/bin/hello\n"});
  }
  return scan;
}

CaptureRules PackageRules() {
  CaptureRules rules;
  AddPackageCaptureRules(&rules);
  return rules;
}

TEST(PendingOwners, NothingUntilStartedThenTheOwners) {
  CaptureRules rules = PackageRules();
  ImageScan scan = WithDpkg(rules, true);
  PendingOwners owners(scan, rules);
  EXPECT_TRUE(owners.has_database());  // known before any work: the column shows from the first frame
  EXPECT_FALSE(owners.started());
  EXPECT_EQ(owners.get(), nullptr);
  owners.Start();
  owners.Start();  // a second call (every redraw makes one) starts nothing more
  EXPECT_TRUE(owners.started());
  owners.Wait();
  const PackageAttribution* got = owners.get();
  ASSERT_NE(got, nullptr);
  EXPECT_TRUE(got->any_database());
  EXPECT_EQ(got->OwnerLabel(0, 2), "deb:hello");  // /usr/bin/hello
  EXPECT_EQ(got->OwnerLabel(0, 3), "[unowned]");  // /etc/motd
}

TEST(PendingOwners, NoDatabaseNoColumn) {
  CaptureRules rules = PackageRules();
  ImageScan scan = WithDpkg(rules, false);
  PendingOwners owners(scan, rules);
  EXPECT_FALSE(owners.has_database());
  owners.Start();
  owners.Wait();
  ASSERT_NE(owners.get(), nullptr);
  EXPECT_FALSE(owners.get()->any_database());
}

// The scan of an uncompressed layer in a file with defer_capture (explore's
// load) queues the database bodies; the owners' thread reads them first,
// through the hook, and resolves the same owners.
TEST(PendingOwners, ReadsTheDeferredBodiesOnItsThreadFirst) {
  CaptureRules rules = PackageRules();
  const std::string tar = testing::BuildTar(
      {testing::Dir("usr/"), testing::Dir("usr/bin/"), testing::File("usr/bin/hello", std::string(300, 'h'), 0755),
       testing::File("etc/motd", "hello"),
       testing::File("var/lib/dpkg/status", "Package: hello\nStatus: install ok installed\nVersion: 1\n\n"),
       testing::File("var/lib/dpkg/info/hello.list", "/.\n/usr\n/usr/bin\n/usr/bin/hello\n")});
  testing::TempDir dir;
  testing::WriteFile(dir.File("layer.tar"), tar);
  auto file = File::Open(dir.File("layer.tar"));
  ASSERT_TRUE(file.has_value());
  ImageScan scan;
  scan.layers.resize(1);
  {
    auto src = MakeFileRangeSource(*file, 0, tar.size(), "layer.tar");
    ASSERT_TRUE(ScanLayerTar(*src, *scan.paths, &scan.layers[0], false, &rules, /*defer_capture=*/true).ok());
  }
  ASSERT_NE(scan.layers[0].deferred_bodies, nullptr);
  std::vector<std::string> warnings;
  std::thread::id hook_thread;
  PendingOwners owners(scan, rules, [&] {
    hook_thread = std::this_thread::get_id();
    ReadDeferredBodies(scan, &warnings);
  });
  EXPECT_TRUE(owners.has_database());  // from the queue: nothing read yet
  EXPECT_FALSE(scan.layers[0].deferred_bodies->read());
  owners.Start();
  owners.Wait();
  EXPECT_NE(hook_thread, std::this_thread::get_id());
  EXPECT_TRUE(scan.layers[0].deferred_bodies->read());
  EXPECT_TRUE(warnings.empty());
  const PackageAttribution* got = owners.get();
  ASSERT_NE(got, nullptr);
  EXPECT_TRUE(got->any_database());
  EXPECT_EQ(got->OwnerLabel(0, 2), "deb:hello");  // usr/bin/hello
  EXPECT_EQ(got->OwnerLabel(0, 3), "[unowned]");  // etc/motd
}

}  // namespace
}  // namespace whittle
