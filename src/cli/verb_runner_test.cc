// The framework over fake rows: what each `needs` accepts, the --format
// subset, the shared options, and how errors become one line and an exit
// code. The images are dive's test image (tests/data/dive).
#include "cli/verb_runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "cache/cache_db.h"

namespace whittle {
namespace {

using V = std::vector<std::string>;
const std::string kDive = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/test-docker-image.tar";

// What the fake verb saw, for the test to check.
struct Seen {
  bool ran = false;
  bool prepared = false;
  OutputFormat format = OutputFormat::kTty;
  V files;
  std::string image_ref, base_ref;
  size_t image_layers = 0, base_layers = 0;
  bool hashed = false;
  bool own_flag = false;
};
Seen* g_seen = nullptr;
Status g_prepare_status;
ExitCode g_result = ExitCode::kOk;

class FakeVerb : public Verb {
 public:
  void AddFlags(FlagSet& flags, LoadOptions&) override { flags.Bool("--own", nullptr, &g_seen->own_flag); }
  Status Prepare(VerbContext&) override {
    g_seen->prepared = true;
    return g_prepare_status;
  }
  Result<ExitCode> Run(VerbContext& ctx) override {
    Seen& s = *g_seen;
    s.ran = true;
    s.format = ctx.format;
    s.files = ctx.files;
    s.image_ref = ctx.image_ref;
    s.base_ref = ctx.base_ref;
    if (ctx.image) {
      s.image_layers = ctx.image->scan.layers.size();
      s.hashed = !ctx.image->scan.layers[0].content_hashes.empty();
    }
    if (ctx.base) s.base_layers = ctx.base->scan.layers.size();
    ctx.Write("out\n");
    return g_result;
  }
};

const VerbSpec Row(Needs needs) {
  return {"fake",
          "a fake verb",
          "usage: whittle fake\n",
          needs,
          {OutputFormat::kTty, OutputFormat::kCsv},
          MakeVerb<FakeVerb>};
}

struct Outcome {
  ExitCode code;
  std::string out, err;
  Seen seen;
};

Outcome RunFake(Needs needs, const V& args) {
  Outcome r;
  g_seen = &r.seen;
  Console console(&r.out, &r.err);
  VerbSpec spec = Row(needs);
  r.code = RunVerb(spec, args, console);
  g_seen = nullptr;
  return r;
}

class VerbRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_prepare_status = Status::Ok();
    g_result = ExitCode::kOk;
  }
};

TEST_F(VerbRunnerTest, HelpPrintsUsageAndExitsZero) {
  for (Needs n : {Needs::kNothing, Needs::kImage, Needs::kImagePair, Needs::kDockerfiles}) {
    Outcome r = RunFake(n, {"--bogus-operand-later", "--help"});
    // An unknown option before --help is still an error ...
    EXPECT_EQ(r.code, ExitCode::kError);
    r = RunFake(n, {"--help", "--bogus"});  // ... one after it is never read.
    EXPECT_EQ(r.code, ExitCode::kOk);
    EXPECT_EQ(r.out, "usage: whittle fake\n");
    EXPECT_EQ(r.err, "");
    EXPECT_FALSE(r.seen.prepared);
  }
}

TEST_F(VerbRunnerTest, UsageErrorsAreOneLineExitTwo) {
  struct Case {
    Needs needs;
    V args;
    const char* want;
  };
  const Case kCases[] = {
      {Needs::kNothing, {"x"}, "fake takes no operands (got 'x')"},
      {Needs::kImage, {}, "fake needs an IMAGE"},
      {Needs::kImage, {"a", "b"}, "fake takes one IMAGE (got 'a' and 'b')"},
      {Needs::kImage, {"a", "--", "b"}, "fake takes one IMAGE (got 'a' and 'b')"},
      {Needs::kImageOrPair, {"a", "b"}, "fake takes one IMAGE (got 'a' and 'b')"},
      {Needs::kImageOrPair, {"a", "--"}, "fake takes IMAGE -- BASE: one image on each side of '--'"},
      {Needs::kImagePair, {"a"}, "fake takes OLD NEW (or NEW -- OLD)"},
      {Needs::kImagePair, {"a", "b", "c"}, "fake takes OLD NEW (or NEW -- OLD)"},
      {Needs::kDockerfiles, {}, "fake needs a Dockerfile ('-' reads stdin)"},
      {Needs::kImage, {"--bogus", "a"}, "unknown option '--bogus'"},
      {Needs::kImage, {"--format", "json", "a"}, "fake --format takes tty or csv"},
      {Needs::kImage, {"--json", "a"}, "unknown option '--json'"},  // json is not in the row
      {Needs::kImage, {"-j", "0", "a"}, "-j needs a number from 1 to 256, got '0'"},
      {Needs::kDockerfiles, {"--platform", "linux/amd64", "f"}, "unknown option '--platform'"},
      {Needs::kImage, {"--cache-max-size", "lots", "a"},
       "--cache-max-size needs a size such as 500MB or 2GiB, got 'lots'"},
      {Needs::kOpenedImage, {"--no-cache", "a"}, "unknown option '--no-cache'"},  // reads layers itself
      {Needs::kDockerfiles, {"--cache-dir", "d", "f"}, "unknown option '--cache-dir'"},
  };
  for (const Case& c : kCases) {
    Outcome r = RunFake(c.needs, c.args);
    EXPECT_EQ(r.code, ExitCode::kError) << c.want;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, std::string("whittle: ") + c.want + " (see 'whittle fake --help')\n");
    EXPECT_FALSE(r.seen.prepared) << c.want;
  }
}

// The layer cache options are shared: a scanning verb fills --cache-dir and
// the second run prints the same; --no-cache reads and writes nothing.
// (That the second run reads no blob is tests/e2e/layer_cache_test.sh's.)
TEST_F(VerbRunnerTest, CacheOptionsOnEveryScanningVerb) {
  const std::string dir = ::testing::TempDir() + "/verb_runner_cache_" + std::to_string(getpid());
  for (Needs needs : {Needs::kImage, Needs::kHashedScan, Needs::kImageOrPair}) {
    std::filesystem::remove_all(dir);
    Outcome cold = RunFake(needs, {"-v", "--cache-dir", dir, kDive});
    ASSERT_EQ(cold.code, ExitCode::kOk) << cold.err;
    auto db = CacheDb::Open(dir);
    ASSERT_TRUE(db.has_value());
    EXPECT_GT(*(*db)->Count(), 0u);
    db->reset();
    Outcome warm = RunFake(needs, {"-v", "--cache-dir", dir, kDive});
    ASSERT_EQ(warm.code, ExitCode::kOk) << warm.err;
    EXPECT_EQ(warm.out, cold.out);
    EXPECT_EQ(warm.err, cold.err);
    EXPECT_EQ(warm.seen.image_layers, cold.seen.image_layers);
    EXPECT_EQ(warm.seen.hashed, needs == Needs::kHashedScan);
  }
  std::filesystem::remove_all(dir);
  Outcome none = RunFake(Needs::kImage, {"-v", "--no-cache", "--cache-dir", dir, kDive});
  ASSERT_EQ(none.code, ExitCode::kOk) << none.err;
  EXPECT_FALSE(std::filesystem::exists(dir));
}

TEST_F(VerbRunnerTest, DockerfilesMayStartWithDashAfterDoubleDash) {
  Outcome r = RunFake(Needs::kDockerfiles, {"a", "--own", "--", "-b", "--own"});
  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  EXPECT_EQ(r.seen.files, (V{"a", "-b", "--own"}));
  EXPECT_TRUE(r.seen.own_flag);
  EXPECT_EQ(r.out, "out\n");
}

TEST_F(VerbRunnerTest, FormatAndShorthandWithinTheRow) {
  Outcome r = RunFake(Needs::kNothing, {"--csv"});
  EXPECT_EQ(r.seen.format, OutputFormat::kCsv);
  r = RunFake(Needs::kNothing, {"--format=csv", "--format", "tty"});
  EXPECT_EQ(r.seen.format, OutputFormat::kTty);
}

TEST_F(VerbRunnerTest, ImageIsOpenedAndScannedBeforeRun) {
  Outcome r = RunFake(Needs::kImage, {"-j", "2", kDive});
  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  EXPECT_EQ(r.seen.image_ref, kDive);
  EXPECT_EQ(r.seen.image_layers, 14u);
  EXPECT_FALSE(r.seen.hashed);
  EXPECT_EQ(r.seen.base_layers, 0u);
}

TEST_F(VerbRunnerTest, HashedScanHashesContents) {
  Outcome r = RunFake(Needs::kHashedScan, {kDive});
  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  EXPECT_TRUE(r.seen.hashed);
}

TEST_F(VerbRunnerTest, PairsInBothSpellings) {
  const std::string kaniko = std::string(WHITTLE_SOURCE_DIR) + "/tests/data/dive/test-kaniko-image.tar";
  for (const V& args : {V{kaniko, kDive}, V{kDive, "--", kaniko}}) {
    Outcome r = RunFake(Needs::kImagePair, args);
    ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
    EXPECT_EQ(r.seen.image_ref, kDive);  // NEW
    EXPECT_EQ(r.seen.base_ref, kaniko);  // OLD
    EXPECT_EQ(r.seen.image_layers, 14u);
    EXPECT_GT(r.seen.base_layers, 0u);
  }
  Outcome one = RunFake(Needs::kImageOrPair, {kDive});
  ASSERT_EQ(one.code, ExitCode::kOk) << one.err;
  EXPECT_EQ(one.seen.base_ref, "");
  Outcome two = RunFake(Needs::kImageOrPair, {kDive, "--", kaniko});
  ASSERT_EQ(two.code, ExitCode::kOk) << two.err;
  EXPECT_EQ(two.seen.base_ref, kaniko);
}

TEST_F(VerbRunnerTest, PrepareFailsBeforeAnyImageIsOpened) {
  g_prepare_status = Error(Errc::kUsage, "bad config");
  Outcome r = RunFake(Needs::kImage, {"/nonexistent/image.tar"});
  EXPECT_EQ(r.code, ExitCode::kError);
  EXPECT_EQ(r.err, "whittle: bad config\n");  // not the missing image
  EXPECT_FALSE(r.seen.ran);
}

TEST_F(VerbRunnerTest, LoadErrorsAreOneLineWithoutUsageHint) {
  Outcome r = RunFake(Needs::kImage, {"/nonexistent/image.tar"});
  EXPECT_EQ(r.code, ExitCode::kError);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("whittle: /nonexistent/image.tar", 0), 0u) << r.err;
  EXPECT_EQ(r.err.find("--help"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  EXPECT_FALSE(r.seen.ran);
}

TEST_F(VerbRunnerTest, RunResultIsTheExitCode) {
  g_result = ExitCode::kCheckFailed;
  Outcome r = RunFake(Needs::kNothing, {});
  EXPECT_EQ(r.code, ExitCode::kCheckFailed);
  EXPECT_EQ(r.out, "out\n");
}

TEST(FormatSet, Describe) {
  EXPECT_EQ((FormatSet{OutputFormat::kTty}).Describe(), "tty");
  EXPECT_EQ((FormatSet{OutputFormat::kJson, OutputFormat::kTty}).Describe(), "tty or json");
  EXPECT_EQ((FormatSet{OutputFormat::kTty, OutputFormat::kJson, OutputFormat::kCsv, OutputFormat::kTsv}).Describe(),
            "tty, json, csv or tsv");
}

}  // namespace
}  // namespace whittle
